//! Evaluates the seed requests in a loop, for profilers (`valgrind --tool=callgrind`).
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{Context, ContextValue, Policy, PolicySet, Request};

fn main() {
    let set = PolicySet {
        resource: Some(Policy::parse(include_str!("../../../examples/seed-bucket-policy.json")).unwrap()),
        identity: vec![Policy::parse(include_str!("../../../examples/pipeline-role-policy.json")).unwrap()],
        ..PolicySet::default()
    };
    let bucket = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE";
    let role = "arn:aws:sts::111122223333:assumed-role/CodePipelineRole/build";
    let ctx = Context::new()
        .with("aws:SecureTransport", ContextValue::Single("true".into()))
        .with(
            "s3:x-amz-server-side-encryption",
            ContextValue::Single("aws:kms".into()),
        );
    let request = Request::new(role, "s3:PutObject", &format!("{bucket}/app.zip"), None, ctx).unwrap();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let start = std::time::Instant::now();
    let mut allowed = 0;
    for _ in 0..n {
        allowed += usize::from(set.evaluate(std::hint::black_box(&request)) == veto_iam::Decision::Allow);
    }
    let elapsed = start.elapsed();
    println!(
        "{allowed} allowed; {:.1} ns per decision",
        elapsed.as_nanos() as f64 / n as f64
    );
}
