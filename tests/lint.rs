//! The rule pack's fixtures: `veto lint --format json` on each file of
//! `rules/fixtures/` gives exactly the findings `rules/fixtures/expected.json` lists.

use libtest_mimic::{Arguments, Failed, Trial};
use std::process::Command;

fn run(file: &str, expected: &serde_json::Value) -> Result<(), Failed> {
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["lint", "--format", "json", &format!("rules/fixtures/{file}")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map_err(|e| e.to_string())?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON: {e}"))?;
    if !report["errors"].as_array().is_some_and(Vec::is_empty) {
        return Err(format!("input errors: {}", report["errors"]).into());
    }
    let mut got: Vec<(String, String, u64)> = report["findings"]
        .as_array()
        .ok_or("no findings array")?
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut want: Vec<(String, String, u64)> = expected
        .as_array()
        .ok_or("expected.json entry is not a list")?
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("expected {want:?}\n     got {got:?}\n{}", report["findings"]).into());
    }
    let has_error = want.iter().any(|(_, s, _)| s == "error");
    let code = out.status.code();
    if code != Some(if has_error { 1 } else { 0 }) {
        return Err(format!("exit code {code:?}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let manifest: serde_json::Value = serde_json::from_str(include_str!("../rules/fixtures/expected.json")).unwrap();
    let trials = manifest
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, expected)| {
            let (file, expected) = (file.clone(), expected.clone());
            Trial::test(format!("fixtures/{file}"), move || run(&file, &expected))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
