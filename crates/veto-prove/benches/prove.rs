//! Prover timings: the seed policy's four properties, and growth with the number
//! of statements (1, 10, 100, 1,000).
//!
//! Run: `cargo bench -p veto-prove --bench prove`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{json, Policy, PolicySet};
use veto_prove::{property::read_property, prove, Limits, Property, Verdict};

fn main() {
    divan::main();
}

const B: &str = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE";

fn property(text: &str) -> Property {
    let value = json::parse(text).unwrap();
    read_property(&value).map_err(|(m, _)| m).unwrap()
}

fn seed() -> PolicySet {
    PolicySet {
        resource: Some(Policy::parse(include_str!("../../../examples/seed-bucket-policy.json")).unwrap()),
        ..PolicySet::default()
    }
}

fn seed_property(name: &str) -> Property {
    property(&match name {
        "sse-kms-deny" => format!(
            r#"{{"quantifier":"every","request":{{"Action":"s3:PutObject","Resource":"{B}/*","Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}},"decision":["ExplicitDeny"]}}"#
        ),
        "object-tls-deny" => format!(
            r#"{{"quantifier":"every","request":{{"Action":"s3:*","Resource":"{B}/*","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}},"decision":["ExplicitDeny"]}}"#
        ),
        "bucket-tls-deny" => format!(
            r#"{{"quantifier":"every","request":{{"Action":"s3:*","Resource":"{B}","Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}},"decision":["ExplicitDeny"]}}"#
        ),
        _ => format!(
            r#"{{"quantifier":"some","request":{{"Action":"s3:PutObject","Resource":"{B}/*","Condition":{{"StringEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}},"Bool":{{"aws:SecureTransport":"true"}}}}}},"decision":["Allow","ImplicitDeny"]}}"#
        ),
    })
}

#[divan::bench(args = ["sse-kms-deny", "object-tls-deny", "bucket-tls-deny", "upload-possible"])]
fn seed_properties(bencher: divan::Bencher, name: &str) {
    let set = seed();
    let p = seed_property(name);
    let limits = Limits::default();
    // Warm the catalog outside the timing.
    let expected = prove(&set, &p, &limits).verdict;
    assert_ne!(expected, Verdict::Unknown);
    bencher.bench(|| divan::black_box(prove(&set, &p, &limits)));
}

/// A bucket policy of `n` statements: a TLS deny and an SSE deny for each of n/2 buckets.
fn many(n: usize) -> PolicySet {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            let bucket = format!("arn:aws:s3:::bucket-{}", i / 2);
            if i % 2 == 0 {
                format!(r#"{{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["{bucket}","{bucket}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}"#)
            } else {
                format!(r#"{{"Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"{bucket}/*","Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}}"#)
            }
        })
        .collect();
    let text = format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, statements.join(","));
    PolicySet {
        resource: Some(Policy::parse(&text).unwrap()),
        ..PolicySet::default()
    }
}

#[divan::bench(args = [1, 10, 100, 1000], sample_count = 10)]
fn growth_tls_property(bencher: divan::Bencher, n: usize) {
    let set = many(n);
    let p = property(
        r#"{"quantifier":"every","request":{"Action":"s3:*","Resource":"arn:aws:s3:::bucket-0/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},"decision":["ExplicitDeny"]}"#,
    );
    let limits = Limits::default();
    assert_eq!(prove(&set, &p, &limits).verdict, Verdict::Holds);
    bencher.bench(|| divan::black_box(prove(&set, &p, &limits)));
}
