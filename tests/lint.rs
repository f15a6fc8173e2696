//! The rule pack's fixtures, and real inputs from public repositories: `veto lint
//! --format json` on each file of `rules/fixtures/` and of every `tests/real/*/`
//! set with an `expected.json` gives exactly the findings listed there (each real
//! set's `SOURCE` names where its files come from and why each finding is right);
//! on each Terraform module of `tests/terraform/expected.json` (our own modules and
//! real ones under `tests/real/terraform/`), exactly the findings and input errors
//! it lists.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

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

/// (rule, severity, path in the module, line) and the message part a finding must hold.
type Expected = (String, String, String, u64, String);

fn terraform(case: &serde_json::Value) -> Result<(), Failed> {
    let dir = case["dir"].as_str().ok_or("no dir")?;
    let args: Vec<&str> = case["args"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["lint", "--format", "json", dir])
        .args(&args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map_err(|e| e.to_string())?;
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).map_err(|e| format!("not JSON: {e}"))?;
    let local = |p: &serde_json::Value| {
        p.as_str()
            .unwrap_or("")
            .strip_prefix(&format!("{dir}/"))
            .unwrap_or(p.as_str().unwrap_or(""))
            .to_string()
    };
    let read = |list: &serde_json::Value, path: &dyn Fn(&serde_json::Value) -> String| -> Vec<Expected> {
        let mut v: Vec<Expected> = list
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| {
                        (
                            f["rule"].as_str().unwrap_or("").to_string(),
                            f["severity"].as_str().unwrap_or("").to_string(),
                            path(&f["path"]),
                            f["line"].as_u64().unwrap_or(0),
                            f["message"].as_str().unwrap_or("").to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let plain = |p: &serde_json::Value| p.as_str().unwrap_or("").to_string();
    for (what, got, want) in [
        (
            "findings",
            read(&report["findings"], &local),
            read(&case["findings"], &plain),
        ),
        ("errors", read(&report["errors"], &local), read(&case["errors"], &plain)),
    ] {
        let key = |v: &[Expected]| -> Vec<(String, String, String, u64)> {
            v.iter()
                .map(|(a, b, c, d, _)| (a.clone(), b.clone(), c.clone(), *d))
                .collect()
        };
        if key(&got) != key(&want) {
            return Err(format!("{what}: expected {:?}\n     got {:?}", key(&want), got).into());
        }
        for (g, w) in got.iter().zip(&want) {
            if !g.4.contains(&w.4) {
                return Err(format!("{what}: `{}` does not say `{}`", g.4, w.4).into());
            }
        }
    }
    // Undecided findings are their own outcome: the report must say so exactly where
    // the case's message does, and they do not fail the run by default.
    let undecided = |f: &serde_json::Value| {
        f["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("could not be decided"))
    };
    for (g, w) in report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["outcome"] == "undecided")
        .zip(
            case["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|f| undecided(f)),
        )
    {
        if g["rule"] != w["rule"] {
            return Err(format!("undecided: expected {}, got {}", w["rule"], g["rule"]).into());
        }
    }
    let count = |list: &serde_json::Value, keep: &dyn Fn(&serde_json::Value) -> bool| {
        list.as_array().map_or(0, |a| a.iter().filter(|f| keep(f)).count())
    };
    if count(&report["findings"], &|f| f["outcome"] == "undecided") != count(&case["findings"], &undecided) {
        return Err("the report's undecided findings are not the case's".into());
    }
    let errors = case["errors"].as_array().is_some_and(|e| !e.is_empty());
    let failing = case["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["severity"] == "error" && !undecided(f)));
    let code = out.status.code();
    let want = if errors {
        2
    } else if failing {
        1
    } else {
        0
    };
    if code != Some(want) {
        return Err(format!("exit code {code:?}, expected {want}").into());
    }
    Ok(())
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
    let modules: serde_json::Value = serde_json::from_str(include_str!("terraform/expected.json")).unwrap();
    for case in modules.as_array().unwrap() {
        let args: Vec<&str> = case["args"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let name = format!("terraform/{} {}", case["dir"].as_str().unwrap_or(""), args.join(" "));
        let case = case.clone();
        trials.push(Trial::test(name.trim_end().to_string(), move || terraform(&case)));
    }
    libtest_mimic::run(&args, trials).exit();
}
