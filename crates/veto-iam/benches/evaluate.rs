//! Decision latency: the seed bucket policy, a 100-statement policy, adversarial
//! wildcards. The comparison with `cedar-policy` lives in `benches/cedar-compare`
//! (outside the workspace, so the default build never compiles Cedar).
//!
//! Run: `cargo bench -p veto-iam --bench evaluate`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{Context, ContextValue, Policy, PolicySet, Request};

fn main() {
    divan::main();
}

const BUCKET: &str = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE";
const ROLE: &str = "arn:aws:sts::111122223333:assumed-role/CodePipelineRole/build";

fn seed_set() -> PolicySet {
    let seed = include_str!("../../../examples/seed-bucket-policy.json");
    let role = include_str!("../../../examples/pipeline-role-policy.json");
    PolicySet {
        resource: Some(Policy::parse(seed).unwrap()),
        identity: vec![Policy::parse(role).unwrap()],
        ..PolicySet::default()
    }
}

/// (action, key, secure transport, SSE header)
const SEED_REQUESTS: &[(&str, &str, bool, Option<&str>)] = &[
    ("s3:PutObject", "/app.zip", true, Some("aws:kms")),
    ("s3:PutObject", "/app.zip", true, None),
    ("s3:PutObject", "/app.zip", true, Some("AES256")),
    ("s3:GetObject", "/app.zip", false, None),
    ("s3:GetObject", "/app.zip", true, None),
    ("s3:ListBucket", "", false, None),
];

fn seed_requests() -> Vec<Request> {
    SEED_REQUESTS
        .iter()
        .map(|(action, key, tls, sse)| {
            let mut ctx = Context::new().with("aws:SecureTransport", ContextValue::Single(tls.to_string()));
            if let Some(sse) = sse {
                ctx = ctx.with("s3:x-amz-server-side-encryption", ContextValue::Single(sse.to_string()));
            }
            Request::new(ROLE, action, &format!("{BUCKET}{key}"), None, ctx).unwrap()
        })
        .collect()
}

/// ns per decision on the seed policy: each iteration decides all six requests.
#[divan::bench]
fn seed_policy_six_decisions(bencher: divan::Bencher) {
    let set = seed_set();
    let requests = seed_requests();
    bencher
        .counter(divan::counter::ItemsCount::new(requests.len()))
        .bench(|| {
            for r in &requests {
                divan::black_box(set.evaluate(divan::black_box(r)));
            }
        });
}

fn hundred_statement_policy() -> Policy {
    let mut statements = Vec::new();
    for i in 0..100 {
        let s = match i % 4 {
            0 => format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::bucket-{i}/*"}}"#
            ),
            1 => format!(
                r#"{{"Sid":"S{i}","Effect":"Deny","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket-{i}/*","Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}}"#
            ),
            2 => format!(
                r#"{{"Sid":"S{i}","Effect":"Allow","Action":"kms:*","Resource":"arn:aws:kms:us-east-1:111122223333:key/k{i}","Condition":{{"IpAddress":{{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}}}}}"#
            ),
            _ => format!(
                r#"{{"Sid":"S{i}","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::bucket-{i}*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}},"StringLike":{{"aws:PrincipalTag/team":"ops-*"}}}}}}"#
            ),
        };
        statements.push(s);
    }
    Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    ))
    .unwrap()
}

/// ns per decision on one identity policy of 100 statements (the request matches
/// only near the end, so every statement is looked at).
#[divan::bench]
fn hundred_statement_policy_decision(bencher: divan::Bencher) {
    let set = PolicySet {
        identity: vec![hundred_statement_policy()],
        ..PolicySet::default()
    };
    let ctx = Context::new()
        .with("aws:SecureTransport", ContextValue::Single("true".into()))
        .with("aws:SourceIp", ContextValue::Single("203.0.113.9".into()))
        .with("aws:PrincipalTag/team", ContextValue::Single("ops-a".into()));
    let request = Request::new(ROLE, "s3:GetObject", "arn:aws:s3:::bucket-96/k", None, ctx).unwrap();
    bencher.bench(|| divan::black_box(set.evaluate(divan::black_box(&request))));
}

/// Worst-case wildcard matching: `*a*a*a*a*a*a*a*a*b` against 100 KB of `a`.
#[divan::bench(args = [1_000, 10_000, 100_000])]
fn adversarial_wildcard(bencher: divan::Bencher, len: usize) {
    let pattern = veto_iam::wildcard::compile_glob("*a*a*a*a*a*a*a*a*b");
    let input = "a".repeat(len);
    bencher.bench(|| divan::black_box(veto_iam::wildcard::matches(&pattern, divan::black_box(&input), false)));
}
