//! Principal classes: callers, (caller, resource account) pairs, accounts.

use crate::automaton::{CharPattern, Sym};
use crate::classes::context::string_patterns;
use crate::derived;
use crate::prover::{dedup, Found, Goal, Prover, Tagged, Unknown, MAX_WITNESSES};
use std::collections::{BTreeSet, HashMap};
use veto_iam::policy::{Condition, PrincipalKind, Statement};
use veto_iam::template::GlobValue;
use veto_iam::Caller;

fn account_of_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| veto_source::is_account_id(a))
}

impl<'a> Prover<'a> {
    pub(crate) fn principals(&self, all: &[&Statement], keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<String>> {
        let mut out: Vec<String> = vec!["anonymous".into()];
        let mut users: Vec<String> = Vec::new();
        let mut roles: Vec<(String, String, String, String)> = Vec::new();
        let mut sessions: Vec<String> = Vec::new();
        let mut feds: Vec<String> = Vec::new();
        let mut services: Vec<String> = Vec::new();
        for s in all {
            for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
                match &e.kind {
                    PrincipalKind::Account { .. } => {}
                    PrincipalKind::User { arn } => {
                        users.push(arn.clone());
                    }
                    PrincipalKind::Role {
                        partition,
                        account,
                        name,
                        arn,
                    } => {
                        roles.push((partition.clone(), account.clone(), name.clone(), arn.clone()));
                    }
                    PrincipalKind::RoleSession { arn } => {
                        sessions.push(arn.clone());
                    }
                    PrincipalKind::FederatedUser { arn } => {
                        feds.push(arn.clone());
                    }
                    // `Federated` and `CanonicalUser` entries name a caller string equal
                    // to the entry (README), e.g. `cognito-identity.amazonaws.com`; the
                    // evaluator grants it, so the search must try it (spec §1.4, §2.6).
                    // Those `Caller::parse` rejects (SAML provider ARNs) are dropped below.
                    PrincipalKind::Service(s) | PrincipalKind::Federated(s) | PrincipalKind::CanonicalUser(s) => {
                        services.push(s.clone())
                    }
                    _ => {}
                }
            }
        }
        let accounts = mentioned_accounts(all, self.property.resource_account.as_deref());
        for a in &accounts {
            out.push(format!("arn:aws:sts::{a}:assumed-role/veto-role/veto-session"));
            out.push(format!("arn:aws:iam::{a}:user/veto-user"));
            out.push(format!("arn:aws:iam::{a}:root"));
            out.push(format!("arn:aws:sts::{a}:federated-user/veto-federated"));
        }
        for (partition, account, name, arn) in &roles {
            out.push(format!(
                "arn:{partition}:sts::{account}:assumed-role/{name}/veto-session"
            ));
            out.push(arn.clone());
        }
        // Callers whose derived keys fall in each class the conditions on them draw.
        out.extend(self.principal_arn_callers(all, keys)?);
        if let Some(conditions) = keys.get("aws:username") {
            let (patterns, groups) = string_patterns("aws:username", conditions)?;
            let domain = [CharPattern::from_syms(vec![Sym::SegmentChar, Sym::SegmentRun])];
            for name in self.class_witnesses("aws:username", &patterns, &groups, &domain, &[])? {
                for a in &accounts {
                    out.push(format!("arn:aws:iam::{a}:user/{name}"));
                }
            }
        }
        out.extend(users);
        out.extend(sessions);
        out.extend(feds);
        out.extend(services.iter().filter(|s| Caller::parse(s).is_ok()).cloned());
        // One service principal no policy names stands for every such service: a
        // real one, so a witness is a request AWS could send.
        if let Some(unnamed) = UNNAMED_SERVICES
            .iter()
            .find(|c| !out.iter().any(|o| o.eq_ignore_ascii_case(c)))
        {
            out.push((*unnamed).to_string());
        }
        dedup(&mut out);
        Ok(out)
    }

    /// The (caller, resource account) pairs to search, one per class of pairs the
    /// policies cannot tell apart: same kind of caller, same relation to the
    /// resource account, and the same matches of Principal elements counted by
    /// what they contribute (statements that differ only in Principal form one
    /// group). So 1,000 grants to 1,000 accounts are searched as one account.
    /// When a condition reads a key that names the caller or an account
    /// (`aws:PrincipalArn`, `aws:PrincipalAccount`…), every pair is its own class.
    pub(crate) fn caller_classes(
        &mut self,
        tagged: &[Tagged],
        principals: &[String],
        accounts: &[String],
        keys: &HashMap<String, Vec<&Condition>>,
    ) -> Vec<(String, String)> {
        const NAMING: [&str; 6] = [
            "aws:principalarn",
            "aws:principalaccount",
            "kms:calleraccount",
            "aws:username",
            "aws:userid",
            "aws:resourceaccount",
        ];
        let variables = tagged.iter().any(|t| {
            t.statement
                .resource
                .iter()
                .flat_map(|r| r.patterns.iter())
                .any(|p| matches!(p.matcher, GlobValue::Dynamic(_)))
        });
        let naming = variables || NAMING.iter().any(|k| keys.contains_key(*k));
        // Statements keyed by everything but their Principal.
        let mut group_ids: HashMap<String, usize> = HashMap::new();
        let groups: Vec<usize> = tagged
            .iter()
            .map(|t| {
                let s = t.statement;
                let conditions = super::conditions_key(s);
                let key = format!(
                    "{}|{:?}|{:?}|{}|{:?}|{:?}|{conditions:?}",
                    t.set,
                    t.policy,
                    s.effect,
                    s.action.negated,
                    s.action.patterns.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
                    s.resource.as_ref().map(|r| (
                        r.negated,
                        r.patterns.iter().map(|p| p.text.as_str()).collect::<Vec<_>>()
                    )),
                );
                let next = group_ids.len();
                *group_ids.entry(key).or_insert(next)
            })
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out: Vec<(String, String)> = Vec::new();
        for principal in principals {
            let Ok(caller) = Caller::parse(principal) else { continue };
            // The Principal matches depend on the caller alone.
            let mut matches: Vec<(usize, Option<veto_iam::Strength>)> = tagged
                .iter()
                .zip(&groups)
                .filter_map(|(t, &g)| {
                    let p = t.statement.principal.as_ref()?;
                    let has_boundary = if t.set == 2 { false } else { t.has_boundary };
                    Some((g, p.applies_to(&caller, has_boundary)))
                })
                .filter(|(_, strength)| strength.is_some())
                .collect();
            matches.sort();
            matches.dedup();
            // Unless a condition reads the resource's account, resource accounts
            // differ only as the caller's own or another: try the caller's own
            // and the first other one.
            let own = caller.account();
            let tried: Vec<&String> = if naming {
                accounts.iter().collect()
            } else {
                let mut t: Vec<&String> = accounts.iter().filter(|a| Some(a.as_str()) == own).take(1).collect();
                t.extend(accounts.iter().filter(|a| Some(a.as_str()) != own).take(1));
                t
            };
            for account in tried {
                let identity = match (&caller, naming) {
                    (_, true) | (Caller::Service(_), _) => principal.clone(),
                    (c, false) => format!("{:?}", std::mem::discriminant(c)),
                };
                let outsider = caller.account().is_some_and(|a| !self.named.contains(a));
                let signature = format!(
                    "{identity}|{:?}|{}|{outsider}|{matches:?}",
                    caller.partition(),
                    caller.account() == Some(account.as_str()),
                );
                match seen.get(&signature) {
                    Some(&i) => {
                        // Remember who else the representative stands for (public's report).
                        if let (Ok(rep), Some(member)) = (Caller::parse(&out[i].0), caller.account()) {
                            if let Some(rep) = rep.account() {
                                let members = self.class_accounts.entry(rep.to_string()).or_default();
                                if members.len() < MAX_WITNESSES && !members.iter().any(|m| m == member) {
                                    members.push(member.to_string());
                                }
                            }
                        }
                    }
                    None => {
                        seen.insert(signature, out.len());
                        out.push((principal.clone(), account.clone()));
                    }
                }
            }
        }
        out
    }

    /// Callers for every class of `aws:PrincipalArn` values the conditions draw,
    /// split also by the Principal entries: the classes are walked inside the
    /// shapes a principal's ARN takes (root, user, role, federated user) in every
    /// account searched and every partition named, plus one more partition.
    fn principal_arn_callers(&self, all: &[&Statement], keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<String>> {
        let Some(conditions) = keys.get("aws:principalarn") else {
            return Ok(Vec::new());
        };
        let (mut patterns, mut groups) = string_patterns("aws:principalarn", conditions)?;
        let mut partitions: Vec<String> = vec!["aws".into()];
        for s in all {
            for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
                match &e.kind {
                    // Each entry is a test of its own.
                    PrincipalKind::Account { account } => {
                        groups.push(groups.iter().max().map_or(0, |g| g + 1));
                        patterns.push(CharPattern::glob(&format!("arn:*:*::{account}:*")))
                    }
                    PrincipalKind::User { arn }
                    | PrincipalKind::Role { arn, .. }
                    | PrincipalKind::FederatedUser { arn } => {
                        groups.push(groups.iter().max().map_or(0, |g| g + 1));
                        patterns.push(CharPattern::literal(arn, false));
                        partitions.extend(arn.split(':').nth(1).map(str::to_string));
                    }
                    _ => {}
                }
            }
        }
        for c in conditions {
            for v in &c.values {
                if let Some(p) = v
                    .text
                    .split(':')
                    .nth(1)
                    .filter(|p| !p.is_empty() && !p.contains(['*', '?', '$']))
                {
                    partitions.push(p.to_string());
                }
            }
        }
        if let Some(other) = ["aws-cn", "aws-us-gov", "aws-iso"]
            .iter()
            .find(|p| !partitions.iter().any(|q| q == *p))
        {
            partitions.push(other.to_string());
        }
        dedup(&mut partitions);
        let accounts = mentioned_accounts(all, self.property.resource_account.as_deref());
        let mut domain = Vec::new();
        for partition in &partitions {
            for (service, tail, name) in [
                ("iam", "root", None),
                ("iam", "user/", Some((Sym::AnyChar, Sym::AnyRun))),
                ("iam", "role/", Some((Sym::AnyChar, Sym::AnyRun))),
                ("sts", "federated-user/", Some((Sym::SegmentChar, Sym::SegmentRun))),
            ] {
                // The accounts searched: every one a literal names, and the fresh one
                // standing for all others (so each caller's account is also a
                // resource account, and same-account access is searched).
                for account in &accounts {
                    let mut syms: Vec<Sym> = format!("arn:{partition}:{service}::{account}:")
                        .chars()
                        .map(Sym::Char)
                        .collect();
                    syms.extend(tail.chars().map(Sym::Char));
                    if let Some((one, run)) = name {
                        syms.extend([one, run]);
                    }
                    domain.push(CharPattern::from_syms(syms));
                }
            }
        }
        let mut out = Vec::new();
        for witness in self.class_witnesses("aws:PrincipalArn", &patterns, &groups, &domain, &[])? {
            match Caller::parse(&witness) {
                Ok(c) if c.is_iam_principal() => out.push(witness),
                _ => {
                    return Err(Unknown(format!(
                        "unknown: no caller has the aws:PrincipalArn `{witness}` that stands for one class of the patterns on it"
                    )))
                }
            }
        }
        Ok(out)
    }

    /// Resource accounts: the property's, or every account a principal entry names,
    /// the fresh account callers come from, and one more that no caller is in (so a
    /// cross-account request, which also needs the caller's identity policies, is
    /// always among the candidates).
    pub(crate) fn accounts(&self, all: &[&Statement]) -> Vec<String> {
        match (&self.property.resource_account, &self.goal) {
            (Some(a), _) => vec![a.clone()],
            // Public access: the resource belongs to an account no caller is in.
            (None, Goal::Public) => vec![self.unreached_account.clone()],
            (None, _) => {
                let mut accounts = mentioned_accounts(all, None);
                accounts.push(self.unreached_account.clone());
                accounts
            }
        }
    }
}

/// Every account the principal entries name, `extra`, and one fresh account.
pub(crate) fn mentioned_accounts(all: &[&Statement], extra: Option<&str>) -> Vec<String> {
    let mut accounts: Vec<String> = Vec::new();
    for s in all {
        for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
            match &e.kind {
                PrincipalKind::Account { account } | PrincipalKind::Role { account, .. } => {
                    accounts.push(account.clone())
                }
                PrincipalKind::User { arn }
                | PrincipalKind::RoleSession { arn }
                | PrincipalKind::FederatedUser { arn } => accounts.extend(account_of_arn(arn).map(str::to_string)),
                _ => {}
            }
        }
    }
    // Accounts the conditions on account-valued keys name: a caller there has them.
    for s in all {
        for c in s
            .conditions
            .iter()
            .filter(|c| ACCOUNT_KEYS.contains(&c.key_lower.as_str()))
        {
            for v in &c.values {
                accounts.extend(account_ids_in(&v.text));
            }
        }
    }
    accounts.extend(extra.map(str::to_string));
    accounts.push(fresh_account(&accounts));
    dedup(&mut accounts);
    accounts
}

/// Per restricting key ([`derived::RESTRICTING`]), the condition values that fix
/// it: literals, patterns without wildcards, and ARN patterns with a literal
/// account. A wildcard such as `vpce-*` or `arn:aws:iam::*:role/R` fixes nothing.
pub(crate) fn fixing_patterns(all: &[&Statement]) -> Vec<(String, Vec<CharPattern>)> {
    let mut out: Vec<(String, Vec<CharPattern>)> = Vec::new();
    for s in all {
        for c in s
            .conditions
            .iter()
            .filter(|c| derived::RESTRICTING.contains(&c.key_lower.as_str()))
        {
            let fold = c.operator.base.string_match() == Some(veto_iam::operator::StringMatch::IgnoreCase);
            let mut patterns = Vec::new();
            for v in &c.values {
                let t = v.text.as_str();
                let wild = t.contains(['*', '?']);
                let arn_account_fixed = t.starts_with("arn:")
                    && t.split(':')
                        .nth(4)
                        .is_some_and(|a| account_ids_in(a).len() == 1 && a.len() == 12);
                if !wild {
                    patterns.push(CharPattern::literal(t, fold));
                } else if arn_account_fixed {
                    patterns.push(CharPattern::arn_like(t));
                }
            }
            if patterns.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(k, _)| *k == c.key_lower) {
                Some((_, p)) => p.extend(patterns),
                None => out.push((c.key_lower.clone(), patterns)),
            }
        }
    }
    out
}

/// Keys whose values name accounts (or carry one in an ARN).
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:principalarn",
    "aws:userid",
    "aws:resourceaccount",
];

/// Every run of exactly 12 digits in `text`.
fn account_ids_in(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 12)
        .map(str::to_string)
        .collect()
}

/// Every account any literal of the policies names: principal entries,
/// condition values and resources.
pub(crate) fn named_accounts(all: &[&Statement]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in all {
        for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
            out.extend(account_ids_in(&e.text));
        }
        for c in &s.conditions {
            for v in &c.values {
                out.extend(account_ids_in(&v.text));
            }
        }
        for p in s.resource.iter().flat_map(|r| r.patterns.iter()) {
            out.extend(account_ids_in(&p.text));
        }
    }
    out
}

pub(crate) fn fresh_account(used: &[String]) -> String {
    (0..1000u32)
        .map(|i| format!("{:012}", 999_999_999_999u64 - i as u64))
        .find(|a| !used.contains(a))
        .unwrap_or_else(|| "999999999999".into())
}

/// Real service principals, in order of preference, to stand for "a service the
/// policies do not name" (the first one no policy names is used).
const UNNAMED_SERVICES: &[&str] = &[
    "lambda.amazonaws.com",
    "ec2.amazonaws.com",
    "ecs-tasks.amazonaws.com",
    "glue.amazonaws.com",
    "states.amazonaws.com",
];
