//! `veto lint`: policies, CloudFormation templates and Terraform plans against the
//! rule pack, with text, JSON or SARIF output.

use crate::files;
use crate::rules::read_rule_files;
use crate::EXIT_INPUT;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::process::ExitCode;
use veto_check::doc::Pos;
use veto_check::input::{self, Loaded};
use veto_check::ruleset::RuleSet;
use veto_check::run::{self, Finding, Severity};
use veto_check::terraform;
use veto_lang::ast;

/// Extensions of files a directory walk reads.
/// (`.tf` files are read a directory at a time: one Terraform module.)
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template", ".tf"];

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

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
    format: LintFormat,
    /// The lowest severity that fails the run (exit 1).
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Suppressions (default: ./veto.toml when it exists).
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
    /// A Terraform root-module variable, as `terraform -var` (repeatable).
    #[arg(long = "var", value_name = "KEY=VALUE")]
    vars: Vec<String>,
    /// A Terraform `.tfvars` file, as `terraform -var-file` (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<String>,
}

/// One silenced rule: `[[suppress]] rule = "ID", path = "glob", reason = "…"` in veto.toml.
struct Suppression {
    rule: String,
    path: glob::Pattern,
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
    let value: toml::Value = toml::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    let mut out = Vec::new();
    for (i, entry) in value
        .get("suppress")
        .and_then(|s| s.as_array())
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let field = |k: &str| entry.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let (Some(rule), Some(reason)) = (field("rule"), field("reason")) else {
            return Err(format!("{path}: suppress[{i}] needs `rule` and a `reason`"));
        };
        if reason.trim().is_empty() {
            return Err(format!("{path}: suppress[{i}] needs a non-empty `reason`"));
        }
        let pattern = field("path").unwrap_or_else(|| "**".into());
        let path = glob::Pattern::new(&pattern).map_err(|e| format!("{path}: suppress[{i}].path: {e}"))?;
        out.push(Suppression { rule, path });
    }
    Ok(out)
}

struct FileResult {
    path: String,
    text: String,
    findings: Vec<Finding>,
    /// Input errors: not loadable, or not a policy when named explicitly.
    errors: Vec<(Pos, String)>,
    /// A file walked into that is neither a policy nor a template.
    skipped: bool,
}

fn lint_file(path: &str, explicit: bool, rules: &[&ast::Rule]) -> FileResult {
    let mut result = FileResult {
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
                let Some(code) = d.code else { continue };
                result.findings.push(Finding {
                    rule: code.to_string(),
                    severity: Severity::Warning,
                    pos,
                    message: match &d.help {
                        Some(h) => format!("{d} ({h})"),
                        None => d.to_string(),
                    },
                    request: None,
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

fn normal(dir: &std::path::Path) -> std::path::PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// Lints the Terraform module in `dir`: one result per file it read (findings and
/// errors placed in their files), and the local module directories it called.
fn lint_module(
    dir: &std::path::Path,
    options: &terraform::Options,
    rules: &[&ast::Rule],
) -> (Vec<FileResult>, Vec<std::path::PathBuf>) {
    let (sources, findings, problems, called) = match terraform::load_dir(dir, options) {
        Ok(module) => {
            let mut findings = terraform::check(rules, &module);
            findings.extend(module.warnings.into_iter().filter_map(|(pos, d)| {
                Some(Finding {
                    rule: d.code?.to_string(),
                    severity: Severity::Warning,
                    pos,
                    message: match &d.help {
                        Some(h) => format!("{d} ({h})"),
                        None => d.to_string(),
                    },
                    request: None,
                })
            }));
            (module.sources, findings, Vec::new(), module.module_dirs)
        }
        Err(failure) => (failure.sources, Vec::new(), failure.problems, Vec::new()),
    };
    let mut results: Vec<FileResult> = sources
        .files
        .iter()
        .map(|f| FileResult {
            path: f.path.clone(),
            text: f.text.clone(),
            findings: Vec::new(),
            errors: Vec::new(),
            skipped: false,
        })
        .collect();
    if results.is_empty() {
        results.push(FileResult {
            path: dir.display().to_string(),
            text: String::new(),
            findings: Vec::new(),
            errors: Vec::new(),
            skipped: false,
        });
    }
    for mut f in findings {
        let (i, pos) = sources.locate(f.pos).unwrap_or((0, f.pos));
        f.pos = pos;
        results[i].findings.push(f);
    }
    for p in problems {
        let (i, pos) = sources.locate(p.pos).unwrap_or((0, p.pos));
        results[i].errors.push((pos, p.message));
    }
    (results, called)
}

fn offset(text: &str, pos: Pos) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(pos.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .chars()
            .take(pos.column.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>()
}

fn render(
    path: &str,
    text: &str,
    pos: Pos,
    is_error: bool,
    id: Option<&str>,
    message: &str,
    help: Option<&str>,
) -> String {
    use veto_lang::diagnostic::SnippetLevel;
    let at = offset(text, pos).min(text.len());
    let level = if is_error {
        SnippetLevel::Error
    } else {
        SnippetLevel::Warning
    };
    veto_lang::diagnostic::render_snippet(
        path,
        text,
        0,
        level,
        id,
        message,
        veto_lang::ast::Span::new(at, at + 1),
        "",
        help,
    )
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
    let mut options = terraform::Options {
        vars: Vec::new(),
        var_files: args.var_files.iter().map(std::path::PathBuf::from).collect(),
    };
    for v in &args.vars {
        match terraform::Options::parse_var(v) {
            Ok(kv) => options.vars.push(kv),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    }
    // `.tf` files are read as modules: one per directory.
    let (tf, paths): (Vec<_>, Vec<_>) = paths
        .into_iter()
        .partition(|p| terraform::is_terraform_file(&p.to_string_lossy()));
    let mut module_dirs: Vec<std::path::PathBuf> = tf
        .iter()
        .map(|p| p.parent().map_or_else(|| ".".into(), std::path::Path::to_path_buf))
        .collect();
    module_dirs.sort();
    module_dirs.dedup();
    let modules: Vec<(Vec<FileResult>, Vec<std::path::PathBuf>)> = module_dirs
        .par_iter()
        .map(|d| lint_module(d, &options, &rules))
        .collect();
    // A local module called by another module here is read through the call, with its inputs.
    let called: Vec<std::path::PathBuf> = modules.iter().flat_map(|(_, c)| c.iter().map(|d| normal(d))).collect();
    let explicit: Vec<bool> = paths
        .iter()
        .map(|p| args.paths.iter().any(|a| std::path::Path::new(a) == p.as_path()))
        .collect();
    let mut results: Vec<FileResult> = paths
        .par_iter()
        .zip(explicit.par_iter())
        .map(|(p, &explicit)| lint_file(&p.display().to_string(), explicit, &rules))
        .collect();
    for (dir, (files, _)) in module_dirs.iter().zip(modules) {
        if !called.contains(&normal(dir)) {
            results.extend(files);
        }
    }
    for r in &mut results {
        r.findings
            .retain(|f| !suppressions.iter().any(|s| s.rule == f.rule && s.path.matches(&r.path)));
        r.findings.sort_by_key(|f| (f.pos.line, f.pos.column));
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
    match args.format {
        LintFormat::Text => print_text(&results),
        LintFormat::Json => print_json(&results),
        LintFormat::Sarif => print_sarif(&results, &rule_set),
    }
    if no_input {
        eprintln!(
            "error: no IAM policies, CloudFormation templates, Terraform modules or plans found in {}",
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

fn print_text(results: &[FileResult]) {
    let (mut findings, mut errors) = (0, 0);
    for r in results {
        for (pos, message) in &r.errors {
            errors += 1;
            if r.text.is_empty() {
                eprintln!("error: {}:{}:{}: {message}", r.path, pos.line, pos.column);
            } else {
                eprintln!("{}", render(&r.path, &r.text, *pos, true, None, message, None));
            }
        }
        for f in &r.findings {
            findings += 1;
            let mut out = render(
                &r.path,
                &r.text,
                f.pos,
                f.severity == Severity::Error,
                Some(&f.rule),
                &f.message,
                None,
            );
            if f.severity == Severity::Info {
                out = out.replacen("warning[", "info[", 1);
            }
            println!("{out}");
            if let Some(request) = &f.request {
                println!("  replay: {}\n", crate::prove::request_json(request));
            }
        }
    }
    let checked = results.iter().filter(|r| !r.skipped && r.errors.is_empty()).count();
    eprintln!("{checked} file(s) checked: {findings} finding(s), {errors} input error(s)");
}

fn print_json(results: &[FileResult]) {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        for f in &r.findings {
            let mut entry = json!({"rule": f.rule, "severity": f.severity.as_str(), "path": r.path,
                                   "line": f.pos.line, "column": f.pos.column, "message": f.message});
            if let Some(request) = &f.request {
                entry["request"] = crate::prove::request_json(request);
            }
            findings.push(entry);
        }
        for (pos, message) in &r.errors {
            errors.push(json!({"path": r.path, "line": pos.line, "column": pos.column, "message": message}));
        }
    }
    println!("{}", json!({"findings": findings, "errors": errors}));
}

fn print_sarif(results: &[FileResult], rule_set: &RuleSet) {
    let level = |s: Severity| match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    };
    let mut rules: Vec<Value> = rule_set
        .rules()
        .map(|r| {
            let severity = Severity::parse(r.severity().map_or("error", |s| s.node.as_str()));
            json!({
                "id": r.id.node,
                "shortDescription": {"text": r.title().map_or("", |t| t.node.as_str())},
                "fullDescription": {"text": r.rationale().map_or_else(|| r.title().map_or("", |t| t.node.as_str()), |t| t.node.as_str())},
                "defaultConfiguration": {"level": level(severity)},
            })
        })
        .collect();
    for code in [
        veto_iam::validate::UNKNOWN_SERVICE,
        veto_iam::validate::UNKNOWN_ACTION,
        veto_iam::validate::UNKNOWN_KEY,
        veto_iam::validate::KEY_NOT_APPLICABLE,
        veto_iam::validate::OPERATOR_TYPE,
        veto_iam::validate::MISSING_QUALIFIER,
        veto_iam::validate::RESOURCE_MISMATCH,
    ] {
        rules.push(json!({"id": code, "shortDescription": {"text": code}, "fullDescription": {"text": "A name the AWS catalog does not know, or that does not fit where it is used."}, "defaultConfiguration": {"level": "warning"}}));
    }
    let mut sarif_results = Vec::new();
    for r in results {
        for f in &r.findings {
            sarif_results.push(json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": f.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": r.path},
                    "region": {"startLine": f.pos.line.max(1), "startColumn": f.pos.column.max(1)}
                }}]
            }));
        }
    }
    let notifications: Vec<Value> = results
        .iter()
        .flat_map(|r| r.errors.iter().map(move |(pos, m)| (r, pos, m)))
        .map(|(r, pos, m)| json!({"level": "error", "message": {"text": m}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": r.path}, "region": {"startLine": pos.line.max(1), "startColumn": pos.column.max(1)}}}]}))
        .collect();
    println!(
        "{}",
        json!({
            "version": "2.1.0",
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [{
                "tool": {"driver": {"name": "veto", "version": env!("CARGO_PKG_VERSION"), "rules": rules}},
                "results": sarif_results,
                "invocations": [{"executionSuccessful": notifications.is_empty(), "toolExecutionNotifications": notifications}]
            }]
        })
    );
}
