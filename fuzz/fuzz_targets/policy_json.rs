//! The policy JSON reader on arbitrary bytes: no panic, and every error is
//! positioned inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_iam::{json, Policy, PolicyKind};

fuzz_target!(|data: &[u8]| {
    let text = match json::utf8(data) {
        Ok(t) => t,
        Err(e) => {
            assert!(e.span.start <= data.len());
            return;
        }
    };
    match Policy::parse(text) {
        Ok(policy) => {
            for kind in [PolicyKind::Identity, PolicyKind::Resource, PolicyKind::Scp, PolicyKind::Rcp] {
                for d in policy.check_kind(kind) {
                    assert!(d.span.end <= text.len());
                }
            }
            // Writing back and reading again must succeed.
            Policy::parse(&policy.to_json()).expect("a loaded policy written back loads again");
        }
        Err(e) => {
            assert!(e.errors().next().is_some(), "a refused policy names an error");
            for d in &e.diagnostics {
                assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{d:?}");
            }
        }
    }
});
