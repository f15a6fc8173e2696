//! Generators for testing policies: proptest strategies (feature `proptest`) and
//! `Arbitrary` implementations (feature `arbitrary`), for policies and requests.
//!
//! The request generators are biased towards a policy set's own literals: its
//! actions, resource patterns with their wildcards filled in, principals, and
//! every condition value with the values just beside it (a number ± a step, an
//! IP range's first and last address and their neighbours, a date ± a second, a
//! string and near misses), plus absent and empty-set keys.

use crate::condition::ValueTest;
use crate::policy::PrincipalKind;
use crate::request::{Context, ContextValue, Request};
use crate::PolicySet;

/// The literals a policy set mentions, for biased request generation.
#[derive(Debug, Clone, Default)]
pub struct Literals {
    /// Callers worth trying: common kinds plus those the policies name.
    pub principals: Vec<String>,
    /// Actions worth trying, the policies' patterns filled in.
    pub actions: Vec<String>,
    /// Resources worth trying, the policies' patterns filled in.
    pub resources: Vec<String>,
    /// Each condition key with the values worth trying.
    pub keys: Vec<(String, Vec<String>)>,
}

fn fill(pattern: &str, filler: &str) -> String {
    pattern.replace('*', filler).replace('?', "x")
}

impl Literals {
    /// The literals of every policy in the set.
    pub fn of(set: &PolicySet) -> Literals {
        let mut l = Literals {
            principals: vec![
                "anonymous".into(),
                "arn:aws:iam::111122223333:user/alice".into(),
                "arn:aws:sts::111122223333:assumed-role/R/s".into(),
                "arn:aws:iam::111122223333:root".into(),
                "arn:aws:sts::999999999999:assumed-role/X/s".into(),
            ],
            ..Literals::default()
        };
        for (_, policy) in set.iter() {
            for s in &policy.statements {
                for a in &s.action.patterns {
                    if a.text == "*" {
                        l.actions.push("s3:GetObject".into());
                    } else {
                        l.actions.push(fill(&a.text, "Object"));
                        l.actions.push(fill(&a.text, ""));
                    }
                }
                for r in s.resource.iter().flat_map(|r| r.patterns.iter()) {
                    if r.text != "*" && !r.text.contains("${") {
                        l.resources.push(fill(&r.text, "x"));
                        l.resources.push(fill(&r.text, ""));
                        l.resources.push(fill(&r.text, "a/b"));
                    }
                }
                for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
                    match &e.kind {
                        PrincipalKind::Account { account } => {
                            l.principals.push(format!("arn:aws:iam::{account}:user/u"))
                        }
                        PrincipalKind::User { arn }
                        | PrincipalKind::RoleSession { arn }
                        | PrincipalKind::FederatedUser { arn } => l.principals.push(arn.clone()),
                        PrincipalKind::Role { account, name, arn, .. } => {
                            l.principals.push(arn.clone());
                            l.principals
                                .push(format!("arn:aws:sts::{account}:assumed-role/{name}/s"));
                        }
                        PrincipalKind::Service(s) => l.principals.push(s.clone()),
                        _ => {}
                    }
                }
                for c in &s.conditions {
                    let mut values: Vec<String> = Vec::new();
                    for v in &c.values {
                        values.push(v.text.clone());
                        values.push(format!("{}x", v.text));
                        values.push(fill(&v.text, "x"));
                    }
                    match &c.matcher.test {
                        ValueTest::Numeric { values: nums, .. } => {
                            for n in nums {
                                if let Ok(f) = n.parse::<f64>() {
                                    values.extend([f - 1.0, f - 0.01, f + 0.01, f + 1.0].map(|x| format!("{x}")));
                                }
                            }
                        }
                        ValueTest::Ip(nets) => {
                            for n in nets {
                                values.push(n.network().to_string());
                                values.push(n.broadcast().to_string());
                            }
                        }
                        ValueTest::Bool(_) | ValueTest::Null(_) => values.extend(["true".into(), "false".into()]),
                        _ => {}
                    }
                    values.push(String::new());
                    match l.keys.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(&c.key)) {
                        Some((_, vs)) => vs.extend(values),
                        None => l.keys.push((c.key.clone(), values)),
                    }
                }
            }
        }
        if l.actions.is_empty() {
            l.actions.push("s3:GetObject".into());
        }
        if l.resources.is_empty() {
            l.resources.push("arn:aws:s3:::b/k".into());
        }
        l.resources.push("*".into());
        for list in [&mut l.principals, &mut l.actions, &mut l.resources] {
            list.sort();
            list.dedup();
        }
        l
    }

    /// Builds a request from choices (indices taken modulo each pool's size). Each
    /// key is absent, single-valued, or a set, as `key_choices` says.
    pub fn request(
        &self,
        principal: usize,
        action: usize,
        resource: usize,
        key_choices: &[(u8, usize, usize)],
    ) -> Option<Request> {
        let mut context = Context::new();
        for ((key, values), &(shape, a, b)) in self.keys.iter().zip(key_choices) {
            if values.is_empty() {
                continue;
            }
            let value = match shape % 4 {
                0 => continue,
                1 | 2 => ContextValue::Single(values[a % values.len()].clone()),
                _ if a % 5 == 0 => ContextValue::Multi(Vec::new()),
                _ => ContextValue::Multi(vec![values[a % values.len()].clone(), values[b % values.len()].clone()]),
            };
            let _ = context.insert(key.clone(), value);
        }
        Request::new(
            &self.principals[principal % self.principals.len()],
            &self.actions[action % self.actions.len()],
            &self.resources[resource % self.resources.len()],
            None,
            context,
        )
        .ok()
    }
}

#[cfg(feature = "proptest")]
pub mod strategies {
    //! proptest strategies.
    use super::Literals;
    use crate::{PolicySet, Request};
    use proptest::prelude::*;

    /// Requests biased to `set`'s own literals and their boundaries.
    pub fn requests_for(set: &PolicySet) -> impl Strategy<Value = Request> {
        let literals = Literals::of(set);
        let keys = literals.keys.len();
        (
            any::<usize>(),
            any::<usize>(),
            any::<usize>(),
            proptest::collection::vec((any::<u8>(), any::<usize>(), any::<usize>()), keys),
        )
            .prop_filter_map("a request the evaluator accepts", move |(p, a, r, k)| {
                literals.request(p, a, r, &k)
            })
    }

    /// Policy documents as JSON text, drawing on every operator family.
    pub fn policy_json() -> impl Strategy<Value = String> {
        let condition = prop::sample::select(super::CONDITIONS.to_vec());
        let statement = (
            any::<bool>(),
            prop::sample::subsequence(super::ACTIONS.to_vec(), 1..3),
            prop::sample::subsequence(super::RESOURCES.to_vec(), 1..3),
            prop::collection::vec(condition, 0..3),
        )
            .prop_map(|(allow, actions, resources, conditions)| {
                super::statement_json(allow, &actions, &resources, &conditions, None)
            });
        prop::collection::vec(statement, 1..4)
            .prop_map(|s| format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, s.join(",")))
    }
}

/// Condition blocks the generators draw from: every operator family.
pub const CONDITIONS: &[&str] = &[
    r#""Bool":{"aws:SecureTransport":"false"}"#,
    r#""StringNotEquals":{"s3:x-amz-server-side-encryption":"aws:kms"}"#,
    r#""StringLike":{"s3:prefix":["home/*","a?c"]}"#,
    r#""StringEqualsIgnoreCase":{"aws:PrincipalTag/team":"Dev"}"#,
    r#""Null":{"s3:x-amz-server-side-encryption":"true"}"#,
    r#""NumericLessThan":{"s3:TlsVersion":"1.2"}"#,
    r#""DateGreaterThan":{"aws:CurrentTime":"2030-01-01T00:00:00Z"}"#,
    r#""NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}"#,
    r#""ArnLike":{"aws:SourceArn":"arn:aws:sns:*:111122223333:*"}"#,
    r#""ForAllValues:StringEquals":{"aws:TagKeys":["env","owner"]}"#,
    r#""ForAnyValue:StringLike":{"aws:TagKeys":"e*"}"#,
    r#""BinaryEquals":{"aws:ResourceTag/blob":"aGVsbG8="}"#,
    r#""StringNotEqualsIfExists":{"aws:PrincipalTag/team":"ops"}"#,
];
/// Action patterns the generators draw from: exact, prefix, suffix and whole-service wildcards.
pub const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:PutObject",
    "s3:List*",
    "kms:Decrypt",
    "s3:*Object",
];
/// Resource patterns the generators draw from: bucket, object and wildcard ARNs.
pub const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::b*",
    "arn:aws:s3:::c/*",
];
/// `Principal` elements the generators draw from: everyone, an account, a role and a service.
pub const PRINCIPALS: &[&str] = &[
    r#""*""#,
    r#"{"AWS":"111122223333"}"#,
    r#"{"AWS":"arn:aws:iam::111122223333:role/R"}"#,
    r#"{"Service":"codepipeline.amazonaws.com"}"#,
];

/// One statement's JSON.
pub fn statement_json(
    allow: bool,
    actions: &[&str],
    resources: &[&str],
    conditions: &[&str],
    principal: Option<&str>,
) -> String {
    let quote = |v: &[&str]| v.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(",");
    let mut blocks: Vec<&str> = conditions.to_vec();
    blocks.sort();
    blocks.dedup_by_key(|b| b.split(':').next().unwrap_or("").to_string());
    let condition = if blocks.is_empty() {
        String::new()
    } else {
        format!(r#","Condition":{{{}}}"#, blocks.join(","))
    };
    let principal = principal.map(|p| format!(r#","Principal":{p}"#)).unwrap_or_default();
    format!(
        r#"{{"Effect":"{}"{principal},"Action":[{}],"Resource":[{}]{condition}}}"#,
        if allow { "Allow" } else { "Deny" },
        quote(actions),
        quote(resources)
    )
}

#[cfg(feature = "arbitrary")]
mod fuzzing {
    //! `Arbitrary` for fuzzing: a policy set and a request chosen from the pools above.
    use super::*;
    use arbitrary::{Arbitrary, Result, Unstructured};

    /// A generated policy set (identity policies and a resource policy) as JSON.
    #[derive(Debug, Clone)]
    pub struct ArbitraryPolicySet {
        /// Identity policies, as JSON text.
        pub identity: Vec<String>,
        /// The resource policy, as JSON text, if any.
        pub resource: Option<String>,
    }

    fn pick<'a>(u: &mut Unstructured, pool: &[&'a str]) -> Result<&'a str> {
        Ok(pool[u.choose_index(pool.len())?])
    }

    fn statement(u: &mut Unstructured, with_principal: bool) -> Result<String> {
        let actions = [pick(u, ACTIONS)?, pick(u, ACTIONS)?];
        let resources = [pick(u, RESOURCES)?];
        let n = u.int_in_range(0..=2)?;
        let mut conditions = Vec::new();
        for _ in 0..n {
            conditions.push(pick(u, CONDITIONS)?);
        }
        let principal = if with_principal {
            Some(pick(u, PRINCIPALS)?)
        } else {
            None
        };
        Ok(statement_json(
            bool::arbitrary(u)?,
            &actions,
            &resources,
            &conditions,
            principal,
        ))
    }

    fn policy(u: &mut Unstructured, with_principal: bool) -> Result<String> {
        let n = u.int_in_range(1..=3)?;
        let mut s = Vec::new();
        for _ in 0..n {
            s.push(statement(u, with_principal)?);
        }
        Ok(format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, s.join(",")))
    }

    impl<'a> Arbitrary<'a> for ArbitraryPolicySet {
        fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
            let n = u.int_in_range(0..=2)?;
            let mut identity = Vec::new();
            for _ in 0..n {
                identity.push(policy(u, false)?);
            }
            let resource = if bool::arbitrary(u)? {
                Some(policy(u, true)?)
            } else {
                None
            };
            Ok(ArbitraryPolicySet { identity, resource })
        }
    }

    impl ArbitraryPolicySet {
        /// Reads the policies into a set, leaving out any that fail to load.
        pub fn load(&self) -> PolicySet {
            PolicySet {
                identity: self
                    .identity
                    .iter()
                    .filter_map(|p| crate::Policy::parse(p).ok())
                    .collect(),
                resource: self.resource.as_ref().and_then(|p| crate::Policy::parse(p).ok()),
                ..PolicySet::default()
            }
        }
    }

    /// Index choices for [`Literals::request`]: a request biased to a set's literals.
    #[derive(Debug, Clone, Arbitrary)]
    pub struct ArbitraryRequest {
        /// Index of the caller in [`Literals::principals`] (modulo its length).
        pub principal: usize,
        /// Index of the action in [`Literals::actions`] (modulo its length).
        pub action: usize,
        /// Index of the resource in [`Literals::resources`] (modulo its length).
        pub resource: usize,
        /// Per context key: its shape (absent, single or set) and two value indices, as [`Literals::request`] reads them.
        pub keys: Vec<(u8, usize, usize)>,
    }

    impl ArbitraryRequest {
        /// The request these choices pick from the set's literals; `None` if it is not a valid request.
        pub fn for_set(&self, set: &PolicySet) -> Option<Request> {
            Literals::of(set).request(self.principal, self.action, self.resource, &self.keys)
        }
    }
}

#[cfg(feature = "arbitrary")]
pub use fuzzing::{ArbitraryPolicySet, ArbitraryRequest};
