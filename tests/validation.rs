//! Catalog findings as data: each line of `tests/validation/findings.jsonl` is a
//! policy and the exact finding IDs it must produce (none for a quiet case).

use libtest_mimic::{Arguments, Failed, Trial};
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
    let trials = text
        .lines()
        .map(|line| {
            let id = serde_json::from_str::<serde_json::Value>(line).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string();
            let line = line.to_string();
            Trial::test(format!("findings/{id}"), move || run(&line))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
