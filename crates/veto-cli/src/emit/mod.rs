//! `veto lint`'s output formats: one module per format behind [`Emitter`]. The
//! engine has already assembled every finding; an emitter only lays it out.

mod json;
mod junit;
mod sarif;
mod text;

use veto_check::doc::Pos;
use veto_check::ruleset::RuleSet;
use veto_check::run::{Finding, Severity};

/// One linted file: its findings and input errors.
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub findings: Vec<Finding>,
    /// Input errors: not loadable, or not a policy when named explicitly.
    pub errors: Vec<(Pos, String)>,
    /// A file walked into that is neither a policy nor a template.
    pub skipped: bool,
}

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
                severity: Severity::parse(r.severity().map_or("error", |s| s.node.as_str())),
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
