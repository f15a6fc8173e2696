//! Every rule's messages, reviewed as a whole: `veto lint` on each rule fixture
//! (where rules fail and where they pass) and on a template that leaves them
//! undecided, in every output format, as insta snapshots. A change of wording is
//! a visible diff in `tests/snapshots/`; `cargo insta review` accepts it.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use std::process::Command;

/// Inputs covering each rule's fail, pass and undecided outcomes.
const INPUTS: &[&str] = &[
    "rules/fixtures/seed-bucket-policy.json",
    "rules/fixtures/weak-bucket-policy.json",
    "rules/fixtures/sse-missing.json",
    "rules/fixtures/tls-delete-only.json",
    "rules/fixtures/over-restrictive.json",
    "rules/fixtures/good-bucket-policy.json",
    "rules/fixtures/pipeline-good.yaml",
    "rules/fixtures/pipeline-no-policy.yaml",
    "rules/fixtures/asymmetric-key.yaml",
    "rules/fixtures/no-rotation.yaml",
    "rules/fixtures/cross-account-aws-managed.yaml",
    "rules/fixtures/cross-account-alias.json",
    "rules/fixtures/terraform-plan.json",
    "tests/messages/undecided.yaml",
];

const FORMATS: &[&str] = &["text", "json", "sarif", "junit"];

fn lint(format: &str, input: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["lint", "--format", format, input])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("veto runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut shown = format!("exit: {:?}\n--- stdout\n", out.status.code());
    shown.push_str(&match format {
        // Pretty-printed so a one-word change is a one-line diff.
        "json" | "sarif" => serde_json::from_str::<serde_json::Value>(&stdout)
            .map(|mut v| {
                // The rules table is the same in every run: `sarif_rules_table` shows it once.
                if let Some(rules) = v.pointer_mut("/runs/0/tool/driver/rules") {
                    let n = rules.as_array().map_or(0, Vec::len);
                    *rules = serde_json::json!(format!("{n} rules (see the sarif_rules_table snapshot)"));
                }
                serde_json::to_string_pretty(&v).expect("JSON prints")
            })
            .unwrap_or_else(|e| format!("not JSON ({e}): {stdout}")),
        _ => stdout.into_owned(),
    });
    shown.push_str("\n--- stderr\n");
    shown.push_str(&stderr);
    shown
}

#[test]
fn every_rule_message_in_every_format() {
    for format in FORMATS {
        for input in INPUTS {
            let name = format!(
                "{format}__{}",
                std::path::Path::new(input).file_stem().unwrap().to_string_lossy()
            );
            insta::assert_snapshot!(name, lint(format, input));
        }
    }
}

/// The rules table lists every rule of the pack and every veto-iam finding code.
#[test]
fn sarif_rules_table() {
    let out = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["lint", "--format", "sarif", "rules/fixtures/good-bucket-policy.json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("veto runs");
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    insta::assert_snapshot!(serde_json::to_string_pretty(rules).unwrap());
}

/// The pass and fail lines of `veto prove --rule` for every bucket-policy rule,
/// on a policy that passes them all and one that fails them all.
#[test]
fn prove_rule_pass_and_fail_lines() {
    let mut shown = String::new();
    for rule in [
        "CP-S3-SSE-KMS",
        "CP-S3-TLS",
        "CP-S3-TLS-BUCKET",
        "CP-S3-UPLOAD-POSSIBLE",
    ] {
        for policy in [
            "rules/fixtures/good-bucket-policy.json",
            "rules/fixtures/weak-bucket-policy.json",
        ] {
            let out = Command::new(env!("CARGO_BIN_EXE_veto"))
                .args(["prove", "--resource-policy", policy, "--rule", rule])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("veto runs");
            shown.push_str(&format!(
                "$ veto prove --resource-policy {policy} --rule {rule}\nexit: {:?}\n{}{}\n",
                out.status.code(),
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    insta::assert_snapshot!(shown);
}
