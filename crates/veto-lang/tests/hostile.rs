//! Hostile input: deep nesting, huge files, unterminated strings. Each gives a
//! positioned error; none panics or overflows the stack.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use veto_lang::parse;
use veto_lang::parse::{MAX_DEPTH, MAX_SOURCE_BYTES};

#[test]
fn deep_brackets_and_braces() {
    for open in ["(", "[", "{"] {
        let text = format!("rule R {{ require {} }}", open.repeat(100_000));
        let d = parse(0, &text).unwrap_err();
        assert!(d.message.contains("nesting deeper than"), "{}", d.message);
        assert!(d.span.start < text.len());
    }
    // Exactly at the limit still parses far enough to give an ordinary syntax error or none.
    let ok = format!(
        "rule R {{ title \"t\" severity error require {}true{} }}",
        "(".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    assert!(parse(0, &ok).is_ok());
}

#[test]
fn a_50_mb_file_is_refused_with_a_position() {
    let text = format!("// {}\n", "x".repeat(50 * 1024 * 1024));
    let d = parse(0, &text).unwrap_err();
    assert!(d.message.contains("veto reads rule files up to"), "{}", d.message);
    assert_eq!(d.span.start, MAX_SOURCE_BYTES);
}

#[test]
fn unterminated_string_at_end_of_file() {
    let text = "rule R {\n  title \"no end";
    let d = parse(0, text).unwrap_err();
    assert!(d.message.contains("unterminated string"), "{}", d.message);
    assert_eq!(d.span.start, text.find('"').unwrap());
}

#[test]
fn control_and_odd_characters() {
    for text in [
        "\u{0}",
        "rule \u{feff} {",
        "}}}}",
        "\"\\",
        "rule R { title \"\\q\" }",
        "suite",
    ] {
        let d = parse(0, text).unwrap_err();
        assert!(d.span.end <= text.len());
    }
}
