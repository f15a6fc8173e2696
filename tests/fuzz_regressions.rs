//! Inputs the fuzzers found, replayed through the laws of their targets.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::Path;
use veto_check::input::{load, Loaded};

fn loaders(bytes: &[u8]) -> Result<(), Failed> {
    // The fuzz target reads a bool from the first byte, then the rest.
    let (yaml, rest) = (
        bytes.first().is_some_and(|b| b & 1 == 1),
        bytes.get(1..).unwrap_or_default(),
    );
    for text in [std::str::from_utf8(bytes).ok(), std::str::from_utf8(rest).ok()]
        .into_iter()
        .flatten()
    {
        let lines = text.matches(['\n', '\r']).count() + 2;
        for name in [
            if yaml { "input.yaml" } else { "input.json" },
            "input.yaml",
            "input.json",
        ] {
            match load(name, text) {
                Loaded::Failed(problems) if problems.is_empty() => return Err("a failed load without a problem".into()),
                Loaded::Failed(problems) => {
                    if let Some(p) = problems.iter().find(|p| p.pos.line > lines || p.pos.line == 0) {
                        return Err(format!("{p:?} lies outside the input").into());
                    }
                }
                Loaded::NotOurs(_) | Loaded::Input(_) => {}
            }
        }
    }
    Ok(())
}

fn lang(bytes: &[u8]) -> Result<(), Failed> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    if let Err(d) = veto_lang::parse(0, text) {
        if d.span.end > text.len() {
            return Err(format!("{d:?} lies outside the input").into());
        }
    }
    Ok(())
}

fn fmt_roundtrip(bytes: &[u8]) -> Result<(), Failed> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(());
    };
    let Ok(tree) = veto_lang::parse(0, text) else {
        return Ok(());
    };
    let once = veto_lang::format::format(&tree, text);
    let again = veto_lang::parse(0, &once).map_err(|d| format!("formatted text does not parse: {}", d.message))?;
    // Spans compare for real and formatting moves them: compare the trees' shapes.
    if veto_lang::testing::shape(&again) != veto_lang::testing::shape(&tree) {
        return Err(format!("formatting changed the tree:\n{once}").into());
    }
    let twice = veto_lang::format::format(&again, &once);
    if twice != once {
        return Err(format!("formatting is not idempotent:\n{once}\n---\n{twice}").into());
    }
    Ok(())
}

fn wildcard(bytes: &[u8]) -> Result<(), Failed> {
    use arbitrary::{Arbitrary, Unstructured};
    use veto_iam::wildcard::{compile_glob, matches, naive_matches, Pattern};
    let Ok((pattern, input)) = <(&str, &str)>::arbitrary_take_rest(Unstructured::new(bytes)) else {
        return Ok(());
    };
    let atoms = compile_glob(pattern);
    let expected = naive_matches(pattern, input);
    if matches(&atoms, input, false) != expected || Pattern::new(atoms).matches(input, false) != expected {
        return Err(format!("matchers disagree on {pattern:?} {input:?}").into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut trials = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|x| x == "bin")) {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).unwrap();
        let check: fn(&[u8]) -> Result<(), Failed> = match name.split('-').next() {
            Some("loaders") => loaders,
            Some("fmt_roundtrip") => fmt_roundtrip,
            Some("wildcard") => wildcard,
            _ => lang,
        };
        trials.push(Trial::test(name, move || check(&bytes)));
    }
    libtest_mimic::run(&args, trials).exit();
}
