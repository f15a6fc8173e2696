//! `veto eval`: one request from files, or a batch of JSON Lines.

use crate::jsonl;
use crate::render::{self, Kind, Source};
use crate::trace;
use crate::EXIT_INPUT;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use veto_iam::batch::{self, BatchCase};
use veto_iam::{json as vjson, validate, Diagnostic, Policy, PolicyKind, PolicyRef, PolicySet};

use crate::MAX_INPUT_BYTES;

#[derive(clap::Args)]
pub struct EvalArgs {
    /// JSON Lines of cases (see the README for the format); `-` reads standard input.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["identity_policy", "resource_policy", "scp", "rcp", "boundary", "session_policy", "request"])]
    batch: Option<String>,
    /// Include the trace: every statement, matched or not, and what decided.
    #[arg(long)]
    explain: bool,
    /// An identity policy of the caller (repeatable).
    #[arg(long, value_name = "FILE")]
    identity_policy: Vec<PathBuf>,
    /// The resource's policy (bucket policy, key policy, trust policy…).
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// An SCP; each occurrence is one level, root first.
    #[arg(long, value_name = "FILE")]
    scp: Vec<PathBuf>,
    /// An RCP; each occurrence is one level, root first.
    #[arg(long, value_name = "FILE")]
    rcp: Vec<PathBuf>,
    /// The caller's permissions boundary.
    #[arg(long, value_name = "FILE")]
    boundary: Option<PathBuf>,
    /// The session policy passed when the session was created.
    #[arg(long, value_name = "FILE")]
    session_policy: Option<PathBuf>,
    /// The request: a JSON object in the batch format's `request` shape.
    #[arg(long, value_name = "FILE")]
    request: Option<PathBuf>,
}

pub fn run(args: EvalArgs) -> ExitCode {
    match &args.batch {
        Some(path) => run_batch(path, args.explain),
        None => run_files(&args),
    }
}

/// Reads a file as UTF-8 text, refusing huge files; errors are rendered for the user.
pub fn read_text(path: &str) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("error: cannot read {path}: {e}"))?;
    if meta.len() > MAX_INPUT_BYTES {
        return Err(format!(
            "error: {path} is {} bytes; veto reads files up to {MAX_INPUT_BYTES} bytes",
            meta.len()
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("error: cannot read {path}: {e}"))?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let at = e.utf8_error().valid_up_to();
            let source = Source::new(path, &lossy);
            let span = veto_iam::Span::new(at, at + 1);
            Err(render::render(
                &source,
                Kind::Error,
                "the file is not valid UTF-8",
                span,
                "invalid byte here",
                None,
            ))
        }
    }
}

struct LoadedFile {
    name: String,
    text: String,
}

fn run_files(args: &EvalArgs) -> ExitCode {
    let Some(request_path) = &args.request else {
        eprintln!("error: `veto eval` needs --request FILE (or --batch FILE)");
        return ExitCode::from(EXIT_INPUT);
    };
    // Every file is read first, so positions can be rendered against its text.
    let mut files: Vec<(PolicyRef, PolicyKind, LoadedFile)> = Vec::new();
    let mut plan: Vec<(PolicyRef, PolicyKind, &PathBuf)> = Vec::new();
    for (i, p) in args.identity_policy.iter().enumerate() {
        plan.push((PolicyRef::Identity(i), PolicyKind::Identity, p));
    }
    if let Some(p) = &args.resource_policy {
        plan.push((PolicyRef::Resource, PolicyKind::Resource, p));
    }
    for (level, p) in args.scp.iter().enumerate() {
        plan.push((PolicyRef::Scp { level, index: 0 }, PolicyKind::Scp, p));
    }
    for (level, p) in args.rcp.iter().enumerate() {
        plan.push((PolicyRef::Rcp { level, index: 0 }, PolicyKind::Rcp, p));
    }
    if let Some(p) = &args.boundary {
        plan.push((PolicyRef::Boundary(0), PolicyKind::Boundary, p));
    }
    if let Some(p) = &args.session_policy {
        plan.push((PolicyRef::Session, PolicyKind::Session, p));
    }
    let mut failed = false;
    for (at, kind, path) in plan {
        let name = path.display().to_string();
        match read_text(&name) {
            Ok(text) => files.push((at, kind, LoadedFile { name, text })),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    let request_name = request_path.display().to_string();
    let request_text = match read_text(&request_name) {
        Ok(t) => Some(t),
        Err(e) => {
            eprintln!("{e}");
            failed = true;
            None
        }
    };
    if failed {
        return ExitCode::from(EXIT_INPUT);
    }
    let sources: Vec<Source> = files.iter().map(|(_, _, f)| Source::new(&f.name, &f.text)).collect();
    let mut set = PolicySet::default();
    let mut warnings: Vec<(usize, Diagnostic)> = Vec::new();
    for (i, (at, kind, file)) in files.iter().enumerate() {
        let diagnostics = match Policy::parse(&file.text) {
            Ok(policy) => {
                let mut d = policy.check_kind(*kind);
                if !d.iter().any(Diagnostic::is_error) {
                    d.extend(policy.warnings.iter().cloned());
                    match at {
                        PolicyRef::Identity(_) => set.identity.push(policy),
                        PolicyRef::Resource => set.resource = Some(policy),
                        PolicyRef::Scp { .. } => set.scps.push(vec![policy]),
                        PolicyRef::Rcp { .. } => set.rcps.push(vec![policy]),
                        PolicyRef::Boundary(_) => set.boundary.push(policy),
                        PolicyRef::Session => set.session = Some(policy),
                    }
                }
                d
            }
            Err(e) => e.diagnostics,
        };
        for d in diagnostics {
            if d.is_error() {
                failed = true;
                eprint!("{}", render_diagnostic(&sources[i], &d));
                eprintln!();
            } else {
                warnings.push((i, d));
            }
        }
    }
    let request_text = request_text.unwrap_or_default();
    let request_source = Source::new(&request_name, &request_text);
    let request = match vjson::parse(&request_text) {
        Err(e) => {
            eprintln!(
                "{}",
                render::render(
                    &request_source,
                    Kind::Error,
                    &format!("not valid JSON: {}", e.message),
                    e.span,
                    "here",
                    None
                )
            );
            None
        }
        Ok(value) => match batch::read_request(&value) {
            Ok(r) => Some(r),
            Err((message, span)) => {
                eprintln!(
                    "{}",
                    render::render(&request_source, Kind::Error, &message, span, "here", None)
                );
                None
            }
        },
    };
    let (Some(request), false) = (request, failed) else {
        return ExitCode::from(EXIT_INPUT);
    };
    let source_of = |at: PolicyRef| -> &Source {
        let i = files
            .iter()
            .position(|(r, _, _)| match (r, at) {
                (PolicyRef::Scp { level: a, .. }, PolicyRef::Scp { level: b, .. })
                | (PolicyRef::Rcp { level: a, .. }, PolicyRef::Rcp { level: b, .. }) => *a == b,
                _ => *r == at,
            })
            .unwrap_or(0);
        &sources[i]
    };
    if files.is_empty() {
        let decision = set.evaluate(&request);
        println!("decision: {decision}\nbecause: no policies were given");
        return ExitCode::SUCCESS;
    }
    let explanation = set.explain(&request);
    print!("{}", trace::to_text(&set, &explanation, source_of, args.explain));
    if args.explain {
        let _ = std::io::stdout().flush();
        for (i, (at, _, _)) in files.iter().enumerate() {
            if let Some(policy) = set.policy(*at) {
                warnings.extend(validate::validate(policy).into_iter().map(|d| (i, d)));
            }
        }
        for (i, d) in &warnings {
            eprint!("{}", render_diagnostic(&sources[*i], d));
            eprintln!();
        }
        let key_spans = vjson::parse(&request_text)
            .map(|v| batch::context_key_spans(&v))
            .unwrap_or_default();
        for d in validate::check_context(&request, &key_spans, veto_catalog::catalog()) {
            eprint!("{}", render_diagnostic(&request_source, &d));
            eprintln!();
        }
    }
    ExitCode::SUCCESS
}

pub fn render_diagnostic(source: &Source, d: &Diagnostic) -> String {
    let kind = if d.is_error() { Kind::Error } else { Kind::Warning };
    let mut out = render::render_with_id(source, kind, d.code, &d.to_string(), d.span, "", d.help.as_deref());
    for (span, note) in &d.related {
        out.push('\n');
        out.push_str(&render::render(source, Kind::Note, note, *span, "", None));
    }
    out
}

fn run_batch(path: &str, explain: bool) -> ExitCode {
    // Without --explain only decisions are written, so lines that repeat an earlier
    // line's policies reuse their compiled set; with it, each line's own policies
    // are read, so warnings and trace positions point into that line.
    let cache = batch::PolicyCache::new();
    jsonl::run(path, true, |text, source| {
        let case = if explain {
            batch::parse_line(text)
        } else {
            batch::parse_line_cached(text, &cache)
        };
        match case {
            Ok(case) => evaluate_case(&case, explain, source),
            Err(e) => {
                let (line, column) = source.location(e.span.start);
                jsonl::error_line(e.id_json.as_deref(), &e.message, line, column)
            }
        }
    })
}

fn evaluate_case(case: &BatchCase, explain: bool, source: &Source) -> jsonl::Answer {
    let id = Some(case.id_json.as_str());
    if !explain {
        let decision = case.policies.evaluate(&case.request);
        return jsonl::Answer::new(id, json!({"id": null, "decision": decision.as_str()}));
    }
    let explanation = case.policies.explain(&case.request);
    let mut trace = trace::to_json(&case.policies, &explanation, |_| source);
    let mut warnings = case.warnings.clone();
    for (at, policy) in case.policies.iter() {
        warnings.extend(validate::validate(policy).into_iter().map(|d| (at.to_string(), d)));
    }
    let catalog = veto_catalog::catalog();
    warnings.extend(
        validate::check_context(&case.request, &case.context_spans, catalog)
            .into_iter()
            .map(|d| ("request".to_string(), d)),
    );
    trace["warnings"] = warnings
        .iter()
        .map(|(policy, d)| {
            let (line, column) = source.location(d.span.start);
            json!({"id": d.code, "policy": policy, "path": d.path, "message": d.message,
                   "help": d.help, "line": line, "column": column})
        })
        .collect();
    jsonl::Answer::new(
        id,
        json!({"id": null, "decision": explanation.outcome.decision.as_str(), "trace": trace}),
    )
}
