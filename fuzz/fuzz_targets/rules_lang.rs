//! The rules-language parser and checker on arbitrary bytes: no panic, and every
//! error carries a span inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match veto_lang::parse(0, text) {
        Err(d) => assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}"),
        Ok(file) => {
            for d in veto_lang::check::check(&[&file], &veto_lang::testing::SampleKeys) {
                assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            }
        }
    }
});
