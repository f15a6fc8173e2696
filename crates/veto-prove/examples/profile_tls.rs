//! Proves the seed's object-TLS property in a loop, for profilers.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{json, Policy, PolicySet};
use veto_prove::{property::read_property, prove, Limits};

fn main() {
    let set = PolicySet {
        resource: Some(Policy::parse(include_str!("../../../examples/seed-bucket-policy.json")).unwrap()),
        ..PolicySet::default()
    };
    let text = r#"{"quantifier":"every","request":{"Action":"s3:*","Resource":"arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},"decision":["ExplicitDeny"]}"#;
    let value = json::parse(text).unwrap();
    let property = read_property(&value).map_err(|(m, _)| m).unwrap();
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200);
    let start = std::time::Instant::now();
    let mut evaluated = 0;
    for _ in 0..n {
        evaluated = prove(&set, &property, &Limits::default()).evaluated;
    }
    println!(
        "{:.3} ms per proof, {evaluated} candidates",
        start.elapsed().as_secs_f64() * 1000.0 / n as f64
    );
}
