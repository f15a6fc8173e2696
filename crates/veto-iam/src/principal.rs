//! Principal matching for resource-based policies (spec §2.6).

use crate::policy::{PrincipalElement, PrincipalEntry, PrincipalKind};
use crate::request::Caller;

/// How strongly a matching principal entry names the caller; it decides whether a
/// resource policy grants on its own in the same account (spec §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Strength {
    /// The entry names the caller's account.
    Account,
    /// The entry names the role behind a session (or the user behind a federated session).
    Parent,
    /// The entry names the caller itself, or is `*`.
    Direct,
}

impl PrincipalEntry {
    /// How this entry names `caller`, if it does.
    #[inline]
    pub fn strength(&self, caller: &Caller) -> Option<Strength> {
        match (&self.kind, caller) {
            (PrincipalKind::Everyone, _) => Some(Strength::Direct),
            (PrincipalKind::Account { account }, c) => (c.account() == Some(account)).then_some(Strength::Account),
            (PrincipalKind::User { arn }, Caller::User { arn: a, .. }) => (arn == a).then_some(Strength::Direct),
            // A role ARN names the role's sessions at parent strength (spec §2.6). A bare
            // role ARN caller is an unnamed session of its role (spec §0), so it is named
            // the same way — by partition, account and role name, as session ARNs carry
            // no path — and a grant to the role stays limited by the boundary and
            // session policy whichever form the caller takes.
            (
                PrincipalKind::Role {
                    partition,
                    account,
                    name,
                    ..
                },
                Caller::RoleSession {
                    partition: p,
                    account: a,
                    role,
                    ..
                }
                | Caller::Role {
                    partition: p,
                    account: a,
                    name: role,
                    ..
                },
            ) => (partition == p && account == a && name == role).then_some(Strength::Parent),
            (PrincipalKind::RoleSession { arn }, Caller::RoleSession { arn: a, .. })
            | (PrincipalKind::FederatedUser { arn }, Caller::FederatedUser { arn: a, .. }) => {
                (arn == a).then_some(Strength::Direct)
            }
            (
                PrincipalKind::Service(s) | PrincipalKind::Federated(s) | PrincipalKind::CanonicalUser(s),
                Caller::Service(c),
            ) => (s == c).then_some(Strength::Direct),
            _ => None,
        }
    }
}

impl PrincipalElement {
    /// For `Principal`: the strongest entry naming the caller. For `NotPrincipal`:
    /// `Some(Direct)` when the statement applies to the caller.
    pub fn applies_to(&self, caller: &Caller, has_boundary: bool) -> Option<Strength> {
        if self.negated {
            return (!self.exempts(caller, has_boundary)).then_some(Strength::Direct);
        }
        self.entries.iter().filter_map(|e| e.strength(caller)).max()
    }

    /// `NotPrincipal` exempts a caller only when every level of its identity chain is
    /// listed: the account, then the role (for a session), then the session or user.
    /// Callers with a permissions boundary are never exempt, whatever the list says —
    /// `"NotPrincipal": "*"` included (spec §2.6, §4.5).
    fn exempts(&self, caller: &Caller, has_boundary: bool) -> bool {
        if has_boundary {
            return false;
        }
        let listed = |pred: &dyn Fn(&PrincipalKind) -> bool| self.entries.iter().any(|e| pred(&e.kind));
        if listed(&|k| *k == PrincipalKind::Everyone) {
            return true;
        }
        let account_listed =
            |account: &str| listed(&|k| matches!(k, PrincipalKind::Account { account: a } if a == account));
        match caller {
            Caller::Anonymous => false,
            Caller::Service(s) => listed(&|k| matches!(k, PrincipalKind::Service(x) if x == s)),
            Caller::Root { account, .. } => account_listed(account),
            Caller::User { account, arn, .. } => {
                account_listed(account) && listed(&|k| matches!(k, PrincipalKind::User { arn: a } if a == arn))
            }
            // An unnamed session of the role: no session entry can list it, so like any
            // session whose ARN is not listed it is never exempt (spec §0).
            Caller::Role { .. } => false,
            Caller::RoleSession {
                partition,
                account,
                role,
                arn,
            } => {
                account_listed(account)
                    && listed(&|k| {
                        matches!(k, PrincipalKind::Role { partition: p, account: a, name, .. }
                            if p == partition && a == account && name == role)
                    })
                    && listed(&|k| matches!(k, PrincipalKind::RoleSession { arn: a } if a == arn))
            }
            Caller::FederatedUser { account, arn, .. } => {
                account_listed(account) && listed(&|k| matches!(k, PrincipalKind::FederatedUser { arn: a } if a == arn))
            }
        }
    }
}
