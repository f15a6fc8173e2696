//! The evaluator's laws, checked by proptest on generated policies and requests.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use proptest::prelude::*;
use serde_json::{json, Value};
use veto_iam::{Context, ContextValue, Decision, Policy, PolicySet, Request};

const ACCOUNT: &str = "111122223333";

fn action_pattern() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "*",
        "s3:*",
        "s3:Get*",
        "s3:GetObject",
        "s3:PutObject",
        "s3:List*",
        "kms:Decrypt",
        "s3:*Object",
    ])
}

fn resource_pattern() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "*",
        "arn:aws:s3:::b",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b*",
        "arn:aws:s3:::c/*",
        "arn:aws:s3:::b/${aws:username}/*",
    ])
}

fn principal_value() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": ACCOUNT}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:user/alice")}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/R")}),
        json!({"AWS": "444455556666"}),
        json!({"Service": "codepipeline.amazonaws.com"}),
    ])
}

fn condition() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"Bool": {"aws:SecureTransport": true}}),
        json!({"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}),
        json!({"StringEqualsIfExists": {"s3:x-amz-server-side-encryption": ["aws:kms", "AES256"]}}),
        json!({"Null": {"s3:x-amz-server-side-encryption": "true"}}),
        json!({"StringLike": {"aws:PrincipalTag/team": "d*"}}),
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}}),
        json!({"ForAnyValue:StringLike": {"aws:TagKeys": "e*"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
        json!({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
        json!({"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}),
    ])
}

fn statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::bool::ANY,
        prop::collection::vec(action_pattern(), 1..3),
        prop::bool::weighted(0.15),
        prop::collection::vec(resource_pattern(), 1..3),
        prop::bool::weighted(0.1),
        principal_value(),
        prop::collection::vec(condition(), 0..3),
    )
        .prop_map(
            move |(allow, actions, not_action, resources, not_resource, principal, conditions)| {
                let mut s = serde_json::Map::new();
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                s.insert(if not_action { "NotAction" } else { "Action" }.into(), json!(actions));
                s.insert(
                    if not_resource { "NotResource" } else { "Resource" }.into(),
                    json!(resources),
                );
                if with_principal {
                    s.insert("Principal".into(), principal);
                }
                let mut block = serde_json::Map::new();
                for c in conditions {
                    for (op, keys) in c.as_object().unwrap() {
                        // Merge rather than write one operator twice.
                        let entry = block.entry(op.clone()).or_insert_with(|| json!({}));
                        for (k, v) in keys.as_object().unwrap() {
                            entry[k] = v.clone();
                        }
                    }
                }
                if !block.is_empty() {
                    s.insert("Condition".into(), Value::Object(block));
                }
                Value::Object(s)
            },
        )
}

fn policy_json(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(with_principal), 1..5)
        .prop_map(|statements| json!({"Version": "2012-10-17", "Statement": statements}))
}

fn parse(v: &Value) -> Policy {
    Policy::parse(&v.to_string()).unwrap_or_else(|e| panic!("generated policy does not load: {e}\n{v}"))
}

#[derive(Debug, Clone)]
struct SetJson {
    identity: Vec<Value>,
    resource: Option<Value>,
    boundary: Option<Value>,
    scps: Vec<Value>,
}

impl SetJson {
    fn load(&self) -> PolicySet {
        PolicySet {
            identity: self.identity.iter().map(parse).collect(),
            resource: self.resource.as_ref().map(parse),
            boundary: self.boundary.iter().map(parse).collect(),
            scps: if self.scps.is_empty() {
                vec![]
            } else {
                vec![self.scps.iter().map(parse).collect()]
            },
            ..PolicySet::default()
        }
    }
}

fn policy_set() -> impl Strategy<Value = SetJson> {
    (
        prop::collection::vec(policy_json(false), 0..3),
        prop::option::of(policy_json(true)),
        prop::option::weighted(0.2, policy_json(false)),
        prop::collection::vec(policy_json(false), 0..2),
    )
        .prop_map(|(identity, resource, boundary, scps)| SetJson {
            identity,
            resource,
            boundary,
            scps,
        })
}

fn context_value(key: &'static str) -> BoxedStrategy<Option<ContextValue>> {
    let single = |values: Vec<&'static str>| {
        prop::option::of(prop::sample::select(values).prop_map(|v| ContextValue::Single(v.to_string()))).boxed()
    };
    match key {
        "aws:SecureTransport" => single(vec!["true", "false"]),
        "s3:x-amz-server-side-encryption" => single(vec!["aws:kms", "AES256", "aws:kms:dsse", "AWS:KMS"]),
        "aws:PrincipalTag/team" => single(vec!["dev", "ops", ""]),
        "aws:SourceIp" => single(vec!["203.0.113.9", "10.1.2.3", "2001:db8::1", "198.51.100.7"]),
        "s3:TlsVersion" => single(vec!["1.1", "1.2", "1.3"]),
        "aws:CurrentTime" => single(vec![
            "2023-12-31T23:59:59Z",
            "2024-01-01T00:00:00Z",
            "2025-06-01T00:00:00Z",
        ]),
        "aws:SourceArn" => single(vec![
            "arn:aws:sns:us-east-1:111122223333:t",
            "arn:aws:sns:us-east-1:444455556666:t",
        ]),
        "aws:username" => single(vec!["alice", "bob"]),
        _ => prop::option::of(
            prop::collection::vec(prop::sample::select(vec!["env", "owner", "x"]), 0..3)
                .prop_map(|v| ContextValue::Multi(v.into_iter().map(str::to_string).collect())),
        )
        .boxed(),
    }
}

fn request() -> impl Strategy<Value = Request> {
    let keys = [
        "aws:SecureTransport",
        "s3:x-amz-server-side-encryption",
        "aws:PrincipalTag/team",
        "aws:SourceIp",
        "s3:TlsVersion",
        "aws:CurrentTime",
        "aws:SourceArn",
        "aws:username",
        "aws:TagKeys",
    ];
    let context = keys.map(context_value).to_vec();
    (
        prop::sample::select(vec![
            "anonymous".to_string(),
            format!("arn:aws:iam::{ACCOUNT}:user/alice"),
            format!("arn:aws:sts::{ACCOUNT}:assumed-role/R/s"),
            format!("arn:aws:iam::{ACCOUNT}:root"),
            "arn:aws:sts::444455556666:assumed-role/B/s".to_string(),
            "codepipeline.amazonaws.com".to_string(),
        ]),
        prop::sample::select(vec![
            "s3:GetObject",
            "s3:PutObject",
            "s3:ListBucket",
            "kms:Decrypt",
            "S3:getobject",
        ]),
        prop::sample::select(vec![
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::b/alice/k",
            "arn:aws:s3:::c/k",
            "arn:aws:s3:::bx/k",
        ]),
        context,
    )
        .prop_map(move |(principal, action, resource, values)| {
            let mut ctx = Context::new();
            for (key, value) in keys.iter().zip(values) {
                if let Some(v) = value {
                    ctx.insert(*key, v).unwrap();
                }
            }
            Request::new(&principal, action, resource, None, ctx).unwrap()
        })
}

fn deny_statement() -> impl Strategy<Value = Value> {
    statement(true).prop_map(|mut s| {
        s["Effect"] = json!("Deny");
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Adding a Deny statement anywhere never turns a decision into Allow.
    #[test]
    fn adding_a_deny_never_allows(set in policy_set(), deny in deny_statement(), target in 0usize..4, req in request()) {
        let before = set.load().evaluate(&req);
        let mut with = set.clone();
        let push = |p: &mut Value, mut s: Value| {
            if p.get("Statement").and_then(|s| s[0].get("Principal")).is_none() {
                s.as_object_mut().unwrap().remove("Principal");
            }
            p["Statement"].as_array_mut().unwrap().push(s);
        };
        match target {
            0 if !with.identity.is_empty() => push(&mut with.identity[0], deny),
            1 if with.resource.is_some() => push(with.resource.as_mut().unwrap(), deny),
            2 if !with.scps.is_empty() => push(&mut with.scps[0], deny),
            _ => {
                let mut s = deny;
                s.as_object_mut().unwrap().remove("Principal");
                with.identity.push(json!({"Version": "2012-10-17", "Statement": [s]}));
            }
        }
        let after = with.load().evaluate(&req);
        prop_assert!(after == before || after == Decision::ExplicitDeny, "{before} became {after}");
    }

    /// Statement order and policy order never matter.
    #[test]
    fn order_never_matters(set in policy_set(), req in request(), seed in any::<u64>()) {
        let before = set.load().evaluate(&req);
        let mut shuffled = set.clone();
        let mut rng = seed;
        let mut next = move || { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; rng };
        let mut shuffle = |items: &mut Vec<Value>| {
            for i in (1..items.len()).rev() {
                let j = (next() % (i as u64 + 1)) as usize;
                items.swap(i, j);
            }
        };
        for p in shuffled.identity.iter_mut().chain(shuffled.resource.iter_mut()).chain(shuffled.scps.iter_mut()) {
            shuffle(p["Statement"].as_array_mut().unwrap());
        }
        shuffle(&mut shuffled.identity);
        shuffle(&mut shuffled.scps);
        prop_assert_eq!(before, shuffled.load().evaluate(&req));
    }

    /// A policy written back to JSON and read again decides the same.
    #[test]
    fn round_trip_decides_the_same(set in policy_set(), req in request()) {
        let loaded = set.load();
        let again = PolicySet {
            identity: loaded.identity.iter().map(|p| Policy::parse(&p.to_json()).unwrap()).collect(),
            resource: loaded.resource.as_ref().map(|p| Policy::parse(&p.to_json()).unwrap()),
            boundary: loaded.boundary.iter().map(|p| Policy::parse(&p.to_json()).unwrap()).collect(),
            scps: loaded.scps.iter().map(|l| l.iter().map(|p| Policy::parse(&p.to_json()).unwrap()).collect()).collect(),
            ..PolicySet::default()
        };
        prop_assert_eq!(loaded.evaluate(&req), again.evaluate(&req));
    }

    /// `X` and `XIfExists` differ only when the key is absent.
    #[test]
    fn if_exists_differs_only_on_absent_keys(c in condition(), qualifier in prop::sample::select(vec!["", "ForAllValues:", "ForAnyValue:"]), req in request()) {
        let (op, keys) = c.as_object().unwrap().iter().next().map(|(o, k)| (o.clone(), k.clone())).unwrap();
        prop_assume!(op != "Null");
        let base = op.trim_end_matches("IfExists").rsplit(':').next().unwrap().to_string();
        let key = keys.as_object().unwrap().keys().next().unwrap().clone();
        let with = |name: String| {
            let p = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",
                "Condition": {name: keys.clone()}}]});
            PolicySet { identity: vec![parse(&p)], ..PolicySet::default() }.evaluate(&req)
        };
        let plain = with(format!("{qualifier}{base}"));
        let if_exists = with(format!("{qualifier}{base}IfExists"));
        if req.context().get(&key).is_some() {
            prop_assert_eq!(plain, if_exists);
        }
    }
}

// ---------------------------------------------------------------------------
// One role, two spellings (spec §0): the bare role ARN is an unnamed session of
// the role, so it and any session ARN of the role that no policy names get the
// same decision, whatever the policies.

const ROLE_TARGET: &str = "arn:aws:iam::111122223333:role/Target";
const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/k";

fn role_principal() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "*"}),
        json!({"AWS": ACCOUNT}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:root")}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/R")}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/team/R")}),
        json!({"AWS": format!("arn:aws:iam::{ACCOUNT}:role/Other")}),
        json!({"AWS": format!("arn:aws:sts::{ACCOUNT}:assumed-role/R/other")}),
        json!({"AWS": [ACCOUNT, format!("arn:aws:iam::{ACCOUNT}:role/R")]}),
        json!({"AWS": [ACCOUNT, format!("arn:aws:iam::{ACCOUNT}:role/R"), format!("arn:aws:sts::{ACCOUNT}:assumed-role/R/other")]}),
        json!({"AWS": "444455556666"}),
        json!({"Service": "codepipeline.amazonaws.com"}),
    ])
}

/// A statement for the role law: actions and resources of every special kind
/// (KMS keys, trust, GetCallerIdentity, RCP-less services), `Principal` or, for a
/// Deny, sometimes `NotPrincipal`.
fn role_statement(with_principal: bool) -> impl Strategy<Value = Value> {
    (
        prop::bool::ANY,
        prop::sample::subsequence(
            vec![
                "*",
                "s3:*",
                "s3:GetObject",
                "kms:Decrypt",
                "sts:AssumeRole",
                "sts:TagSession",
                "sts:*",
                "ec2:*",
            ],
            1..3,
        ),
        prop::sample::subsequence(vec!["*", "arn:aws:s3:::b/*", KEY, ROLE_TARGET], 1..3),
        role_principal(),
        prop::bool::weighted(0.3),
        prop::collection::vec(condition(), 0..2),
    )
        .prop_map(move |(allow, actions, resources, principal, negated, conditions)| {
            let mut s =
                json!({"Effect": if allow { "Allow" } else { "Deny" }, "Action": actions, "Resource": resources});
            if with_principal {
                let element = if negated && !allow { "NotPrincipal" } else { "Principal" };
                s[element] = principal;
            }
            let mut block = serde_json::Map::new();
            for c in conditions {
                for (op, keys) in c.as_object().unwrap() {
                    let entry = block.entry(op.clone()).or_insert_with(|| json!({}));
                    for (k, v) in keys.as_object().unwrap() {
                        entry[k] = v.clone();
                    }
                }
            }
            if !block.is_empty() {
                s["Condition"] = Value::Object(block);
            }
            s
        })
}

fn role_policy(with_principal: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(role_statement(with_principal), 1..4)
        .prop_map(|statements| json!({"Version": "2012-10-17", "Statement": statements}))
}

fn role_policy_set() -> impl Strategy<Value = PolicySet> {
    (
        prop::collection::vec(role_policy(false), 0..3),
        prop::option::of(role_policy(true)),
        prop::option::weighted(0.4, role_policy(false)),
        prop::option::weighted(0.4, role_policy(false)),
        prop::collection::vec(role_policy(false), 0..2),
        prop::collection::vec(role_policy(true), 0..2),
    )
        .prop_map(|(identity, resource, boundary, session, scps, rcps)| PolicySet {
            identity: identity.iter().map(parse).collect(),
            resource: resource.as_ref().map(parse),
            boundary: boundary.iter().map(parse).collect(),
            session: session.as_ref().map(parse),
            scps: if scps.is_empty() {
                vec![]
            } else {
                vec![scps.iter().map(parse).collect()]
            },
            rcps: rcps.iter().map(|p| vec![parse(p)]).collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// A bare role ARN and a session ARN of the same role always get the same
    /// decision (spec §0), for the role with and without a path, same account and
    /// cross-account, on every kind of action the evaluator treats specially.
    #[test]
    fn bare_role_and_session_agree(
        set in role_policy_set(),
        bare in prop::sample::select(vec![
            format!("arn:aws:iam::{ACCOUNT}:role/R"),
            format!("arn:aws:iam::{ACCOUNT}:role/team/R"),
        ]),
        (action, resource) in prop::sample::select(vec![
            ("s3:GetObject", "arn:aws:s3:::b/k"),
            ("kms:Decrypt", KEY),
            ("sts:AssumeRole", ROLE_TARGET),
            ("sts:TagSession", ROLE_TARGET),
            ("sts:SetSourceIdentity", ROLE_TARGET),
            ("sts:GetCallerIdentity", "*"),
            ("ec2:StartInstances", "arn:aws:ec2:us-east-1:111122223333:instance/i-1"),
        ]),
        resource_account in prop::sample::select(vec![None, Some("111122223333"), Some("444455556666")]),
        secure in prop::option::of(prop::sample::select(vec!["true", "false"])),
        team in prop::option::of(prop::sample::select(vec!["dev", "ops"])),
    ) {
        let mut context = Context::new();
        if let Some(v) = secure {
            context.insert("aws:SecureTransport", ContextValue::Single(v.into())).unwrap();
        }
        if let Some(v) = team {
            context.insert("aws:PrincipalTag/team", ContextValue::Single(v.into())).unwrap();
        }
        let session = format!("arn:aws:sts::{ACCOUNT}:assumed-role/R/fresh-session");
        let decide = |principal: &str| {
            let request = Request::new(principal, action, resource, resource_account, context.clone()).unwrap();
            (set.evaluate(&request), set.explain(&request).outcome.decision)
        };
        let (bare_fast, bare_traced) = decide(&bare);
        let (session_fast, session_traced) = decide(&session);
        prop_assert_eq!(bare_fast, bare_traced);
        prop_assert_eq!(session_fast, session_traced);
        prop_assert_eq!(bare_fast, session_fast, "{} vs {} on {} {}", bare, session, action, resource);
    }
}
