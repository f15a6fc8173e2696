//! JUnit XML for CI systems, written by `quick-junit` (which escapes control
//! characters): one test suite per file, one failing test case per finding, one
//! errored case per input error, and one passing case for a clean file.

use super::{Emitter, Output, Report};
use quick_junit::{NonSuccessKind, Report as Junit_, TestCase, TestCaseStatus, TestSuite};
use veto_check::run::Outcome;

pub struct Junit;

impl Emitter for Junit {
    fn emit(&self, report: &Report) -> Output {
        let mut junit = Junit_::new("veto lint");
        for r in report.files.iter().filter(|r| !r.skipped) {
            let mut suite = TestSuite::new(r.path.as_str());
            for (pos, message) in &r.errors {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                status.set_message(message.as_str()).set_type("input error");
                let mut case = TestCase::new(format!("input at {}:{}", pos.line, pos.column), status);
                case.set_classname(r.path.as_str());
                suite.add_test_case(case);
            }
            for f in &r.findings {
                if f.outcome == Outcome::Undecided {
                    // Neither passed nor failed: JUnit's "skipped", with the reason.
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(f.message.as_str()).set_type("undecided");
                    let mut case = TestCase::new(format!("{} at {}:{}", f.rule, f.pos.line, f.pos.column), status);
                    case.set_classname(r.path.as_str());
                    suite.add_test_case(case);
                    continue;
                }
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                let mut description = f.message.clone();
                if let Some(label) = &f.label {
                    description.push_str(&format!("\n{}:{}:{}: {label}", r.path, f.pos.line, f.pos.column));
                }
                if let Some(help) = super::help(f) {
                    description.push_str(&format!("\nhelp: {help}"));
                }
                status
                    .set_message(f.message.as_str())
                    .set_type(f.severity.as_str())
                    .set_description(description);
                let mut case = TestCase::new(format!("{} at {}:{}", f.rule, f.pos.line, f.pos.column), status);
                case.set_classname(r.path.as_str());
                suite.add_test_case(case);
            }
            if r.findings.is_empty() && r.errors.is_empty() {
                let mut case = TestCase::new("every rule holds", TestCaseStatus::success());
                case.set_classname(r.path.as_str());
                suite.add_test_case(case);
            }
            junit.add_test_suite(suite);
        }
        match junit.to_string() {
            Ok(xml) => Output {
                stdout: xml,
                stderr: String::new(),
            },
            Err(e) => Output {
                stdout: String::new(),
                stderr: format!("error: cannot write JUnit XML: {e}\n"),
            },
        }
    }
}
