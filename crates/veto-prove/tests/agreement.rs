//! The prover against the evaluator, on generated policies and properties that
//! draw on every operator family. Every returned request is replayed; every
//! `holds` for *every* (and `fails` for *some*) must survive 10,000 sampled
//! requests, biased to the policies' own literals and their boundaries.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use proptest::prelude::*;
use serde_json::{json, Value};
use veto_iam::{Context, ContextValue, Policy, PolicySet, Request, StatementOutcome};
use veto_prove::{derived, property::read_property, prove, Limits, Quantifier, Verdict};

const SAMPLES: usize = 10_000;

/// (action, resources it takes)
const ACTIONS: &[(&str, &[&str])] = &[
    (
        "s3:GetObject",
        &[
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::b/x/y",
            "arn:aws:s3:::c/k",
            "arn:aws:s3:::bx/k",
            "arn:aws:s3:::b/alice/k",
        ],
    ),
    (
        "s3:PutObject",
        &["arn:aws:s3:::b/k", "arn:aws:s3:::c/k", "arn:aws:s3:::bx/k"],
    ),
    ("s3:DeleteObject", &["arn:aws:s3:::b/k", "arn:aws:s3:::c/k"]),
    (
        "s3:ListBucket",
        &["arn:aws:s3:::b", "arn:aws:s3:::c", "arn:aws:s3:::bx"],
    ),
    ("s3:GetBucketPolicy", &["arn:aws:s3:::b", "arn:aws:s3:::c"]),
    // The evaluator's special actions (spec §4.5) and a service RCPs skip (§4.2).
    ("sts:GetCallerIdentity", &["*"]),
    ("sts:TagSession", &["arn:aws:iam::111122223333:role/T"]),
    ("sns:Publish", &["arn:aws:sns:us-east-1:111122223333:t"]),
];

fn condition() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!({"Bool": {"aws:SecureTransport": "false"}}),
        json!({"Bool": {"aws:SecureTransport": true}}),
        json!({"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}),
        json!({"StringEquals": {"s3:x-amz-server-side-encryption": ["aws:kms", "AES256"]}}),
        json!({"StringLike": {"s3:x-amz-server-side-encryption": "aws:*"}}),
        json!({"StringEqualsIgnoreCase": {"s3:x-amz-server-side-encryption": "AWS:KMS"}}),
        json!({"Null": {"s3:x-amz-server-side-encryption": "true"}}),
        json!({"NumericLessThan": {"s3:TlsVersion": 1.2}}),
        json!({"NumericGreaterThanEquals": {"s3:TlsVersion": "1.3"}}),
        json!({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
        json!({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]}}),
        json!({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}),
        json!({"DateLessThanEquals": {"aws:CurrentTime": "2020-06-01"}}),
        json!({"StringLike": {"aws:PrincipalTag/team": "d*"}}),
        json!({"StringNotEqualsIfExists": {"aws:PrincipalTag/team": "ops"}}),
        json!({"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "owner"]}}),
        json!({"ForAnyValue:StringLike": {"aws:TagKeys": "e*"}}),
        json!({"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:111122223333:*"}}),
        json!({"BinaryEquals": {"aws:ResourceTag/blob": "aGVsbG8="}}),
        json!({"StringEquals": {"aws:PrincipalOrgID": "o-123"}}),
        json!({"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}),
        json!({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/R"}}),
        json!({"StringLike": {"aws:PrincipalArn": "arn:aws-cn:*"}}),
        json!({"StringEquals": {"aws:SourceVpce": "vpce-1"}}),
        json!({"StringLike": {"aws:CurrentTime": "2030-*"}}),
        json!({"StringEquals": {"aws:EpochTime": "1893456000"}}),
    ])
}

fn principal_entry() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!("*"),
        json!({"AWS": "111122223333"}),
        json!({"AWS": "arn:aws:iam::111122223333:user/alice"}),
        json!({"AWS": "arn:aws:iam::111122223333:role/R"}),
        json!({"AWS": "444455556666"}),
        json!({"Service": "codepipeline.amazonaws.com"}),
        json!({"Federated": "cognito-identity.amazonaws.com"}),
        json!({"AWS": "arn:aws-cn:iam::111122223333:role/R"}),
    ])
}

fn statement(resource_policy: bool) -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::sample::subsequence(
            vec![
                "s3:*",
                "s3:Get*",
                "s3:PutObject",
                "s3:List*",
                "s3:*Object",
                "sts:*",
                "sns:*",
                "*",
            ],
            1..3,
        ),
        prop::sample::subsequence(
            vec![
                "*",
                "arn:aws:s3:::b",
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::b*",
                "arn:aws:s3:::c/*",
                "arn:aws:s3:::b/${aws:username}/*",
            ],
            1..3,
        ),
        principal_entry(),
        prop::collection::vec(condition(), 0..3),
    )
        .prop_map(move |(allow, actions, resources, principal, conditions)| {
            let mut s =
                json!({"Effect": if allow { "Allow" } else { "Deny" }, "Action": actions, "Resource": resources});
            if resource_policy {
                s["Principal"] = principal;
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

fn policy(resource_policy: bool) -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(resource_policy), 1..4)
        .prop_map(|s| json!({"Version": "2012-10-17", "Statement": s}))
}

fn property() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        prop::sample::select(vec![
            "s3:*",
            "s3:PutObject",
            "s3:GetObject",
            "s3:List*",
            "sts:*",
            "sns:*",
        ]),
        prop::sample::select(vec!["*", "arn:aws:s3:::b", "arn:aws:s3:::b/*"]),
        prop::collection::vec(condition(), 0..2),
        prop::sample::subsequence(vec!["Allow", "ExplicitDeny", "ImplicitDeny"], 1..3),
    )
        .prop_map(|(every, action, resource, conditions, decisions)| {
            let mut request = json!({"Action": action, "Resource": resource});
            let mut block = serde_json::Map::new();
            for c in conditions {
                for (op, keys) in c.as_object().unwrap() {
                    block.insert(op.clone(), keys.clone());
                }
            }
            if !block.is_empty() {
                request["Condition"] = Value::Object(block);
            }
            json!({"quantifier": if every { "every" } else { "some" }, "request": request, "decision": decisions})
        })
}

/// Interesting values per key: the policies' literals and the values beside them.
fn value_pool(key: &str) -> Vec<ContextValue> {
    let single = |v: &[&str]| {
        v.iter()
            .map(|s| ContextValue::Single(s.to_string()))
            .collect::<Vec<_>>()
    };
    match key {
        "aws:SecureTransport" => single(&["true", "false"]),
        "s3:x-amz-server-side-encryption" => single(&["aws:kms", "AES256", "aws:kms:dsse", "AWS:KMS", "aws:", "", "x"]),
        "s3:TlsVersion" => single(&["1.1", "1.2", "1.19", "1.21", "1.3", "1.31", "2"]),
        "aws:SourceIp" => single(&[
            "203.0.112.255",
            "203.0.113.0",
            "203.0.113.255",
            "203.0.114.0",
            "10.0.0.0",
            "9.255.255.255",
            "2001:db8::",
            "2001:db9::",
            "198.51.100.7",
        ]),
        "aws:PrincipalTag/team" => single(&["d", "dev", "ops", "x", ""]),
        "aws:SourceArn" => single(&[
            "arn:aws:sns:us-east-1:111122223333:t",
            "arn:aws:sns:us-east-1:444455556666:t",
            "arn:aws:sns:a:b:111122223333:t",
            "x",
        ]),
        "aws:ResourceTag/blob" => single(&["aGVsbG8=", "aGVsbG8", "eA=="]),
        "aws:PrincipalOrgID" => single(&["o-123", "o-456"]),
        "aws:SourceVpce" => single(&["vpce-1", "vpce-2"]),
        _ => {
            let sets: [&[&str]; 6] = [&[], &["env"], &["owner"], &["env", "owner"], &["e"], &["x", "env"]];
            sets.iter()
                .map(|s| ContextValue::Multi(s.iter().map(|v| v.to_string()).collect()))
                .collect()
        }
    }
}

const TIMES: &[(&str, &str)] = &[
    ("2020-06-01T00:00:00Z", "1590969600"),
    ("2020-06-01T00:00:01Z", "1590969601"),
    ("2026-01-01T00:00:00Z", "1767225600"),
    ("2030-01-01T00:00:00Z", "1893456000"),
    ("2030-01-01T00:00:01Z", "1893456001"),
];

fn sample_requests(seed: u64) -> Vec<Request> {
    let catalog = veto_catalog::catalog();
    let principals = [
        "anonymous",
        "arn:aws:iam::111122223333:user/alice",
        "arn:aws:iam::111122223333:user/bob",
        "arn:aws:sts::111122223333:assumed-role/R/s",
        "arn:aws:iam::111122223333:role/R",
        "arn:aws:iam::111122223333:root",
        "arn:aws:sts::444455556666:assumed-role/X/s",
        "arn:aws:iam::999999999999:root",
        "codepipeline.amazonaws.com",
        "other.amazonaws.com",
        "cognito-identity.amazonaws.com",
        "arn:aws-cn:sts::111122223333:assumed-role/R/s",
        "arn:aws-cn:iam::111122223333:role/R",
        "arn:aws:iam::123456789012:role/R",
    ];
    let keys = [
        "aws:SecureTransport",
        "s3:x-amz-server-side-encryption",
        "s3:TlsVersion",
        "aws:SourceIp",
        "aws:PrincipalTag/team",
        "aws:SourceArn",
        "aws:ResourceTag/blob",
        "aws:TagKeys",
        "aws:PrincipalOrgID",
        "aws:SourceVpce",
    ];
    let mut rng = seed | 1;
    let mut next = move |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n as u64) as usize
    };
    (0..SAMPLES)
        .map(|_| {
            let (action, resources) = ACTIONS[next(ACTIONS.len())];
            let (service, act) = catalog.action(action).unwrap();
            let (iso, epoch) = TIMES[next(TIMES.len())];
            let mut ctx = Context::new()
                .with("aws:CurrentTime", ContextValue::Single(iso.into()))
                .with("aws:EpochTime", ContextValue::Single(epoch.into()));
            let account = ["111122223333", "444455556666", "999999999999"][next(3)];
            let principal = principals[next(principals.len())];
            // Only requests AWS could send: the caller's derived keys follow from it.
            let caller = veto_iam::Caller::parse(principal).unwrap();
            for key in ["aws:PrincipalArn", "aws:PrincipalAccount", "aws:username"] {
                if let Some(derived::Derivation::Fixed(Some(v))) =
                    derived::derivation(&key.to_ascii_lowercase(), &caller, Some(account))
                {
                    ctx = ctx.with(key, v);
                }
            }
            for key in keys {
                if derived::derivation(&key.to_ascii_lowercase(), &caller, Some(account))
                    == Some(derived::Derivation::Fixed(None))
                {
                    continue;
                }
                let applies = key == "aws:SecureTransport" || catalog.key_applies(service, act, key);
                let pool = value_pool(key);
                let choice = next(pool.len() + 1);
                if applies && (choice < pool.len() || key == "aws:SecureTransport") {
                    ctx = ctx.with(key, pool[choice.min(pool.len() - 1)].clone());
                }
            }
            Request::new(principal, action, resources[next(resources.len())], Some(account), ctx).unwrap()
        })
        .collect()
}

fn load(v: &Value) -> Policy {
    Policy::parse(&v.to_string()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn prover_agrees_with_evaluator(
        identity in policy(false),
        resource in policy(true),
        boundary in prop::option::weighted(0.3, policy(false)),
        rcp in prop::option::weighted(0.3, policy(true)),
        prop_json in property(),
        seed in any::<u64>(),
    ) {
        let set = PolicySet {
            identity: vec![load(&identity)],
            resource: Some(load(&resource)),
            boundary: boundary.iter().map(load).collect(),
            rcps: rcp.iter().map(|p| vec![load(p)]).collect(),
            ..PolicySet::default()
        };
        let text = prop_json.to_string();
        let parsed = veto_iam::json::parse(&text).unwrap();
        let property = read_property(&parsed).map_err(|(m, _)| TestCaseError::fail(m))?;
        let answer = prove(&set, &property, &Limits::default());
        let in_set = |r: &Request| matches!(property.request.evaluate(r, false), StatementOutcome::Matched(_));
        if let Some(r) = &answer.request {
            prop_assert!(in_set(r), "returned request outside the set");
            for (key, value) in r.context().iter() {
                prop_assert!(
                    !derived::contradicts(&key.to_ascii_lowercase(), Some(value), r.caller(), r.resource_account()),
                    "{key}={value:?} contradicts the caller {}", r.caller().to_text()
                );
            }
            prop_assert_eq!(Some(set.evaluate(r)), answer.decision, "returned request does not replay");
        }
        match (property.quantifier, answer.verdict) {
            (Quantifier::Every, Verdict::Fails) | (Quantifier::Some, Verdict::Holds) => prop_assert!(answer.request.is_some()),
            (Quantifier::Every, Verdict::Holds) => {
                for r in sample_requests(seed).iter().filter(|r| in_set(r)) {
                    prop_assert!(property.decisions.contains(&set.evaluate(r)), "holds, but {r:?} gets {}", set.evaluate(r));
                }
            }
            (Quantifier::Some, Verdict::Fails) => {
                for r in sample_requests(seed).iter().filter(|r| in_set(r)) {
                    prop_assert!(!property.decisions.contains(&set.evaluate(r)), "fails, but {r:?} gets {}", set.evaluate(r));
                }
            }
            (_, Verdict::Empty) => {
                prop_assert!(sample_requests(seed).iter().all(|r| !in_set(r)), "empty, but a sampled request is in the set");
            }
            (_, Verdict::Unknown) => prop_assert!(false, "unknown: {}", answer.reason),
        }
    }
}
