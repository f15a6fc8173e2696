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
use veto_check::run::{self, Finding, Outcome, Severity};
use veto_lang::ast;

/// Extensions of files a directory walk reads.
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template"];

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    /// Findings of severity error (always included).
    Error,
    /// Warnings too.
    Warning,
    /// Rules that could not be decided, too.
    Undecided,
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
    /// What fails the run (exit 1): `error` (always), `warning`, `undecided`;
    /// repeat or separate with commas (`--fail-on warning,undecided`).
    #[arg(long, value_enum, value_delimiter = ',', default_value = "error")]
    fail_on: Vec<FailOn>,
    /// Suppressions (default: ./veto.toml when it exists).
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
    /// Skip (and count) named files that are neither a policy, a template nor a
    /// plan, instead of reporting them as input errors: the pre-commit hook's
    /// mode, which is handed every JSON and YAML file of a repository.
    #[arg(long)]
    skip_unrecognized: bool,
    /// A template parameter's value, `KEY=VALUE` (repeatable; wins over --parameters).
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    parameter: Vec<String>,
    /// Template parameter values: CloudFormation's `[{"ParameterKey", "ParameterValue"}]`
    /// list, or a template configuration file `{"Parameters": {KEY: VALUE}}`.
    #[arg(long = "parameters", value_name = "FILE")]
    parameters: Option<String>,
}

/// `--parameters FILE` then `--parameter K=V` (later entries win).
fn read_parameters(args: &LintArgs) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if let Some(path) = &args.parameters {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON: {e}"))?;
        let scalar = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match &value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    match (
                        item.get("ParameterKey").and_then(Value::as_str),
                        item.get("ParameterValue").and_then(scalar),
                    ) {
                        (Some(k), Some(v)) => out.push((k.to_string(), v)),
                        _ => return Err(format!("{path}: entry {i} needs ParameterKey and ParameterValue")),
                    }
                }
            }
            Value::Object(o) if o.get("Parameters").is_some_and(Value::is_object) => {
                for (k, v) in o["Parameters"].as_object().into_iter().flatten() {
                    let v = scalar(v).ok_or_else(|| format!("{path}: Parameters.{k} is not a string"))?;
                    out.push((k.clone(), v));
                }
            }
            _ => {
                return Err(format!(
                    "{path}: expected [{{\"ParameterKey\": …, \"ParameterValue\": …}}] or {{\"Parameters\": {{…}}}}"
                ))
            }
        }
    }
    for p in &args.parameter {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| format!("--parameter {p}: expected KEY=VALUE"))?;
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
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
    /// A template's parameter names.
    parameters: Vec<String>,
}

/// Could this file have been meant as a policy, template or plan? In
/// `--skip-unrecognized` mode a file that does not parse is skipped only when
/// it names none of their top-level members (a broken policy still fails).
fn looks_like_ours(text: &str) -> bool {
    ["Statement", "Resources", "AWSTemplateFormatVersion", "format_version"]
        .iter()
        .any(|k| text.contains(k))
}

fn lint_file(
    path: &str,
    explicit: bool,
    skip_unrecognized: bool,
    parameters: &[(String, String)],
    rules: &[&ast::Rule],
) -> FileResult {
    let mut result = FileResult {
        path: path.to_string(),
        text: String::new(),
        findings: Vec::new(),
        errors: Vec::new(),
        skipped: false,
        parameters: Vec::new(),
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
    match input::load_with(path, &text, parameters) {
        Loaded::Input(input) => {
            result.findings = run::check(rules, &input.targets);
            result.parameters = input.parameters.clone();
            let wrapper = input.wrapper;
            for (pos, d) in input.warnings {
                let Some(code) = d.code else { continue };
                result.findings.push(Finding {
                    rule: code.to_string(),
                    severity: Severity::Warning,
                    outcome: Outcome::Fails,
                    pos,
                    message: match &d.help {
                        Some(h) => format!("{d} ({h})"),
                        None => d.to_string(),
                    },
                    request: None,
                });
            }
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
    let parameters = match read_parameters(&args) {
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
    let mut results: Vec<FileResult> = paths
        .par_iter()
        .zip(explicit.par_iter())
        .map(|(p, &explicit)| {
            lint_file(
                &p.display().to_string(),
                explicit,
                args.skip_unrecognized,
                &parameters,
                &rules,
            )
        })
        .collect();
    // A parameter no template declares is a usage error (a misspelt name would
    // otherwise leave the parameter unbound without a word).
    let declared: Vec<&str> = results
        .iter()
        .flat_map(|r| r.parameters.iter().map(String::as_str))
        .collect();
    for (key, _) in &parameters {
        if !declared.contains(&key.as_str()) {
            let near = veto_iam::suggest::closest(key, declared.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            eprintln!("error: no template declares the parameter `{key}`{near}");
            return ExitCode::from(EXIT_INPUT);
        }
    }
    for r in &mut results {
        r.findings
            .retain(|f| !suppressions.iter().any(|s| s.rule == f.rule && s.path.matches(&r.path)));
        r.findings.sort_by_key(|f| (f.pos.line, f.pos.column));
    }
    let checked = results.iter().filter(|r| !r.skipped && r.errors.is_empty()).count();
    let errors = results.iter().map(|r| r.errors.len()).sum::<usize>();
    // Nothing to check is an input error, unless unrecognized files were skipped
    // on purpose (a commit that touches no policy).
    let no_input = checked == 0 && errors == 0 && !args.skip_unrecognized;
    let threshold = if args.fail_on.contains(&FailOn::Warning) {
        Severity::Warning
    } else {
        Severity::Error
    };
    let fail_undecided = args.fail_on.contains(&FailOn::Undecided);
    let failing = results.iter().flat_map(|r| &r.findings).any(|f| match f.outcome {
        Outcome::Fails => f.severity >= threshold,
        Outcome::Undecided => fail_undecided,
    });
    match args.format {
        LintFormat::Text => print_text(&results),
        LintFormat::Json => print_json(&results),
        LintFormat::Sarif => print_sarif(&results, &rule_set),
    }
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
            let undecided = f.outcome == Outcome::Undecided;
            let mut out = render(
                &r.path,
                &r.text,
                f.pos,
                f.severity == Severity::Error && !undecided,
                Some(&f.rule),
                &f.message,
                None,
            );
            if undecided {
                out = out.replacen("warning[", "undecided[", 1);
            } else if f.severity == Severity::Info {
                out = out.replacen("warning[", "info[", 1);
            }
            println!("{out}");
            if let Some(request) = &f.request {
                println!("  replay: {}\n", crate::prove::request_json(request));
            }
        }
    }
    let checked = results.iter().filter(|r| !r.skipped && r.errors.is_empty()).count();
    let undecided = results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.outcome == Outcome::Undecided)
        .count();
    let findings = findings - undecided;
    let undecided = if undecided > 0 {
        format!(", {undecided} undecided")
    } else {
        String::new()
    };
    let skipped = results.iter().filter(|r| r.skipped).count();
    let skipped = if skipped > 0 {
        format!(", {skipped} skipped (neither a policy, a template nor a plan)")
    } else {
        String::new()
    };
    eprintln!("{checked} file(s) checked{skipped}: {findings} finding(s){undecided}, {errors} input error(s)");
}

fn print_json(results: &[FileResult]) {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for r in results {
        for f in &r.findings {
            let outcome = match f.outcome {
                Outcome::Fails => "fails",
                Outcome::Undecided => "undecided",
            };
            let mut entry = json!({"rule": f.rule, "severity": f.severity.as_str(), "outcome": outcome, "path": r.path,
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
    let skipped: Vec<&str> = results.iter().filter(|r| r.skipped).map(|r| r.path.as_str()).collect();
    println!(
        "{}",
        json!({"findings": findings, "errors": errors, "skipped": skipped})
    );
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
            // An undecided rule is SARIF's "review": a person must look; level none.
            let (kind, level) = match f.outcome {
                Outcome::Fails => ("fail", level(f.severity)),
                Outcome::Undecided => ("review", "none"),
            };
            sarif_results.push(json!({
                "ruleId": f.rule,
                "kind": kind,
                "level": level,
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
