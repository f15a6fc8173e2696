//! Combining policies into a decision (spec §4): the deny sweep, SCP and RCP
//! levels, resource-policy strengths, boundaries and session policies.
//!
//! Evaluation is generic over an [`Observer`]: the hot path passes [`NoTrace`], which
//! compiles away, and `explain` records every statement's outcome.

use crate::policy::{Effect, Policy, Statement};
use crate::principal::Strength;
use crate::request::{Caller, Request, ResourceKind};
use crate::special::{self, SpecialAction};

/// The result of evaluating a request (spec §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decision {
    /// Some statement allows and every applicable policy type lets it through.
    Allow,
    /// A matching `Deny` statement: it overrides every allow.
    ExplicitDeny,
    /// No explicit deny, but nothing (or not every required policy type) allows: the default.
    ImplicitDeny,
}

impl Decision {
    /// The decision's name, as AWS spells it (`"ExplicitDeny"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        }
    }
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which policy of a [`PolicySet`] something refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyRef {
    /// `identity_policies[i]`.
    Identity(usize),
    /// The resource-based policy.
    Resource,
    /// An SCP: `scps[level][index]`.
    Scp {
        /// The organization level, root first.
        level: usize,
        /// The policy's position within its level.
        index: usize,
    },
    /// An RCP: `rcps[level][index]`.
    Rcp {
        /// The organization level, root first.
        level: usize,
        /// The policy's position within its level.
        index: usize,
    },
    /// `boundary[i]`: one document of the permissions boundary.
    Boundary(usize),
    /// The session policy.
    Session,
}

impl std::fmt::Display for PolicyRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyRef::Identity(i) => write!(f, "identity_policies[{i}]"),
            PolicyRef::Resource => write!(f, "resource_policy"),
            PolicyRef::Scp { level, index } => write!(f, "scps[{level}][{index}]"),
            PolicyRef::Rcp { level, index } => write!(f, "rcps[{level}][{index}]"),
            PolicyRef::Boundary(i) => write!(f, "boundary[{i}]"),
            PolicyRef::Session => write!(f, "session_policy"),
        }
    }
}

/// The element of a statement that did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Element {
    /// `Principal`: the caller is not named.
    Principal,
    /// `NotPrincipal`: the caller is named.
    NotPrincipal,
    /// `Action`: no pattern matches the action.
    Action,
    /// `NotAction`: a pattern matches the action.
    NotAction,
    /// `Resource`: no pattern matches the resource.
    Resource,
    /// `NotResource`: a pattern matches the resource.
    NotResource,
    /// The condition at this index of [`Statement::conditions`].
    Condition(usize),
}

/// Whether a statement applies to a request, and if not, the first element that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementOutcome {
    /// Every element matched; the strength is how the principal matched (spec §2.6).
    Matched(Strength),
    /// This element did not match, so the statement does not apply.
    NotMatched(Element),
}

/// Why a request ended as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decider {
    /// A statement decided: the matching Deny, or the Allow that granted.
    Statement {
        /// The policy the statement belongs to.
        policy: PolicyRef,
        /// The statement's index in [`Policy::statements`].
        index: usize,
    },
    /// The account's root user has full access within its account.
    RootUser,
    /// `sts:GetCallerIdentity` by an authenticated caller: it needs no permission
    /// and no policy can deny it (spec §4.5).
    NoPermissionNeeded,
    /// No statement decided; the reason is named.
    Implicit(ImplicitReason),
}

/// Which required allow was missing when a request ends in an implicit deny (spec §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImplicitReason {
    /// SCP level `level` (0 = root) has no Allow for the request.
    ScpLevelDoesNotAllow {
        /// The SCP level, 0 being the organization root.
        level: usize,
    },
    /// Anonymous and service callers, and cross-account requests, need a resource-policy Allow.
    ResourcePolicyDoesNotAllow,
    /// KMS keys need their key policy to allow (or to delegate to the account).
    KeyPolicyDoesNotAllow,
    /// Assuming a role, tagging its session or setting its source identity needs
    /// the role's trust policy to allow.
    TrustPolicyDoesNotAllow,
    /// No identity-policy statement allows (and no resource policy allows alone).
    IdentityPolicyDoesNotAllow,
    /// The permissions boundary does not allow the request.
    BoundaryDoesNotAllow,
    /// The session policy does not allow the request.
    SessionPolicyDoesNotAllow,
}

impl Decider {
    /// Why, in words, when no statement decided.
    pub fn describe(self) -> Option<String> {
        match self {
            Decider::Statement { .. } => None,
            Decider::RootUser => Some("the account's root user has full access within its own account".into()),
            Decider::NoPermissionNeeded => Some(
                "sts:GetCallerIdentity needs no permission and cannot be denied for an authenticated caller".into(),
            ),
            Decider::Implicit(reason) => Some(reason.describe()),
        }
    }
}

impl ImplicitReason {
    /// The reason in words, for reports.
    pub fn describe(self) -> String {
        match self {
            ImplicitReason::ScpLevelDoesNotAllow { level } => {
                format!("SCP level {level} has no Allow for this request; every level must allow")
            }
            ImplicitReason::ResourcePolicyDoesNotAllow => {
                "no resource-policy statement allows this caller (anonymous, service and cross-account callers need one)".into()
            }
            ImplicitReason::KeyPolicyDoesNotAllow => {
                "the KMS key policy neither allows the caller nor delegates to its account".into()
            }
            ImplicitReason::TrustPolicyDoesNotAllow => "the role's trust policy does not allow the caller".into(),
            ImplicitReason::IdentityPolicyDoesNotAllow => "no identity-policy statement allows this request".into(),
            ImplicitReason::BoundaryDoesNotAllow => "the permissions boundary does not allow this request".into(),
            ImplicitReason::SessionPolicyDoesNotAllow => "the session policy does not allow this request".into(),
        }
    }
}

/// The bucket owner's root user calling Get/Put/DeleteBucketPolicy on its bucket.
fn owner_root_on_bucket_policy(request: &Request) -> bool {
    let (service, name) = request.action_parts_lower();
    matches!(request.caller(), Caller::Root { .. })
        && request.is_same_account()
        && service == "s3"
        && matches!(name, "getbucketpolicy" | "putbucketpolicy" | "deletebucketpolicy")
        && request.resource().starts_with("arn:aws:s3:::")
        && !request.resource()["arn:aws:s3:::".len()..].contains('/')
}

/// A decision and what decided it. Copy, and computed without allocating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// What decided it.
    pub decider: Decider,
}

/// Sees every statement that evaluation looks at.
pub trait Observer {
    /// Called once per statement evaluated, with its outcome.
    fn statement(&mut self, policy: PolicyRef, index: usize, outcome: StatementOutcome);
}

/// The hot path's observer: records nothing.
pub struct NoTrace;

impl Observer for NoTrace {
    #[inline(always)]
    fn statement(&mut self, _: PolicyRef, _: usize, _: StatementOutcome) {}
}

/// One statement's outcome, as recorded by [`PolicySet::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatementTrace {
    /// The policy the statement belongs to.
    pub policy: PolicyRef,
    /// The statement's index in [`Policy::statements`].
    pub index: usize,
    /// Whether it matched, and if not, the element that failed.
    pub outcome: StatementOutcome,
}

/// Something evaluation left out on purpose, reported by [`PolicySet::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Note {
    /// RCPs were given but the action's service is not one RCPs apply to
    /// ([`special::RCP_SERVICES`]), so none of them was read.
    RcpsNotApplicable,
    /// `sts:GetCallerIdentity`: no policy was read (see [`Decider::NoPermissionNeeded`]).
    PoliciesNotRead,
}

impl Note {
    /// The note in words, for reports.
    pub fn describe(self) -> String {
        match self {
            Note::RcpsNotApplicable => format!(
                "RCPs skipped: the action's service is not one RCPs apply to ({}; spec §4.2)",
                special::RCP_SERVICES
                    .iter()
                    .map(|s| s.prefix)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Note::PoliciesNotRead => {
                "no policy was read: sts:GetCallerIdentity is allowed to every authenticated caller".into()
            }
        }
    }
}

/// A decision with its trace, from [`PolicySet::explain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The decision and what decided it.
    pub outcome: Outcome,
    /// Every statement evaluated, in evaluation order.
    pub statements: Vec<StatementTrace>,
    /// What evaluation skipped, and why.
    pub notes: Vec<Note>,
}

impl Observer for Vec<StatementTrace> {
    fn statement(&mut self, policy: PolicyRef, index: usize, outcome: StatementOutcome) {
        self.push(StatementTrace { policy, index, outcome });
    }
}

impl Statement {
    /// Does this statement apply to the request? Checks action, resource, principal
    /// and conditions in that order and reports the first that fails.
    pub fn evaluate(&self, request: &Request, has_boundary: bool) -> StatementOutcome {
        let action_hit = self
            .action
            .patterns
            .iter()
            .any(|p| p.matcher.matches(request.action_parts_lower()));
        if action_hit == self.action.negated {
            return StatementOutcome::NotMatched(if self.action.negated {
                Element::NotAction
            } else {
                Element::Action
            });
        }
        if let Some(resource) = &self.resource {
            let hit = resource
                .patterns
                .iter()
                .any(|p| p.matcher.matches(request.context(), request.resource()) == Some(true));
            if hit == resource.negated {
                return StatementOutcome::NotMatched(if resource.negated {
                    Element::NotResource
                } else {
                    Element::Resource
                });
            }
        }
        let strength = match &self.principal {
            None => Strength::Direct,
            Some(p) => match p.applies_to(request.caller(), has_boundary) {
                Some(s) => s,
                None => {
                    return StatementOutcome::NotMatched(if p.negated {
                        Element::NotPrincipal
                    } else {
                        Element::Principal
                    })
                }
            },
        };
        for (i, c) in self.conditions.iter().enumerate() {
            if !c.matcher.evaluate(c.operator, &c.key_lower, request.context()) {
                return StatementOutcome::NotMatched(Element::Condition(i));
            }
        }
        StatementOutcome::Matched(strength)
    }
}

/// What one policy says about a request.
#[derive(Debug, Clone, Copy, Default)]
struct PolicyScan {
    /// The first matching Deny statement.
    deny: Option<usize>,
    /// The strongest matching Allow statement.
    allow: Option<(usize, Strength)>,
}

fn scan<O: Observer>(
    policy: &Policy,
    at: PolicyRef,
    request: &Request,
    has_boundary: bool,
    observer: &mut O,
) -> PolicyScan {
    let mut result = PolicyScan::default();
    for (index, statement) in policy.statements.iter().enumerate() {
        let outcome = statement.evaluate(request, has_boundary);
        observer.statement(at, index, outcome);
        if let StatementOutcome::Matched(strength) = outcome {
            match statement.effect {
                Effect::Deny => {
                    result.deny.get_or_insert(index);
                }
                Effect::Allow => {
                    if result.allow.is_none_or(|(_, s)| strength > s) {
                        result.allow = Some((index, strength));
                    }
                }
            }
        }
    }
    result
}

/// The policies that bear on one request (spec §0): the caller's identity policies,
/// boundary and session policy, the SCP levels of the caller's account, the RCP
/// levels of the resource's account, and the resource's own policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicySet {
    /// The caller's identity policies (attached to the user or role).
    pub identity: Vec<Policy>,
    /// The resource-based policy (bucket policy, key policy, trust policy).
    pub resource: Option<Policy>,
    /// One list per level, root first. Every level must allow.
    pub scps: Vec<Vec<Policy>>,
    /// One list per level. AWS's `RCPFullAWSAccess` is implied, so only denies bite.
    pub rcps: Vec<Vec<Policy>>,
    /// The boundary's documents; the boundary allows what any of them allows.
    pub boundary: Vec<Policy>,
    /// The session policy, when the caller is a session given one.
    pub session: Option<Policy>,
}

impl PolicySet {
    /// The policy a [`PolicyRef`] names, if the set holds it.
    pub fn policy(&self, at: PolicyRef) -> Option<&Policy> {
        match at {
            PolicyRef::Identity(i) => self.identity.get(i),
            PolicyRef::Resource => self.resource.as_ref(),
            PolicyRef::Scp { level, index } => self.scps.get(level)?.get(index),
            PolicyRef::Rcp { level, index } => self.rcps.get(level)?.get(index),
            PolicyRef::Boundary(i) => self.boundary.get(i),
            PolicyRef::Session => self.session.as_ref(),
        }
    }

    /// Every policy with where it sits in the set.
    pub fn iter(&self) -> impl Iterator<Item = (PolicyRef, &Policy)> {
        let identity = self
            .identity
            .iter()
            .enumerate()
            .map(|(i, p)| (PolicyRef::Identity(i), p));
        let resource = self.resource.iter().map(|p| (PolicyRef::Resource, p));
        let scps = self.scps.iter().enumerate().flat_map(|(level, ps)| {
            ps.iter()
                .enumerate()
                .map(move |(index, p)| (PolicyRef::Scp { level, index }, p))
        });
        let rcps = self.rcps.iter().enumerate().flat_map(|(level, ps)| {
            ps.iter()
                .enumerate()
                .map(move |(index, p)| (PolicyRef::Rcp { level, index }, p))
        });
        let boundary = self
            .boundary
            .iter()
            .enumerate()
            .map(|(i, p)| (PolicyRef::Boundary(i), p));
        let session = self.session.iter().map(|p| (PolicyRef::Session, p));
        identity
            .chain(resource)
            .chain(scps)
            .chain(rcps)
            .chain(boundary)
            .chain(session)
    }

    /// The decision for one request. Allocates nothing.
    pub fn evaluate(&self, request: &Request) -> Decision {
        self.evaluate_with(request, &mut NoTrace).decision
    }

    /// The decision with every statement's outcome.
    pub fn explain(&self, request: &Request) -> Explanation {
        let mut statements = Vec::new();
        let outcome = self.evaluate_with(request, &mut statements);
        let mut notes = Vec::new();
        if outcome.decider == Decider::NoPermissionNeeded {
            notes.push(Note::PoliciesNotRead);
        } else if self.rcps.iter().any(|level| !level.is_empty())
            && !special::rcps_apply(request.action_parts_lower().0)
        {
            notes.push(Note::RcpsNotApplicable);
        }
        Explanation {
            outcome,
            statements,
            notes,
        }
    }

    pub(crate) fn evaluate_with<O: Observer>(&self, request: &Request, observer: &mut O) -> Outcome {
        let caller = request.caller();
        let (service, name) = request.action_parts_lower();
        // sts:GetCallerIdentity needs no permission and cannot be denied (spec §4.5);
        // only an unauthenticated caller goes through the policies as usual.
        if !matches!(caller, Caller::Anonymous)
            && special::special_action(service, name) == SpecialAction::NoPermissionNeeded
        {
            return Outcome {
                decision: Decision::Allow,
                decider: Decider::NoPermissionNeeded,
            };
        }
        let iam = caller.is_iam_principal();
        let has_boundary = iam && !self.boundary.is_empty();
        let mut deny: Option<(PolicyRef, usize)> = None;
        let mut note = |scan: PolicyScan, at: PolicyRef| {
            if let (None, Some(index)) = (deny, scan.deny) {
                deny = Some((at, index));
            }
            scan
        };

        // RCPs bind only the services that support them (spec §4.2).
        let rcps = if !self.rcps.is_empty() && special::rcps_apply(service) {
            &self.rcps[..]
        } else {
            &[]
        };
        for (level, policies) in rcps.iter().enumerate() {
            for (index, p) in policies.iter().enumerate() {
                note(
                    scan(p, PolicyRef::Rcp { level, index }, request, has_boundary, observer),
                    PolicyRef::Rcp { level, index },
                );
            }
        }
        let mut scp_gap = None;
        if iam {
            for (level, policies) in self.scps.iter().enumerate() {
                let mut allows = false;
                for (index, p) in policies.iter().enumerate() {
                    let at = PolicyRef::Scp { level, index };
                    allows |= note(scan(p, at, request, has_boundary, observer), at).allow.is_some();
                }
                if !allows && scp_gap.is_none() {
                    scp_gap = Some(level);
                }
            }
        }
        // The bucket owner's root user can always read, replace and delete the bucket
        // policy, whatever the bucket policy says (spec §4.5): its denies do not bite there.
        let owner_fixing_policy = owner_root_on_bucket_policy(request);
        let resource_allow = match &self.resource {
            Some(p) if owner_fixing_policy => scan(p, PolicyRef::Resource, request, has_boundary, observer).allow,
            Some(p) => {
                note(
                    scan(p, PolicyRef::Resource, request, has_boundary, observer),
                    PolicyRef::Resource,
                )
                .allow
            }
            None => None,
        };
        let mut identity_allow = None;
        let mut boundary_allows = !has_boundary;
        let mut session_allows = !matches!(caller, Caller::FederatedUser { .. });
        if iam {
            for (i, p) in self.identity.iter().enumerate() {
                let s = note(
                    scan(p, PolicyRef::Identity(i), request, has_boundary, observer),
                    PolicyRef::Identity(i),
                );
                if let (None, Some((index, _))) = (identity_allow, s.allow) {
                    identity_allow = Some((PolicyRef::Identity(i), index));
                }
            }
            for (i, p) in self.boundary.iter().enumerate() {
                boundary_allows |= note(
                    scan(p, PolicyRef::Boundary(i), request, has_boundary, observer),
                    PolicyRef::Boundary(i),
                )
                .allow
                .is_some();
            }
            if let Some(p) = &self.session {
                session_allows = note(
                    scan(p, PolicyRef::Session, request, has_boundary, observer),
                    PolicyRef::Session,
                )
                .allow
                .is_some();
            }
        }

        let implicit = |reason| Outcome {
            decision: Decision::ImplicitDeny,
            decider: Decider::Implicit(reason),
        };
        let allow = |decider| Outcome {
            decision: Decision::Allow,
            decider,
        };
        if let Some((policy, index)) = deny {
            return Outcome {
                decision: Decision::ExplicitDeny,
                decider: Decider::Statement { policy, index },
            };
        }
        if let Some(level) = scp_gap {
            return implicit(ImplicitReason::ScpLevelDoesNotAllow { level });
        }
        let resource_grant = resource_allow.map(|(index, strength)| {
            (
                Decider::Statement {
                    policy: PolicyRef::Resource,
                    index,
                },
                strength,
            )
        });
        if !iam {
            // Anonymous and service callers: only the resource policy can grant.
            return match resource_grant {
                Some((decider, _)) => allow(decider),
                None => implicit(ImplicitReason::ResourcePolicyDoesNotAllow),
            };
        }
        let is_root = matches!(caller, Caller::Root { .. });
        let identity = if is_root {
            Some(Decider::RootUser)
        } else {
            identity_allow.map(|(policy, index)| Decider::Statement { policy, index })
        };
        // Identity, boundary and session must all allow on the identity path.
        let identity_path = || match identity {
            None => Err(ImplicitReason::IdentityPolicyDoesNotAllow),
            Some(_) if !boundary_allows => Err(ImplicitReason::BoundaryDoesNotAllow),
            Some(_) if !session_allows => Err(ImplicitReason::SessionPolicyDoesNotAllow),
            Some(d) => Ok(d),
        };
        if !request.is_same_account() {
            return match (identity_path(), resource_grant) {
                (Err(reason), _) => implicit(reason),
                (Ok(_), None) => implicit(ImplicitReason::ResourcePolicyDoesNotAllow),
                (Ok(_), Some((decider, _))) => allow(decider),
            };
        }
        if resource_grant.is_none() {
            match request.resource_kind() {
                ResourceKind::KmsKey => return implicit(ImplicitReason::KeyPolicyDoesNotAllow),
                ResourceKind::RoleToAssume => return implicit(ImplicitReason::TrustPolicyDoesNotAllow),
                ResourceKind::Other => {}
            }
        }
        if is_root {
            return allow(Decider::RootUser);
        }
        match resource_grant {
            Some((decider, Strength::Direct)) => allow(decider),
            Some((decider, Strength::Parent)) => {
                if !boundary_allows {
                    implicit(ImplicitReason::BoundaryDoesNotAllow)
                } else if !session_allows {
                    implicit(ImplicitReason::SessionPolicyDoesNotAllow)
                } else {
                    allow(decider)
                }
            }
            Some((_, Strength::Account)) | None => match identity_path() {
                Ok(d) => allow(d),
                Err(reason) => implicit(reason),
            },
        }
    }
}
