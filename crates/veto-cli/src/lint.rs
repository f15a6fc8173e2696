//! `veto lint`: policies, CloudFormation templates and Terraform plans against the
//! rule pack, with text, JSON or SARIF output.

use crate::emit::{self, Format, Report};
use crate::files;
use crate::rules::read_rule_files;
use crate::EXIT_INPUT;
use rayon::prelude::*;
use serde_json::Value;
use std::process::ExitCode;
use veto_check::lint::{self, FileReport, ModuleReport, Options};
use veto_check::ruleset::RuleSet;
use veto_check::run::{Outcome, Severity};
use veto_check::terraform;
use veto_lang::ast;

/// Extensions of files a directory walk reads.
/// (`.tf` files are read a directory at a time: one Terraform module.)
const EXTENSIONS: &[&str] = &[".json", ".yaml", ".yml", ".template", ".tf"];

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
    format: Format,
    /// Add the suggested statements to plain policy files that fail a proof, when
    /// the result passes and allows nothing the original did not.
    #[arg(long)]
    fix: bool,
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
    /// A Terraform root-module variable, as `terraform -var` (repeatable).
    #[arg(long = "var", value_name = "KEY=VALUE")]
    vars: Vec<String>,
    /// A Terraform `.tfvars` file, as `terraform -var-file` (repeatable).
    #[arg(long = "var-file", value_name = "FILE")]
    var_files: Vec<String>,
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

fn normal(dir: &std::path::Path) -> std::path::PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
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
    let mut tf_options = terraform::Options {
        vars: Vec::new(),
        var_files: args.var_files.iter().map(std::path::PathBuf::from).collect(),
    };
    for v in &args.vars {
        match terraform::Options::parse_var(v) {
            Ok(kv) => tf_options.vars.push(kv),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    }
    let options = Options {
        explicit: false,
        skip_unrecognized: args.skip_unrecognized,
        parameters: &parameters,
        terraform: &tf_options,
    };
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
    let modules: Vec<ModuleReport> = module_dirs
        .par_iter()
        .map(|d| lint::lint_module(d, options, &rules))
        .collect();
    // A local module called by another module here is read through the call, with its inputs.
    let called: Vec<std::path::PathBuf> = modules
        .iter()
        .flat_map(|m| m.called.iter().map(|d| normal(d)))
        .collect();
    let explicit: Vec<bool> = paths
        .iter()
        .map(|p| args.paths.iter().any(|a| std::path::Path::new(a) == p.as_path()))
        .collect();
    let mut results: Vec<FileReport> = paths
        .par_iter()
        .zip(explicit.par_iter())
        .map(|(p, &explicit)| lint::lint_file(&p.display().to_string(), Options { explicit, ..options }, &rules))
        .collect();
    for (dir, module) in module_dirs.iter().zip(modules) {
        if !called.contains(&normal(dir)) {
            results.extend(module.files);
        }
    }
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
    let table = emit::rules_table(&rule_set);
    let output = emit::emitter(args.format).emit(&Report {
        files: &results,
        rules: &table,
    });
    print!("{}", output.stdout);
    eprint!("{}", output.stderr);
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
