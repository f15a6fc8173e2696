//! Evaluation allocates nothing: a counting global allocator (per thread) watches `evaluate`
//! on the seed policy, on policies with variables (after their scratch buffers
//! have grown once), and on every operator family.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{Context, ContextValue, Policy, PolicySet, Request};

// The counting global allocator comes from `allocation-counter`, which counts per
// thread (the test harness's own threads allocate too), so the workspace can forbid
// `unsafe` code everywhere, tests included.

fn single(v: &str) -> ContextValue {
    ContextValue::Single(v.to_string())
}

#[test]
fn evaluate_allocates_nothing() {
    let seed = Policy::parse(include_str!("../../../examples/seed-bucket-policy.json")).unwrap();
    let role = Policy::parse(include_str!("../../../examples/pipeline-role-policy.json")).unwrap();
    let everything = Policy::parse(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*",
        "Resource": ["arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b-${aws:PrincipalTag/team, 'all'}/*"],
        "Condition": {
            "StringLike": {"s3:prefix": "home/${aws:username}/*"},
            "StringEqualsIgnoreCase": {"aws:PrincipalTag/team": ["RED", "blue"]},
            "ForAnyValue:StringEquals": {"aws:TagKeys": ["env", "owner"]},
            "NumericLessThanEquals": {"s3:max-keys": "100.5"},
            "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"},
            "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
            "ArnLike": {"aws:SourceArn": "arn:aws:sns:*:${aws:PrincipalAccount}:*"},
            "BinaryEquals": {"aws:ResourceTag/blob": "aGVsbG8="},
            "Bool": {"aws:SecureTransport": "true"},
            "Null": {"s3:x-amz-server-side-encryption": "true"}}}]}"#,
    )
    .unwrap();
    let seed_set = PolicySet {
        resource: Some(seed),
        identity: vec![role],
        ..PolicySet::default()
    };
    let variable_set = PolicySet {
        identity: vec![everything],
        ..PolicySet::default()
    };
    let bucket = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE";
    let session = "arn:aws:sts::111122223333:assumed-role/CodePipelineRole/build";
    let seed_request = Request::new(
        session,
        "s3:PutObject",
        &format!("{bucket}/a.zip"),
        None,
        Context::new()
            .with("aws:SecureTransport", single("true"))
            .with("s3:x-amz-server-side-encryption", single("aws:kms")),
    )
    .unwrap();
    let variable_request = Request::new(
        session,
        "s3:GetObject",
        "arn:aws:s3:::b/alice/k",
        None,
        Context::new()
            .with("aws:username", single("alice"))
            .with("s3:prefix", single("home/alice/x"))
            .with("aws:PrincipalTag/team", single("red"))
            .with("aws:TagKeys", ContextValue::Multi(vec!["x".into(), "owner".into()]))
            .with("s3:max-keys", single("100.25"))
            .with("aws:CurrentTime", single("2024-05-01T12:00:00Z"))
            .with("aws:SourceIp", single("203.0.113.7"))
            .with("aws:PrincipalAccount", single("111122223333"))
            .with("aws:SourceArn", single("arn:aws:sns:us-east-1:111122223333:t"))
            .with("aws:ResourceTag/blob", single("aGVsbG8"))
            .with("aws:SecureTransport", single("true")),
    )
    .unwrap();
    assert_eq!(seed_set.evaluate(&seed_request), veto_iam::Decision::Allow);
    // Warm up: the variable expansion buffers grow once per thread.
    assert_eq!(variable_set.evaluate(&variable_request), veto_iam::Decision::Allow);

    // The counter must be live, or the assertion below would pass vacuously.
    let probe = allocation_counter::measure(|| {
        std::hint::black_box(vec![1u8]);
    });
    assert_eq!(probe.count_total, 1, "the counting allocator is not active");
    let allocated = allocation_counter::measure(|| {
        for _ in 0..1000 {
            std::hint::black_box(seed_set.evaluate(std::hint::black_box(&seed_request)));
            std::hint::black_box(variable_set.evaluate(std::hint::black_box(&variable_request)));
        }
    })
    .count_total;
    assert_eq!(allocated, 0, "evaluate allocated {allocated} times in 2000 decisions");
}
