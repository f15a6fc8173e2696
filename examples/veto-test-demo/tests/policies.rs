// Every suite case under policies/ is a test: `cargo test -- tls`, `--list`, `--exact`.
fn main() {
    veto_test::main(concat!(env!("CARGO_MANIFEST_DIR"), "/policies"))
}
