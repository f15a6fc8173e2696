//! `veto lint`'s output formats: one module per format behind [`Emitter`]. The
//! engine has already assembled every finding; an emitter only lays it out.

mod json;
mod junit;
mod sarif;
mod text;

use veto_check::lint::FileReport;
use veto_check::ruleset::RuleSet;
use veto_check::run::{Finding, Severity};

/// One entry of the rules table: a rule of the rule set or a policy finding code.
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
}

/// Everything an emitter lays out.
pub struct Report<'a> {
    pub files: &'a [FileReport],
    pub rules: &'a [RuleInfo],
}

impl Report<'_> {
    pub fn checked(&self) -> usize {
        self.files.iter().filter(|r| !r.skipped && r.errors.is_empty()).count()
    }
}

/// What an emitter writes to standard output and standard error.
#[derive(Default)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

pub trait Emitter {
    fn emit(&self, report: &Report) -> Output;
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
}

pub fn emitter(format: Format) -> Box<dyn Emitter> {
    match format {
        Format::Text => Box::new(text::Text),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif),
        Format::Junit => Box::new(junit::Junit),
    }
}

/// The rules table: every rule of the set, then every finding code veto-iam
/// reports about policies (its own table, so nothing here is kept by hand).
pub fn rules_table(rule_set: &RuleSet) -> Vec<RuleInfo> {
    let mut out: Vec<RuleInfo> = rule_set
        .rules()
        .map(|r| {
            let title = r.title().map_or("", |t| t.node.as_str()).to_string();
            RuleInfo {
                id: r.id.node.clone(),
                description: r.rationale().map_or_else(|| title.clone(), |t| t.node.clone()),
                title,
                severity: r.severity_level(),
            }
        })
        .collect();
    for code in veto_iam::diagnostic::CODES {
        out.push(RuleInfo {
            id: code.id.to_string(),
            title: code.title.to_string(),
            description: code.title.to_string(),
            severity: Severity::Warning,
        });
    }
    out
}

/// The paste-ready statement of a finding's fix, indented for a `help:` block.
pub fn fix_text(fix: &serde_json::Value) -> String {
    serde_json::to_string_pretty(fix).unwrap_or_else(|_| fix.to_string())
}

/// The `help:` line of a finding with a fix.
pub fn help(finding: &Finding) -> Option<String> {
    finding.fix.as_ref().map(|fix| {
        format!(
            "add this statement to `Statement` (or run `veto lint --fix`):\n{}",
            fix_text(fix)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use veto_check::doc::Pos;
    use veto_check::run::Outcome;

    /// A report with a finding of every shape: a failed proof with label, request
    /// and fix, a plain finding, an input error, and control characters in a message
    /// (which JUnit XML cannot carry raw).
    fn report_files() -> Vec<FileReport> {
        let request = veto_iam::Request::new(
            "arn:aws:iam::111122223333:role/pipeline",
            "s3:GetObject",
            "arn:aws:s3:::b/object-key",
            Some("111122223333"),
            veto_iam::Context::new().with("aws:SecureTransport", veto_iam::ContextValue::Single("false".into())),
        )
        .expect("a valid request");
        let text = "{\n  \"Statement\": [\n    {\"Effect\": \"Deny\", \"Action\": \"s3:Delete*\"}\n  ]\n}\n";
        vec![
            FileReport {
                path: "policy.json".into(),
                text: text.into(),
                findings: vec![
                    Finding {
                        rule: "RULE-A".into(),
                        severity: Severity::Error,
                        outcome: Outcome::Fails,
                        pos: Pos { line: 3, column: 40 },
                        message: "not explicitly denied: the request".into(),
                        request: Some(request),
                        label: Some("`s3:Delete*` does not cover `s3:GetObject`".into()),
                        fix: Some(serde_json::json!({"Effect": "Deny", "Principal": "*", "Action": "s3:*"})),
                    },
                    Finding {
                        rule: "RULE-C".into(),
                        severity: Severity::Error,
                        outcome: Outcome::Undecided,
                        pos: Pos { line: 1, column: 1 },
                        message: "could not be decided: depends on parameter `DevAccount`".into(),
                        request: None,
                        label: None,
                        fix: None,
                    },
                    Finding {
                        rule: "RULE-B".into(),
                        severity: Severity::Warning,
                        outcome: Outcome::Fails,
                        pos: Pos { line: 2, column: 3 },
                        message: "bell \u{7} and escape \u{1b}[31m in a message".into(),
                        request: None,
                        label: None,
                        fix: None,
                    },
                ],
                errors: Vec::new(),
                skipped: false,
                parameters: Vec::new(),
            },
            FileReport {
                path: "broken.json".into(),
                text: "{\n".into(),
                findings: Vec::new(),
                errors: vec![(Pos { line: 2, column: 1 }, "not valid JSON: unexpected end".into())],
                skipped: false,
                parameters: Vec::new(),
            },
            FileReport {
                path: "package.json".into(),
                text: String::new(),
                findings: Vec::new(),
                errors: Vec::new(),
                skipped: true,
                parameters: Vec::new(),
            },
        ]
    }

    fn rules() -> Vec<RuleInfo> {
        vec![RuleInfo {
            id: "RULE-A".into(),
            title: "A title".into(),
            description: "Why it matters".into(),
            severity: Severity::Error,
        }]
    }

    fn emitted(format: Format) -> String {
        let (files, rules) = (report_files(), rules());
        let out = emitter(format).emit(&Report {
            files: &files,
            rules: &rules,
        });
        format!("--- stdout\n{}\n--- stderr\n{}", out.stdout, out.stderr)
    }

    #[test]
    fn text() {
        insta::assert_snapshot!(emitted(Format::Text));
    }

    #[test]
    fn json() {
        insta::assert_snapshot!(emitted(Format::Json));
    }

    #[test]
    fn sarif() {
        insta::assert_snapshot!(emitted(Format::Sarif));
    }

    #[test]
    fn junit() {
        let out = emitted(Format::Junit);
        assert!(
            !out.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')),
            "control characters are escaped or dropped"
        );
        insta::assert_snapshot!(out);
    }

    /// The rules table is the rule set's rules and every veto-iam code.
    #[test]
    fn rules_table_lists_every_code() {
        let set = RuleSet::load(Vec::new());
        let table = rules_table(&set);
        for code in veto_iam::diagnostic::CODES {
            assert!(table.iter().any(|r| r.id == code.id), "{}", code.id);
        }
    }
}
