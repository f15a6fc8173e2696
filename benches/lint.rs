//! `veto lint` wall time: one file (what a pre-commit user waits for), one
//! Terraform module directory of typical size (the same wait), and 10,000
//! generated policy files using both cores.
//!
//! Run: `cargo bench --bench lint`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use std::process::Command;

fn main() {
    divan::main();
}

fn lint(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .arg("lint")
        .args(args)
        .output()
        .expect("veto runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn one_file(bencher: divan::Bencher) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/fixtures/seed-bucket-policy.json");
    bencher.bench(|| lint(&[path]));
}

/// A real module: 30 `.tf` files, six local modules, an artifact bucket policy from
/// an aws_iam_policy_document, a KMS key, a pipeline (two evaluations: it has unknowns).
#[divan::bench(sample_count = 20, sample_size = 1)]
fn terraform_module(bencher: divan::Bencher) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/real/terraform/aws-samples-cicd");
    bencher.bench(|| lint(&[dir]));
}

/// A small module: a pipeline, a local module with a templatefile bucket policy and a key.
#[divan::bench(sample_count = 20, sample_size = 1)]
fn terraform_small_module(bencher: divan::Bencher) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/terraform/cross-account");
    bencher.bench(|| lint(&[dir]));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn ten_thousand_files(bencher: divan::Bencher) {
    let dir = std::env::temp_dir().join("veto-lint-bench");
    if !dir.join("policy-9999.json").exists() {
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..10_000 {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"DenyUnEncryptedObjectUploads","Effect":"Deny","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::bucket-{i}/*","Condition":{{"StringNotEquals":{{"s3:x-amz-server-side-encryption":"aws:kms"}}}}}},{{"Sid":"DenyInsecureConnections","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::bucket-{i}","arn:aws:s3:::bucket-{i}/*"],"Condition":{{"Bool":{{"aws:SecureTransport":"false"}}}}}}]}}"#
            );
            std::fs::write(dir.join(format!("policy-{i}.json")), text).unwrap();
        }
    }
    let dir = dir.to_str().unwrap().to_string();
    bencher.bench(|| lint(&["--format", "json", &dir]));
}
