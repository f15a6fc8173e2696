//! The conformance corpus: every line of `tests/conformance/*.jsonl` is one named
//! test. A line is a `veto eval --batch` case plus `expected` (a decision, or
//! `"error"` with an optional `error_contains`), `why` (the spec section), and
//! optionally `note_contains`: text one of the `--explain` trace's notes must hold.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

mod common;

use libtest_mimic::{Arguments, Failed};
use std::path::Path;
use veto_iam::batch;

fn run_case(line: &str) -> Result<(), Failed> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("corpus line is not JSON: {e}"))?;
    let expected = value["expected"].as_str().ok_or("corpus line has no `expected`")?;
    let why = value["why"].as_str().unwrap_or("");
    match (batch::parse_line(line), expected) {
        (Err(e), "error") => match value["error_contains"].as_str() {
            Some(want) if !e.message.contains(want) => {
                Err(format!("error `{}` does not contain `{want}` ({why})", e.message).into())
            }
            _ => Ok(()),
        },
        (Err(e), _) => Err(format!("expected {expected}, but the case did not load: {} ({why})", e.message).into()),
        (Ok(case), "error") => {
            let got = case.policies.evaluate(&case.request);
            Err(format!("expected a load error, but the case evaluated to {got} ({why})").into())
        }
        (Ok(case), _) => {
            let explanation = case.policies.explain(&case.request);
            let got = explanation.outcome.decision;
            // The traced and the untraced paths must agree.
            let fast = case.policies.evaluate(&case.request);
            if got != fast {
                return Err(format!("explain says {got} but evaluate says {fast}").into());
            }
            let notes: Vec<String> = explanation.notes.iter().map(|n| n.describe()).collect();
            if let Some(want) = value["note_contains"].as_str() {
                if !notes.iter().any(|n| n.contains(want)) {
                    return Err(format!("no trace note contains `{want}`: {notes:?} ({why})").into());
                }
            }
            if got.as_str() == expected {
                Ok(())
            } else {
                Err(format!(
                    "expected {expected}, got {got} ({why})\ndecider: {:?}\nstatements: {:#?}",
                    explanation.outcome.decider, explanation.statements
                )
                .into())
            }
        }
    }
}

fn main() {
    let args = Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/conformance exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut trials = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("corpus file is UTF-8");
        trials.extend(common::jsonl_trials(&text, &file.display().to_string(), "", run_case));
    }
    assert!(trials.len() >= 300, "the corpus shrank to {} cases", trials.len());
    libtest_mimic::run(&args, trials).exit();
}
