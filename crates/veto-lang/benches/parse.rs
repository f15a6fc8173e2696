//! Start-up cost of the embedded rule pack: parsing, and parsing plus checking.
//!
//! Run: `cargo bench -p veto-lang --bench parse`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

fn main() {
    divan::main();
}

const PACK: &str = include_str!("../../../rules/codepipeline.veto");

#[divan::bench]
fn parse_rule_pack() -> veto_lang::ast::File {
    veto_lang::parse(0, divan::black_box(PACK)).expect("the pack parses")
}

#[divan::bench]
fn parse_and_check_rule_pack() -> usize {
    let tree = veto_lang::parse(0, divan::black_box(PACK)).expect("the pack parses");
    veto_lang::check::check(&[&tree], &veto_lang::testing::SampleKeys).len()
}
