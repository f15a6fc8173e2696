//! The rule pack's suites under `rules/`, each case its own test (through veto-test).
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

fn main() {
    veto_test::main(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
}
