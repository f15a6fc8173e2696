//! Fixture folders: every `ok/*.veto` parses and checks with no diagnostic and is
//! already formatted; every `err/*.veto` produces diagnostics whose rendering
//! equals `err/*.expected` (positions included). `VETO_BLESS=1` rewrites them.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use veto_lang::{check, diagnostic, format, parse, testing::SampleKeys};

fn diagnostics(name: &str, text: &str) -> (Vec<String>, Option<veto_lang::ast::File>) {
    match parse(0, text) {
        Err(d) => (vec![diagnostic::render(&d, name, text)], None),
        Ok(file) => {
            let ds = check::check(&[&file], &SampleKeys);
            (
                ds.iter().map(|d| diagnostic::render(d, name, text)).collect(),
                Some(file),
            )
        }
    }
}

fn ok_case(path: PathBuf) -> Result<(), Failed> {
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let (ds, file) = diagnostics(&name, &text);
    if !ds.is_empty() {
        return Err(format!("expected no diagnostics, got:\n{}", ds.join("\n")).into());
    }
    let formatted = format::format(&file.unwrap(), &text);
    if formatted != text {
        return Err(format!("not in canonical layout; `veto fmt` gives:\n{formatted}").into());
    }
    Ok(())
}

fn err_case(path: PathBuf) -> Result<(), Failed> {
    let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let (ds, _) = diagnostics(&name, &text);
    if ds.is_empty() {
        return Err("expected at least one diagnostic, got none".into());
    }
    let got = ds.join("\n");
    let expected_path = path.with_extension("expected");
    if std::env::var_os("VETO_BLESS").is_some() {
        std::fs::write(&expected_path, &got).map_err(|e| e.to_string())?;
        return Ok(());
    }
    let expected = std::fs::read_to_string(&expected_path).map_err(|_| {
        format!(
            "{} is missing; run with VETO_BLESS=1 to create it:\n{got}",
            expected_path.display()
        )
    })?;
    if expected == got {
        Ok(())
    } else {
        Err(format!("diagnostics differ.\n--- expected\n{expected}\n--- got\n{got}").into())
    }
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut trials = Vec::new();
    for (dir, ok) in [("ok", true), ("err", false)] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("fixture folder exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "veto"))
            .collect();
        files.sort();
        for path in files {
            let name = format!("{dir}/{}", path.file_stem().unwrap().to_string_lossy());
            trials.push(if ok {
                Trial::test(name, move || ok_case(path))
            } else {
                Trial::test(name, move || err_case(path))
            });
        }
    }
    libtest_mimic::run(&args, trials).exit();
}
