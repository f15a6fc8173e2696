//! `veto eval --batch` throughput on 20,000 generated cases, through the real binary.
//!
//! Run: `cargo bench --bench batch`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use std::io::Write;
use std::process::{Command, Stdio};

fn main() {
    divan::main();
}

const CASES: usize = 20_000;

fn batch_file() -> std::path::PathBuf {
    let seed = include_str!("../examples/seed-bucket-policy.json").replace(['\n', ' '], "");
    let role = include_str!("../examples/pipeline-role-policy.json").replace(['\n', ' '], "");
    let mut text = String::new();
    for i in 0..CASES {
        let (action, key, tls, sse) = match i % 4 {
            0 => (
                "s3:PutObject",
                "/a.zip",
                true,
                r#","s3:x-amz-server-side-encryption":"aws:kms""#,
            ),
            1 => ("s3:PutObject", "/a.zip", true, ""),
            2 => ("s3:GetObject", "/a.zip", false, ""),
            _ => ("s3:ListBucket", "", false, ""),
        };
        text.push_str(&format!(
            r#"{{"id":"case-{i}","resource_policy":{seed},"identity_policies":[{role}],"request":{{"principal":"arn:aws:sts::111122223333:assumed-role/CodePipelineRole/b","action":"{action}","resource":"arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE{key}","context":{{"aws:SecureTransport":{tls}{sse}}}}}}}"#
        ));
        text.push('\n');
    }
    let path = std::env::temp_dir().join("veto-batch-bench.jsonl");
    std::fs::write(&path, text).expect("write the batch file");
    path
}

/// One run of `veto eval --batch` over 20,000 cases (the two policy documents repeat on
/// every line, so the run compiles them once and evaluates on every core).
#[divan::bench(sample_count = 5, sample_size = 1)]
fn eval_batch_20000_cases(bencher: divan::Bencher) {
    let path = batch_file();
    bencher.counter(divan::counter::ItemsCount::new(CASES)).bench(|| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_veto"))
            .args(["eval", "--batch", path.to_str().expect("UTF-8 temp path")])
            .stdout(Stdio::piped())
            .spawn()
            .expect("veto runs");
        let mut out = Vec::new();
        std::io::Read::read_to_end(child.stdout.as_mut().expect("stdout"), &mut out).expect("read output");
        assert!(child.wait().expect("veto finishes").success());
        assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), CASES);
        std::io::sink().write_all(&out).expect("sink");
    });
}
