//! `veto lint`'s engine side: from a file (or a Terraform module directory) to its
//! [`FileReport`]. Loads the input, runs the rules, and turns load warnings into
//! findings, so a front end only collects paths, applies suppressions and picks an
//! output format.

use crate::doc::Pos;
use crate::input::{self, Loaded};
use crate::run::{self, Finding, Outcome, Severity};
use crate::terraform;
use std::path::{Path, PathBuf};
use veto_iam::Diagnostic;
use veto_lang::ast;

/// One linted file: its findings and input errors.
pub struct FileReport {
    pub path: String,
    pub text: String,
    pub findings: Vec<Finding>,
    /// Input errors: not loadable, or not a policy when named explicitly.
    pub errors: Vec<(Pos, String)>,
    /// A file walked into (or, with `--skip-unrecognized`, named) that is neither a
    /// policy, a template nor a plan.
    pub skipped: bool,
    /// A template's parameter names (to tell a misspelt `--parameter`).
    pub parameters: Vec<String>,
}

impl FileReport {
    fn empty(path: String, text: String) -> Self {
        FileReport {
            path,
            text,
            findings: Vec::new(),
            errors: Vec::new(),
            skipped: false,
            parameters: Vec::new(),
        }
    }
}

/// How to read the inputs of one run.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The file was named (not walked into): a file that is not ours is an input
    /// error, unless `skip_unrecognized`.
    pub explicit: bool,
    /// Skip files that are neither a policy, a template nor a plan (the pre-commit
    /// hook's mode), a broken file that looks like one of ours excepted.
    pub skip_unrecognized: bool,
    /// Template parameter values, later entries winning.
    pub parameters: &'a [(String, String)],
    /// Terraform root-module variables.
    pub terraform: &'a terraform::Options,
}

/// A Terraform module's reports: one per file it read, and the local module
/// directories it called (read through the call, so not on their own).
pub struct ModuleReport {
    pub files: Vec<FileReport>,
    pub called: Vec<PathBuf>,
}

/// Could this file have been meant as a policy, template or plan? In
/// `--skip-unrecognized` mode a file that does not parse is skipped only when
/// it names none of their top-level members (a broken policy still fails).
fn looks_like_ours(text: &str) -> bool {
    ["Statement", "Resources", "AWSTemplateFormatVersion", "format_version"]
        .iter()
        .any(|k| text.contains(k))
}

/// A policy warning as a finding. Every warning carries a code (its constructor
/// requires one); the fallback only keeps a future code-less warning from vanishing.
fn warning_finding(pos: Pos, d: Diagnostic) -> Finding {
    Finding {
        rule: d.code.unwrap_or("IAM-POLICY").to_string(),
        severity: Severity::Warning,
        outcome: Outcome::Fails,
        pos,
        message: match &d.help {
            Some(h) => format!("{d} ({h})"),
            None => d.to_string(),
        },
        request: None,
        label: None,
        fix: None,
    }
}

/// Lints one policy, template or plan file.
pub fn lint_file(path: &str, options: Options, rules: &[&ast::Rule]) -> FileReport {
    let mut result = FileReport::empty(path.to_string(), String::new());
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
    let Options {
        explicit,
        skip_unrecognized,
        ..
    } = options;
    match input::load_with(path, &text, options.parameters) {
        Loaded::Input(input) => {
            result.findings = run::check(rules, &input.targets);
            result.parameters = input.parameters.clone();
            let wrapper = input.wrapper;
            result
                .findings
                .extend(input.warnings.into_iter().map(|(pos, d)| warning_finding(pos, d)));
            for f in &mut result.findings {
                // Stand-in accounts back to the user's names (`<DevAccount>`).
                f.message = input.stand_ins.describe(&f.message);
                // AWS CLI output: say which member the policy was read from.
                if let Some(w) = wrapper {
                    f.message = format!("{} (in {w})", f.message);
                }
            }
        }
        Loaded::NotOurs(p) if explicit && !skip_unrecognized => result.errors.push((p.pos, p.message)),
        Loaded::NotOurs(_) => result.skipped = true,
        Loaded::Failed(_) if skip_unrecognized && !looks_like_ours(&text) => result.skipped = true,
        Loaded::Failed(problems) => result.errors.extend(problems.into_iter().map(|p| (p.pos, p.message))),
    }
    result.text = text;
    result
}

/// Lints the Terraform module in `dir`: one report per file it read (findings and
/// errors placed in their files), and the local module directories it called.
pub fn lint_module(dir: &Path, options: Options, rules: &[&ast::Rule]) -> ModuleReport {
    let (sources, findings, problems, called) = match terraform::load_dir(dir, options.terraform) {
        Ok(module) => {
            let mut findings = terraform::check(rules, &module);
            findings.extend(module.warnings.into_iter().map(|(pos, d)| warning_finding(pos, d)));
            (module.sources, findings, Vec::new(), module.module_dirs)
        }
        Err(failure) => (failure.sources, Vec::new(), failure.problems, Vec::new()),
    };
    let mut files: Vec<FileReport> = sources
        .files
        .iter()
        .map(|f| FileReport::empty(f.path.clone(), f.text.clone()))
        .collect();
    if files.is_empty() {
        files.push(FileReport::empty(dir.display().to_string(), String::new()));
    }
    for mut f in findings {
        let (i, pos) = sources.locate(f.pos).unwrap_or((0, f.pos));
        f.pos = pos;
        files[i].findings.push(f);
    }
    for p in problems {
        let (i, pos) = sources.locate(p.pos).unwrap_or((0, p.pos));
        files[i].errors.push((pos, p.message));
    }
    ModuleReport { files, called }
}
