//! The rule pack's fixtures, and real inputs from public repositories: `veto lint
//! --format json` on each file of `rules/fixtures/` and of every `tests/real/*/`
//! gives exactly the findings the directory's `expected.json` lists (each real
//! set's `SOURCE` names where its files come from and why each finding is right).

use libtest_mimic::{Arguments, Failed, Trial};
use std::process::Command;

fn run(dir: &str, file: &str, expected: &serde_json::Value) -> Result<(), Failed> {
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["lint", "--format", "json", &format!("{dir}/{file}")])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map_err(|e| e.to_string())?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON: {e}"))?;
    if !report["errors"].as_array().is_some_and(Vec::is_empty) {
        return Err(format!("input errors: {}", report["errors"]).into());
    }
    // (rule, severity, line, outcome); `outcome` is "fails" unless the entry says "undecided".
    let mut got: Vec<(String, String, u64, String)> = report["findings"]
        .as_array()
        .ok_or("no findings array")?
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["outcome"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    let mut want: Vec<(String, String, u64, String)> = expected
        .as_array()
        .ok_or("expected.json entry is not a list")?
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_string(),
                f["severity"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["outcome"].as_str().unwrap_or("fails").to_string(),
            )
        })
        .collect();
    got.sort();
    want.sort();
    if got != want {
        return Err(format!("expected {want:?}\n     got {got:?}\n{}", report["findings"]).into());
    }
    let has_error = want.iter().any(|(_, s, _, o)| s == "error" && o == "fails");
    let code = out.status.code();
    if code != Some(if has_error { 1 } else { 0 }) {
        return Err(format!("exit code {code:?}").into());
    }
    Ok(())
}

/// The directories with an `expected.json`: the fixtures, then each real set.
fn manifests() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut dirs = vec!["rules/fixtures".to_string()];
    let mut real: Vec<String> = std::fs::read_dir(format!("{root}/tests/real"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|kind| {
            std::fs::read_dir(kind.path())
                .into_iter()
                .flatten()
                .flatten()
                .chain([kind])
        })
        .filter(|d| d.path().join("expected.json").is_file())
        .map(|d| d.path().strip_prefix(root).unwrap().display().to_string())
        .collect();
    real.sort();
    dirs.extend(real);
    dirs
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = Vec::new();
    for dir in manifests() {
        let path = format!("{}/{dir}/expected.json", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        for (file, expected) in manifest.as_object().unwrap() {
            let (dir, file, expected) = (dir.clone(), file.clone(), expected.clone());
            let name = format!(
                "{}/{file}",
                dir.trim_start_matches("rules/").trim_start_matches("tests/")
            );
            trials.push(Trial::test(name, move || run(&dir, &file, &expected)));
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
