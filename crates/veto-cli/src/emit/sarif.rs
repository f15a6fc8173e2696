//! SARIF 2.1.0 for code scanning: the rules table from the rule set and the policy
//! finding codes, one result per finding with a 1-based region, the label as the
//! location's message, and input errors as tool notifications.

use super::{Emitter, Output, Report};
use serde_json::{json, Value};
use veto_check::run::{Outcome, Severity};

pub struct Sarif;

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

impl Emitter for Sarif {
    fn emit(&self, report: &Report) -> Output {
        let rules: Vec<Value> = report
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "shortDescription": {"text": r.title},
                    "fullDescription": {"text": r.description},
                    "defaultConfiguration": {"level": level(r.severity)},
                })
            })
            .collect();
        let mut results = Vec::new();
        for r in report.files {
            for f in &r.findings {
                let mut location = json!({"physicalLocation": {
                    "artifactLocation": {"uri": r.path},
                    "region": {"startLine": f.pos.line.max(1), "startColumn": f.pos.column.max(1)}
                }});
                if let Some(label) = &f.label {
                    location["message"] = json!({"text": label});
                }
                // An undecided rule is SARIF's "review": a person must look; level none.
                let (kind, level) = match f.outcome {
                    Outcome::Fails => ("fail", level(f.severity)),
                    Outcome::Undecided => ("review", "none"),
                };
                let mut result = json!({
                    "ruleId": f.rule,
                    "kind": kind,
                    "level": level,
                    "message": {"text": f.message},
                    "locations": [location],
                });
                let mut properties = serde_json::Map::new();
                if let Some(request) = &f.request {
                    properties.insert("request".into(), crate::prove::request_json(request));
                }
                if let Some(fix) = &f.fix {
                    properties.insert("fix".into(), fix.clone());
                }
                if !properties.is_empty() {
                    result["properties"] = Value::Object(properties);
                }
                results.push(result);
            }
        }
        let notifications: Vec<Value> = report
            .files
            .iter()
            .flat_map(|r| r.errors.iter().map(move |(pos, m)| (r, pos, m)))
            .map(|(r, pos, m)| json!({"level": "error", "message": {"text": m}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.path}, "region": {"startLine": pos.line.max(1), "startColumn": pos.column.max(1)}}}]}))
            .collect();
        let sarif = json!({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{
                "tool": {"driver": {"name": "veto", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
                "results": results,
                "invocations": [{"executionSuccessful": notifications.is_empty(), "toolExecutionNotifications": notifications}]
            }]
        });
        Output {
            stdout: format!("{sarif}\n"),
            stderr: String::new(),
        }
    }
}
