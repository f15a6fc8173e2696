//! The rule pack's suites under `rules/`, each case its own test (through veto-test).

fn main() {
    veto_test::main(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
}
