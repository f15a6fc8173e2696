//! `{"findings": [...], "errors": [...], "skipped": [...]}`: one object per finding
//! with its outcome, position, message, label, counterexample and suggested statement.

use super::{Emitter, Output, Report};
use serde_json::json;
use veto_check::run::Outcome;

pub struct Json;

impl Emitter for Json {
    fn emit(&self, report: &Report) -> Output {
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        for r in report.files {
            for f in &r.findings {
                let outcome = match f.outcome {
                    Outcome::Fails => "fails",
                    Outcome::Undecided => "undecided",
                };
                let mut entry = json!({"rule": f.rule, "severity": f.severity.as_str(), "outcome": outcome, "path": r.path,
                                       "line": f.pos.line, "column": f.pos.column, "message": f.message});
                if let Some(label) = &f.label {
                    entry["label"] = json!(label);
                }
                if let Some(request) = &f.request {
                    entry["request"] = crate::prove::request_json(request);
                }
                if let Some(fix) = &f.fix {
                    entry["fix"] = fix.clone();
                }
                findings.push(entry);
            }
            for (pos, message) in &r.errors {
                errors.push(json!({"path": r.path, "line": pos.line, "column": pos.column, "message": message}));
            }
        }
        let skipped: Vec<&str> = report
            .files
            .iter()
            .filter(|r| r.skipped)
            .map(|r| r.path.as_str())
            .collect();
        Output {
            stdout: format!(
                "{}\n",
                json!({"findings": findings, "errors": errors, "skipped": skipped})
            ),
            stderr: String::new(),
        }
    }
}
