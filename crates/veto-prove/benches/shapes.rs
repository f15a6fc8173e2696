//! The shapes of issue 14, each at n and 10n, to show the cost grows
//! polynomially: a guardrail SCP with independent condition keys, contains
//! patterns on one key, overlapping wildcard resources, a bucket policy of many
//! statements, and `public`/`diff` over many account grants.
//!
//! Run: `cargo bench -p veto-prove --bench shapes`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{json, Policy, PolicySet};
use veto_prove::{new_access, property::read_property, prove, public_access, Limits, Property, Verdict};

fn main() {
    divan::main();
}

fn property(text: &str) -> Property {
    let value = json::parse(text).unwrap();
    read_property(&value).map_err(|(m, _)| m).unwrap()
}

fn policy(statements: &[String]) -> Policy {
    Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":[{}]}}"#,
        statements.join(",")
    ))
    .unwrap()
}

const ALLOW_ALL: &str = r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#;

/// A data-perimeter SCP: one Deny per key, each key on its own; past the twelve
/// usual keys, principal tags.
pub fn guardrail(keys: usize) -> PolicySet {
    let usual = [
        r#""StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}"#,
        r#""BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}"#,
        r#""NotIpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.0/24"]}"#,
        r#""StringNotEquals":{"aws:PrincipalOrgID":"o-123"}"#,
        r#""StringNotEquals":{"aws:PrincipalTag/team":"platform"}"#,
        r#""Null":{"aws:RequestTag/owner":"true"}"#,
        r#""Bool":{"aws:SecureTransport":"false"}"#,
        r#""ForAnyValue:StringLike":{"aws:TagKeys":"aws:*"}"#,
        r#""StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-1"}"#,
        r#""StringLike":{"aws:ResourceTag/data":"secret*"}"#,
        r#""NumericGreaterThan":{"aws:MultiFactorAuthAge":"3600"}"#,
        r#""DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"}"#,
    ];
    let statements: Vec<String> = (0..keys)
        .map(|i| {
            let condition = match usual.get(i) {
                Some(c) => c.to_string(),
                None => format!(r#""StringNotEquals":{{"aws:PrincipalTag/t{i}":"v{i}"}}"#),
            };
            format!(r#"{{"Effect":"Deny","Action":"*","Resource":"*","Condition":{{{condition}}}}}"#)
        })
        .chain([ALLOW_ALL.to_string()])
        .collect();
    PolicySet {
        identity: vec![policy(&[ALLOW_ALL.to_string()])],
        scps: vec![vec![policy(&statements)]],
        ..PolicySet::default()
    }
}

#[divan::bench(args = [12, 120], sample_count = 5)]
fn guardrail_scp(bencher: divan::Bencher, keys: usize) {
    let set = guardrail(keys);
    let p = property(
        r#"{"quantifier":"every","request":{"Principal":{"AWS":"arn:aws:iam::111122223333:user/u"},"Action":"ec2:RunInstances"},"decision":["ExplicitDeny"]}"#,
    );
    assert_eq!(prove(&set, &p, &Limits::default()).verdict, Verdict::Fails);
    bencher.bench(|| divan::black_box(prove(&set, &p, &Limits::default())));
}

pub fn contains(n: usize) -> PolicySet {
    let patterns: Vec<String> = (0..n).map(|i| format!("\"*p{i}q*\"")).collect();
    let deny = format!(
        r#"{{"Effect":"Deny","Action":"s3:ListBucket","Resource":"*","Condition":{{"StringLike":{{"s3:prefix":[{}]}}}}}}"#,
        patterns.join(",")
    );
    PolicySet {
        identity: vec![policy(&[ALLOW_ALL.to_string(), deny])],
        ..PolicySet::default()
    }
}

#[divan::bench(args = [10, 100], sample_count = 5)]
fn contains_patterns(bencher: divan::Bencher, n: usize) {
    let set = contains(n);
    let p = property(
        r#"{"quantifier":"every","request":{"Principal":{"AWS":"arn:aws:iam::111122223333:user/u"},"Action":"s3:ListBucket","Condition":{"StringLike":{"s3:prefix":"*p1q*"}}},"decision":["ExplicitDeny"]}"#,
    );
    assert_eq!(prove(&set, &p, &Limits::default()).verdict, Verdict::Holds);
    bencher.bench(|| divan::black_box(prove(&set, &p, &Limits::default())));
}

pub fn wildcard_resources(n: usize) -> PolicySet {
    let statements: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"Effect":"Deny","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*k{i}*"}}"#))
        .chain([ALLOW_ALL.to_string()])
        .collect();
    PolicySet {
        identity: vec![policy(&statements)],
        ..PolicySet::default()
    }
}

#[divan::bench(args = [10, 100], sample_count = 5)]
fn overlapping_resources(bencher: divan::Bencher, n: usize) {
    let set = wildcard_resources(n);
    let p = property(
        r#"{"quantifier":"every","request":{"Principal":{"AWS":"arn:aws:iam::111122223333:user/u"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},"decision":["ExplicitDeny"]}"#,
    );
    let a = prove(&set, &p, &Limits::default());
    assert_eq!(a.verdict, Verdict::Fails, "{}", a.reason);
    bencher.bench(|| divan::black_box(prove(&set, &p, &Limits::default())));
}

/// A bucket policy of `n` statements: a TLS deny and an SSE deny per bucket.
pub fn bucket_policy(n: usize) -> PolicySet {
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
    PolicySet {
        resource: Some(policy(&statements)),
        ..PolicySet::default()
    }
}

#[divan::bench(args = [100, 1000], sample_count = 5)]
fn bucket_policy_statements(bencher: divan::Bencher, n: usize) {
    let set = bucket_policy(n);
    let p = property(
        r#"{"quantifier":"every","request":{"Action":"s3:*","Resource":"arn:aws:s3:::bucket-0/*","Condition":{"Bool":{"aws:SecureTransport":"false"}}},"decision":["ExplicitDeny"]}"#,
    );
    assert_eq!(prove(&set, &p, &Limits::default()).verdict, Verdict::Holds);
    bencher.bench(|| divan::black_box(prove(&set, &p, &Limits::default())));
}

/// A bucket policy granting GetObject to `n` accounts.
pub fn grants(n: usize) -> Policy {
    let statements: Vec<String> = (0..n)
        .map(|i| {
            format!(r#"{{"Effect":"Allow","Principal":{{"AWS":"{:012}"}},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}}"#, 100_000_000_000u64 + i as u64)
        })
        .collect();
    policy(&statements)
}

#[divan::bench(args = [100, 1000], sample_count = 3)]
fn public_grants(bencher: divan::Bencher, n: usize) {
    let p = grants(n);
    assert_eq!(public_access(&p, &Limits::default()).verdict, Verdict::Fails);
    bencher.bench(|| divan::black_box(public_access(&p, &Limits::default())));
}

#[divan::bench(args = [100, 1000], sample_count = 3)]
fn diff_grants(bencher: divan::Bencher, n: usize) {
    let old = PolicySet {
        resource: Some(grants(n)),
        ..PolicySet::default()
    };
    let new = PolicySet {
        resource: Some(grants(n + 1)),
        ..PolicySet::default()
    };
    assert_eq!(new_access(&old, &new, &Limits::default()).verdict, Verdict::Holds);
    bencher.bench(|| divan::black_box(new_access(&old, &new, &Limits::default())));
}
