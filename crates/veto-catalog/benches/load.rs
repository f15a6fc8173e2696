//! How long parsing the embedded catalog takes (it happens once, on first use).
//!
//! Run: `cargo bench -p veto-catalog --bench load`
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn parse_embedded_catalog() -> veto_catalog::Catalog {
    veto_catalog::Catalog::parse(include_str!("../data/catalog.tsv")).expect("the catalog parses")
}
