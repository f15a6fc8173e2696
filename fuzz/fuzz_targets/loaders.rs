//! The CloudFormation (JSON and YAML) and Terraform loaders on arbitrary bytes:
//! no panic, and every problem is positioned inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_check::input::{load, Loaded};

fuzz_target!(|data: (bool, &[u8])| {
    let (yaml, bytes) = data;
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    let name = if yaml { "input.yaml" } else { "input.json" };
    // YAML counts a lone `\r` as a line break too.
    let lines = text.matches(['\n', '\r']).count() + 2;
    match load(name, text) {
        Loaded::Failed(problems) => {
            assert!(!problems.is_empty());
            for p in problems {
                assert!(p.pos.line <= lines, "{p:?}");
            }
        }
        Loaded::NotOurs(p) => assert!(p.pos.line <= lines),
        Loaded::Input(_) => {}
    }
});
