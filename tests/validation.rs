//! Catalog findings as data: each line of `tests/validation/findings.jsonl` is a
//! policy and the exact finding IDs it must produce (none for a quiet case).
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

mod common;

use libtest_mimic::{Arguments, Failed};
use veto_iam::{validate, Policy};

fn run(line: &str) -> Result<(), Failed> {
    let case: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let policy = Policy::parse(&case["policy"].to_string()).map_err(|e| format!("policy does not load: {e}"))?;
    let findings = validate::validate(&policy);
    let mut got: Vec<&str> = findings.iter().filter_map(|d| d.code).collect();
    got.sort_unstable();
    let want: Vec<&str> = case["expect"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    if got == want {
        Ok(())
    } else {
        let detail: Vec<String> = findings.iter().map(|d| format!("{:?} {d}", d.code)).collect();
        Err(format!("expected {want:?}, got {got:?}:\n{}", detail.join("\n")).into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let text = include_str!("validation/findings.jsonl");
    let trials = common::jsonl_trials(text, "tests/validation/findings.jsonl", "findings/", run);
    libtest_mimic::run(&args, trials).exit();
}
