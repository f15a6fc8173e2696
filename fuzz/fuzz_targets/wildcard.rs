//! The wildcard and ARN matchers against naive references.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_iam::condition::arn_like;
use veto_iam::wildcard::{compile_glob, matches, naive_matches, Pattern};

fuzz_target!(|data: (&str, &str)| {
    let (pattern, input) = data;
    // The reference is quadratic; keep inputs short enough for many runs a second.
    if input.len() > 4096 || pattern.len() > 256 {
        return;
    }
    let atoms = compile_glob(pattern);
    let expected = naive_matches(pattern, input);
    assert_eq!(matches(&atoms, input, false), expected, "{pattern:?} {input:?}");
    assert_eq!(Pattern::new(atoms.clone()).matches(input, false), expected, "{pattern:?} {input:?}");
    // ArnLike: split both at the first five colons (the pattern into at most six
    // fields, the value into as many), and glob field by field.
    let fields = 1 + pattern.matches(':').count().min(5);
    let p: Vec<&str> = pattern.splitn(fields, ':').collect();
    let v: Vec<&str> = input.splitn(fields, ':').collect();
    let naive = v.len() == fields && p.iter().zip(&v).all(|(p, v)| naive_matches(p, v));
    assert_eq!(arn_like(&atoms, input), naive, "ArnLike {pattern:?} {input:?}");
});
