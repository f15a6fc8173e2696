//! The formatter: parse → fmt → parse gives the same tree, and fmt is idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_lang::testing::shape;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(tree) = veto_lang::parse(0, text) else { return };
    let once = veto_lang::format::format(&tree, text);
    let again = veto_lang::parse(0, &once).unwrap_or_else(|d| panic!("formatted text does not parse: {}\n{once}", d.message));
    // Spans compare for real and formatting moves them: compare the trees' shapes.
    assert_eq!(shape(&tree), shape(&again), "formatting changed the tree:\n{once}");
    assert_eq!(veto_lang::format::format(&again, &once), once, "formatting is not idempotent");
});
