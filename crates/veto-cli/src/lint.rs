//! `veto lint`: policies, CloudFormation templates and Terraform plans against the
//! rule pack, with text, JSON, SARIF or JUnit output (see [`crate::emit`]).

use crate::emit::{self, FileReport, Format, Report};
use crate::files;
use crate::rules::read_rule_files;
use crate::EXIT_INPUT;
use rayon::prelude::*;
use std::process::ExitCode;
use veto_check::doc::Pos;
use veto_check::input::{self, Loaded};
use veto_check::ruleset::RuleSet;
use veto_check::run::{self, Finding, Severity};
use veto_lang::ast;

/// Extensions of files a directory walk reads.
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template"];

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(clap::Args)]
pub struct LintArgs {
    /// Files, directories (walked recursively) and glob patterns.
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<String>,
    /// Rule files or directories to use instead of the embedded pack.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
    /// Add these rule files to the embedded pack instead of replacing it.
    #[arg(long)]
    extend: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Add the suggested statements to plain policy files that fail a proof, when
    /// the result passes and allows nothing the original did not.
    #[arg(long)]
    fix: bool,
    /// The lowest severity that fails the run (exit 1).
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Suppressions (default: ./veto.toml when it exists).
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
}

/// One silenced rule: `[[suppress]] rule = "ID", path = "glob", reason = "…"` in veto.toml.
struct Suppression {
    rule: String,
    path: glob::Pattern,
}

/// `veto.toml` as written. Unknown keys are rejected, so a misspelt key is an error and
/// never a wider suppression (a misspelt `path` used to become `**`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    suppress: Vec<SuppressEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SuppressEntry {
    rule: String,
    reason: String,
    /// A glob over the linted path; without it the rule is silenced in every file.
    path: Option<String>,
}

fn read_config(path: Option<&str>) -> Result<Vec<Suppression>, String> {
    let (path, required) = match path {
        Some(p) => (p.to_string(), true),
        None => ("veto.toml".to_string(), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if !required => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {path}: {e}")),
    };
    let config: ConfigFile = toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, entry) in config.suppress.into_iter().enumerate() {
        if entry.reason.trim().is_empty() {
            return Err(format!("{path}: suppress[{i}] needs a non-empty `reason`"));
        }
        let pattern = entry.path.unwrap_or_else(|| "**".into());
        let glob = glob::Pattern::new(&pattern).map_err(|e| format!("{path}: suppress[{i}].path: {e}"))?;
        out.push(Suppression {
            rule: entry.rule,
            path: glob,
        });
    }
    Ok(out)
}

pub(crate) fn lint_file(path: &str, explicit: bool, rules: &[&ast::Rule]) -> FileReport {
    let mut result = FileReport {
        path: path.to_string(),
        text: String::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        skipped: false,
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            result
                .errors
                .push((Pos { line: 1, column: 1 }, format!("cannot read: {e}")));
            return result;
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let prefix = String::from_utf8_lossy(valid);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            result
                .errors
                .push((Pos { line, column }, "the file is not valid UTF-8".into()));
            return result;
        }
    };
    match input::load(path, &text) {
        Loaded::Input(input) => {
            result.findings = run::check(rules, &input.targets);
            for (pos, d) in input.warnings {
                // Every warning carries a code (its constructor requires one); the
                // fallback only keeps a future code-less warning from vanishing.
                result.findings.push(Finding {
                    rule: d.code.unwrap_or("IAM-POLICY").to_string(),
                    severity: Severity::Warning,
                    pos,
                    message: match &d.help {
                        Some(h) => format!("{d} ({h})"),
                        None => d.to_string(),
                    },
                    request: None,
                    label: None,
                    fix: None,
                });
            }
        }
        Loaded::NotOurs(p) if explicit => result.errors.push((p.pos, p.message)),
        Loaded::NotOurs(_) => result.skipped = true,
        Loaded::Failed(problems) => result.errors.extend(problems.into_iter().map(|p| (p.pos, p.message))),
    }
    result.text = text;
    result
}

pub fn run_lint(args: LintArgs) -> ExitCode {
    let suppressions = match read_config(args.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let mut rule_files = match read_rule_files(&[]) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    if !args.rules.is_empty() {
        match read_rule_files(&args.rules) {
            Ok(extra) if args.extend => rule_files.extend(extra),
            Ok(replacement) => rule_files = replacement,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    }
    let rule_set = RuleSet::load(rule_files);
    if rule_set.has_errors() {
        eprint!("{}", rule_set.render_diagnostics());
        return ExitCode::from(EXIT_INPUT);
    }
    let rules: Vec<&ast::Rule> = rule_set.rules().collect();
    let paths = match files::collect(&args.paths, EXTENSIONS) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let explicit: Vec<bool> = paths
        .iter()
        .map(|p| args.paths.iter().any(|a| std::path::Path::new(a) == p.as_path()))
        .collect();
    let mut results: Vec<FileReport> = paths
        .par_iter()
        .zip(explicit.par_iter())
        .map(|(p, &explicit)| lint_file(&p.display().to_string(), explicit, &rules))
        .collect();
    let suppress = |r: &mut FileReport| {
        r.findings
            .retain(|f| !suppressions.iter().any(|s| s.rule == f.rule && s.path.matches(&r.path)));
        r.findings.sort_by_key(|f| (f.pos.line, f.pos.column));
    };
    for r in &mut results {
        suppress(r);
        if args.fix && r.errors.is_empty() {
            crate::fix::apply(r, &rules);
            suppress(r);
        }
    }
    let checked = results.iter().filter(|r| !r.skipped && r.errors.is_empty()).count();
    let errors = results.iter().map(|r| r.errors.len()).sum::<usize>();
    let no_input = checked == 0 && errors == 0;
    let threshold = match args.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    let failing = results
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.severity >= threshold);
    let table = emit::rules_table(&rule_set);
    let output = emit::emitter(args.format).emit(&Report {
        files: &results,
        rules: &table,
    });
    print!("{}", output.stdout);
    eprint!("{}", output.stderr);
    if no_input {
        eprintln!(
            "error: no IAM policies, CloudFormation templates or Terraform plans found in {}",
            args.paths.join(", ")
        );
        return ExitCode::from(EXIT_INPUT);
    }
    if errors > 0 {
        ExitCode::from(EXIT_INPUT)
    } else if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
