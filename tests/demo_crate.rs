//! A crate outside this workspace that depends on veto-test by path runs its
//! suites through `cargo test`, each case a test, with filtering.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use std::process::Command;

fn cargo_test(extra: &[&str]) -> (bool, String) {
    let root = env!("CARGO_MANIFEST_DIR");
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("demo-target");
    let out = Command::new(env!("CARGO"))
        .args([
            "test",
            "--quiet",
            "--manifest-path",
            &format!("{root}/examples/veto-test-demo/Cargo.toml"),
            "--test",
            "policies",
            "--",
        ])
        .args(extra)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("cargo runs");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn a_user_crate_runs_its_suites_as_tests() {
    let (ok, listing) = cargo_test(&["--list"]);
    assert!(ok, "{listing}");
    assert!(
        listing.contains("artifact bucket :: tls upload with kms: test"),
        "{listing}"
    );
    assert!(
        listing.contains("artifact bucket :: expect rule CP-S3-TLS-BUCKET pass: test"),
        "{listing}"
    );
    let (ok, run) = cargo_test(&[]);
    assert!(ok, "{run}");
    assert!(run.contains("3 passed"), "{run}");
    let (ok, filtered) = cargo_test(&["plain http"]);
    assert!(ok, "{filtered}");
    assert!(
        filtered.contains("1 passed") && filtered.contains("2 filtered out"),
        "{filtered}"
    );
}
