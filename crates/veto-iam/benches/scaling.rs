//! Cost on hostile input shapes, each at n and 10n: the time ratio between the two
//! sizes must stay near 10 (linear), never near 100 (quadratic). The README lists
//! the measured ratios.
//!
//! Run: `cargo bench -p veto-iam --bench scaling`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_iam::{Context, ContextValue, Decision, Policy, PolicyKind, PolicySet, Request};

fn main() {
    divan::main();
}

/// Sizes for the loading shapes (statements, keys).
const LOAD: &[usize] = &[10_000, 100_000];
/// Sizes for the wildcard shapes: the value's length (the pattern is half as long).
const MATCH: &[usize] = &[100_000, 1_000_000];

const USER: &str = "arn:aws:iam::111122223333:user/u";

fn statements(n: usize, statement: impl Fn(usize) -> String) -> String {
    let body: Vec<String> = (0..n).map(statement).collect();
    format!(r#"{{"Version":"2012-10-17","Statement":[{}]}}"#, body.join(","))
}

/// Loads `text` as an identity policy: parse, then the identity-only checks.
fn load_identity(text: &str) -> Policy {
    let policy = Policy::parse(text).expect("the policy loads");
    assert!(!policy.check_kind(PolicyKind::Identity).iter().any(|d| d.is_error()));
    policy
}

/// n statements, each with its own Sid (the duplicate-Sid check).
#[divan::bench(args = LOAD, sample_count = 5)]
fn unique_sids(bencher: divan::Bencher, n: usize) {
    let text = statements(n, |i| {
        format!(r#"{{"Sid":"S{i}","Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}"#)
    });
    bencher.bench(|| load_identity(divan::black_box(&text)));
}

/// n statements with one warning each (a variable in a policy without Version).
#[divan::bench(args = LOAD, sample_count = 5)]
fn one_warning_per_statement(bencher: divan::Bencher, n: usize) {
    let body: Vec<String> = (0..n)
        .map(|_| r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::${aws:username}"}"#.to_string())
        .collect();
    let text = format!(r#"{{"Statement":[{}]}}"#, body.join(","));
    bencher.bench(|| {
        let policy = load_identity(divan::black_box(&text));
        assert_eq!(policy.warnings.len(), n + 1);
        policy
    });
}

/// One statement with n condition keys.
#[divan::bench(args = LOAD, sample_count = 5)]
fn condition_keys(bencher: divan::Bencher, n: usize) {
    let keys: Vec<String> = (0..n).map(|i| format!(r#""aws:k{i}":"v""#)).collect();
    let text = statements(1, |_| {
        format!(
            r#"{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}"#,
            keys.join(",")
        )
    });
    bencher.bench(|| load_identity(divan::black_box(&text)));
}

/// A request with n context keys: building the context, and one decision on it.
#[divan::bench(args = LOAD, sample_count = 5)]
fn context_keys(bencher: divan::Bencher, n: usize) {
    let policy = Policy::parse(
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
            "Condition":{"StringEquals":{"aws:k7":"v"}}}}"#,
    )
    .unwrap();
    let set = PolicySet {
        identity: vec![policy],
        ..PolicySet::default()
    };
    let keys: Vec<String> = (0..n).map(|i| format!("aws:k{i}")).collect();
    bencher.bench(|| {
        let mut context = Context::new();
        for key in &keys {
            context.insert(key.as_str(), ContextValue::Single("v".into())).unwrap();
        }
        let request = Request::new(USER, "s3:GetObject", "arn:aws:s3:::b/k", None, context).unwrap();
        assert_eq!(set.evaluate(&request), Decision::Allow);
    });
}

/// `*aaaa…ab*` (n/2 `a`) against n `a`: no literal prefix or suffix to shortcut.
fn hostile_run(n: usize) -> (String, String) {
    (format!("*{}b*", "a".repeat(n / 2)), "a".repeat(n))
}

/// The hostile pattern in `Resource`, against a long object key.
#[divan::bench(args = MATCH, sample_count = 5)]
fn resource_wildcard(bencher: divan::Bencher, n: usize) {
    let (pattern, value) = hostile_run(n);
    let policy = Policy::parse(&format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/{pattern}"}}}}"#
    ))
    .unwrap();
    let set = PolicySet {
        identity: vec![policy],
        ..PolicySet::default()
    };
    let request = Request::new(
        USER,
        "s3:GetObject",
        &format!("arn:aws:s3:::b/{value}"),
        None,
        Context::new(),
    )
    .unwrap();
    bencher.bench(|| assert_eq!(set.evaluate(divan::black_box(&request)), Decision::ImplicitDeny));
}

/// The hostile pattern in `StringLike`, against a long context value.
#[divan::bench(args = MATCH, sample_count = 5)]
fn string_like(bencher: divan::Bencher, n: usize) {
    let (pattern, value) = hostile_run(n);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringLike":{{"aws:k":"{pattern}"}}}}}}}}"#
    );
    let context = Context::new().with("aws:k", ContextValue::Single(value));
    let set = PolicySet {
        identity: vec![Policy::parse(&policy).unwrap()],
        ..PolicySet::default()
    };
    let request = Request::new(USER, "s3:GetObject", "arn:aws:s3:::b/k", None, context).unwrap();
    bencher.bench(|| assert_eq!(set.evaluate(divan::black_box(&request)), Decision::ImplicitDeny));
}

/// The hostile pattern in one field of `ArnLike`, against a long ARN.
#[divan::bench(args = MATCH, sample_count = 5)]
fn arn_like(bencher: divan::Bencher, n: usize) {
    let (pattern, value) = hostile_run(n);
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"ArnLike":{{"aws:SourceArn":"arn:aws:s3:::{pattern}"}}}}}}}}"#
    );
    let context = Context::new().with("aws:SourceArn", ContextValue::Single(format!("arn:aws:s3:::{value}")));
    let set = PolicySet {
        identity: vec![Policy::parse(&policy).unwrap()],
        ..PolicySet::default()
    };
    let request = Request::new(USER, "s3:GetObject", "arn:aws:s3:::b/k", None, context).unwrap();
    bencher.bench(|| assert_eq!(set.evaluate(divan::black_box(&request)), Decision::ImplicitDeny));
}
