//! `veto test`: runs every suite case and `expect rule` line, cargo-test style.

use crate::files;
use crate::EXIT_INPUT;
use std::process::ExitCode;
use veto_check::ruleset::SourceFile;
use veto_check::suite;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    Text,
    Junit,
}

#[derive(clap::Args)]
pub struct TestArgs {
    /// Suite files or directories (rule files found there are the rules; else the embedded pack).
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<String>,
    /// Run only tests whose name contains this text.
    #[arg(long)]
    filter: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: TestFormat,
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub fn run_test(args: TestArgs) -> ExitCode {
    let paths = match files::collect(&args.paths, &[".veto"]) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let mut sources = Vec::new();
    for p in paths {
        let name = p.display().to_string();
        match crate::eval::read_text(&name) {
            Ok(text) => sources.push(SourceFile { name, text }),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    }
    let discovery = suite::discover(sources);
    if !discovery.errors.is_empty() {
        for e in &discovery.errors {
            eprintln!("{e}");
        }
        eprintln!(
            "error: {} problem(s) in the suites; no test ran",
            discovery.errors.len()
        );
        return ExitCode::from(EXIT_INPUT);
    }
    let rules: Vec<&veto_lang::ast::Rule> = discovery.rules.rules().collect();
    let selected: Vec<(&suite::LoadedSuite, &suite::Test)> = discovery
        .suites
        .iter()
        .flat_map(|s| s.tests.iter().map(move |t| (s, t)))
        .filter(|(_, t)| args.filter.as_ref().is_none_or(|f| t.name.contains(f.as_str())))
        .collect();
    if discovery.suites.is_empty() {
        eprintln!("error: no suites found in {}", args.paths.join(", "));
        return ExitCode::from(EXIT_INPUT);
    }
    let results: Vec<(&suite::Test, Result<(), String>, std::time::Duration)> = selected
        .iter()
        .map(|(s, t)| {
            let start = std::time::Instant::now();
            let r = suite::run_test(t, &s.documents, &rules);
            (*t, r, start.elapsed())
        })
        .collect();
    let failed = results.iter().filter(|(_, r, _)| r.is_err()).count();
    let passed = results.len() - failed;
    match args.format {
        TestFormat::Text => {
            println!("\nrunning {} tests", results.len());
            for (t, r, _) in &results {
                println!("test {} ... {}", t.name, if r.is_ok() { "ok" } else { "FAILED" });
            }
            if failed > 0 {
                println!("\nfailures:\n");
                for (t, r, _) in &results {
                    if let Err(text) = r {
                        println!(
                            "---- {} ({}:{}:{}) ----\n{text}",
                            t.name, t.file, t.pos.line, t.pos.column
                        );
                    }
                }
                println!("failures:");
                for (t, r, _) in &results {
                    if r.is_err() {
                        println!("    {}", t.name);
                    }
                }
            }
            println!(
                "\ntest result: {}. {passed} passed; {failed} failed; {} filtered out\n",
                if failed == 0 { "ok" } else { "FAILED" },
                discovery.suites.iter().map(|s| s.tests.len()).sum::<usize>() - results.len()
            );
        }
        TestFormat::Junit => {
            let mut out = format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"{}\" failures=\"{failed}\">\n",
                results.len()
            );
            for s in &discovery.suites {
                let mine: Vec<_> = results
                    .iter()
                    .filter(|(t, _, _)| s.tests.iter().any(|x| std::ptr::eq(x, *t)))
                    .collect();
                let fails = mine.iter().filter(|(_, r, _)| r.is_err()).count();
                out.push_str(&format!(
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{fails}\">\n",
                    xml(&s.name),
                    mine.len()
                ));
                for (t, r, time) in mine {
                    let case = t.name.split(" :: ").nth(1).unwrap_or(&t.name);
                    out.push_str(&format!(
                        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"{:.6}\"",
                        xml(case),
                        xml(&s.name),
                        xml(&t.file),
                        t.pos.line,
                        time.as_secs_f64()
                    ));
                    match r {
                        Ok(()) => out.push_str("/>\n"),
                        Err(text) => {
                            let first = text.lines().next().unwrap_or("");
                            out.push_str(&format!(
                                ">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                                xml(first),
                                xml(text)
                            ));
                        }
                    }
                }
                out.push_str("  </testsuite>\n");
            }
            out.push_str("</testsuites>\n");
            print!("{out}");
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
