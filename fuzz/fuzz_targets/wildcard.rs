//! The wildcard matcher against the naive reference.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_iam::wildcard::{compile_glob, matches, naive_matches, Pattern};

fuzz_target!(|data: (&str, &str)| {
    let (pattern, input) = data;
    // The reference is exponential; keep it to sizes it finishes.
    if pattern.chars().filter(|c| *c == '*').count() > 6 || input.len() > 64 || pattern.len() > 32 {
        return;
    }
    let atoms = compile_glob(pattern);
    let expected = naive_matches(pattern, input);
    assert_eq!(matches(&atoms, input, false), expected, "{pattern:?} {input:?}");
    assert_eq!(Pattern::new(atoms).matches(input, false), expected, "{pattern:?} {input:?}");
});
