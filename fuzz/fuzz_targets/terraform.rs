//! The Terraform loader (`.tf` and `.tf.json`) on arbitrary text: no panic, no
//! hang, and every problem is positioned inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_check::input::{load, Loaded};

fuzz_target!(|data: (bool, &[u8])| {
    let (json, bytes) = data;
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let name = if json { "input.tf.json" } else { "input.tf" };
    let lines = text.matches('\n').count() + 1;
    if let Loaded::Failed(problems) = load(name, text) {
        assert!(!problems.is_empty());
        for p in problems {
            assert!(p.pos.line >= 1 && p.pos.line <= lines, "{p:?}");
        }
    }
});
