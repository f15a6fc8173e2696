//! The rule pack's fixtures: `veto lint --format json` on each file of
//! `rules/fixtures/` gives exactly the findings `rules/fixtures/expected.json` lists;
//! on each Terraform module of `tests/terraform/expected.json` (our own modules and
//! real ones under `tests/real/terraform/`), exactly the findings and input errors
//! it lists.

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
    let errors = case["errors"].as_array().is_some_and(|e| !e.is_empty());
    let failing = case["findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["severity"] == "error"));
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
    let manifest: serde_json::Value = serde_json::from_str(include_str!("../rules/fixtures/expected.json")).unwrap();
    let trials = manifest
        .as_object()
        .unwrap()
        .iter()
        .map(|(file, expected)| {
            let (file, expected) = (file.clone(), expected.clone());
            Trial::test(format!("fixtures/{file}"), move || run(&file, &expected))
        })
        .collect::<Vec<_>>();
    let mut trials = trials;
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
