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
            // quick-junit writes the XML: attributes and text escaped, control
            // characters (which XML 1.0 cannot carry) dropped.
            use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};
            let mut report = Report::new("veto test");
            for s in &discovery.suites {
                let mut suite = TestSuite::new(s.name.as_str());
                for (t, r, time) in results
                    .iter()
                    .filter(|(t, _, _)| s.tests.iter().any(|x| std::ptr::eq(x, *t)))
                {
                    let case_name = t.name.split(" :: ").nth(1).unwrap_or(&t.name);
                    let status = match r {
                        Ok(()) => TestCaseStatus::success(),
                        Err(text) => {
                            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                            status
                                .set_message(text.lines().next().unwrap_or(""))
                                .set_description(text.as_str());
                            status
                        }
                    };
                    let mut case = TestCase::new(case_name, status);
                    case.set_classname(s.name.as_str())
                        .set_time(*time)
                        .add_property(quick_junit::Property::new("file", t.file.as_str()))
                        .add_property(quick_junit::Property::new("line", t.pos.line.to_string()));
                    suite.add_test_case(case);
                }
                report.add_test_suite(suite);
            }
            match report.to_string() {
                Ok(xml) => print!("{xml}"),
                Err(e) => {
                    eprintln!("error: cannot write JUnit XML: {e}");
                    return ExitCode::from(EXIT_INPUT);
                }
            }
        }
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
