//! `veto prove`, `veto diff` and `veto public`.

use crate::eval::{read_text, render_diagnostic};
use crate::jsonl;
use crate::render::Source;
use crate::EXIT_INPUT;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::process::ExitCode;
use veto_iam::{ContextValue, Policy, PolicyKind, PolicySet, Request};
use veto_prove::{property, Answer, Limits, Verdict};

/// A request in the eval batch format, ready to replay.
pub fn request_json(r: &Request) -> Value {
    let context: serde_json::Map<String, Value> = r
        .context()
        .iter()
        .map(|(k, v)| {
            let value = match v {
                ContextValue::Single(s) => json!(s),
                ContextValue::Multi(items) => json!(items),
            };
            (k.to_string(), value)
        })
        .collect();
    json!({
        "principal": r.caller().to_text(),
        "action": r.action(),
        "resource": r.resource(),
        "resource_account": r.resource_account(),
        "context": context,
    })
}

fn answer_json(id: Value, a: &Answer) -> Value {
    let mut out = json!({"id": id, "result": a.verdict.as_str()});
    if let Some(r) = &a.request {
        out["request"] = request_json(r);
    }
    if let Some(d) = a.decision {
        out["decision"] = json!(d.as_str());
    }
    out["reason"] = json!(a.reason);
    out
}

#[derive(clap::Args)]
pub struct ProveArgs {
    /// JSON Lines of cases: the eval batch format's policy fields plus `property`; `-` reads stdin.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["identity_policy", "resource_policy", "property"])]
    batch: Option<String>,
    /// An identity policy of the caller (repeatable).
    #[arg(long, value_name = "FILE")]
    identity_policy: Vec<PathBuf>,
    /// The resource's policy.
    #[arg(long, value_name = "FILE")]
    resource_policy: Option<PathBuf>,
    /// The property, as JSON: {"quantifier": "every"|"some", "request": {…}, "decision": […]}.
    #[arg(long, value_name = "FILE", conflicts_with = "rule")]
    property: Option<PathBuf>,
    /// Or a rule of the pack (or of --rules) to prove about --resource-policy.
    #[arg(long, value_name = "ID")]
    rule: Option<String>,
    /// Rule files to take --rule from instead of the embedded pack.
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<String>,
}

/// `veto prove --rule ID`: the rule's checks about the resource policy, as `veto lint` runs them.
fn run_rule(args: &ProveArgs, id: &str) -> ExitCode {
    let Some(path) = &args.resource_policy else {
        eprintln!("error: `veto prove --rule` needs --resource-policy FILE");
        return ExitCode::from(EXIT_INPUT);
    };
    let files = match crate::rules::read_rule_files(&args.rules) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let set = veto_check::ruleset::RuleSet::load(files);
    if set.has_errors() {
        eprint!("{}", set.render_diagnostics());
        return ExitCode::from(EXIT_INPUT);
    }
    let Some(rule) = set.rules().find(|r| r.id.node == id) else {
        let ids: Vec<&str> = set.rules().map(|r| r.id.node.as_str()).collect();
        let near = veto_lang::suggest::closest(id, ids.iter().copied())
            .map(|n| format!(" (did you mean {n}?)"))
            .unwrap_or_default();
        eprintln!("error: no rule `{id}`{near}");
        return ExitCode::from(EXIT_INPUT);
    };
    let name = path.display().to_string();
    let text = match read_text(&name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let targets = match veto_check::input::load(&name, &text) {
        veto_check::input::Loaded::Input(i) => i.targets,
        veto_check::input::Loaded::NotOurs(p) => {
            eprintln!("error: {name}:{}:{}: {}", p.pos.line, p.pos.column, p.message);
            return ExitCode::from(EXIT_INPUT);
        }
        veto_check::input::Loaded::Failed(ps) => {
            for p in ps {
                eprintln!("error: {name}:{}:{}: {}", p.pos.line, p.pos.column, p.message);
            }
            return ExitCode::from(EXIT_INPUT);
        }
    };
    // A rule about nothing in the file would "hold" vacuously: say so instead.
    if !targets.iter().any(|t| veto_check::run::rule_applies(rule, t)) {
        let kind = rule.applies().map_or("nothing".to_string(), |a| match &a.filter {
            Some(f) => format!("{} {}", a.kind.node, f.node),
            None => a.kind.node.clone(),
        });
        let found: Vec<String> = targets.iter().map(|t| format!("{} `{}`", t.kind(), t.name())).collect();
        eprintln!(
            "error: {} applies to {kind} targets, and {name} has none{}",
            rule.id.node,
            if found.is_empty() {
                String::new()
            } else {
                format!(" (it holds: {})", found.join(", "))
            }
        );
        return ExitCode::from(EXIT_INPUT);
    }
    let findings = veto_check::run::check(&[rule], &targets);
    if findings.is_empty() {
        println!(
            "holds: {} ({})",
            rule.id.node,
            rule.title().map_or("", |t| t.node.as_str())
        );
        return ExitCode::SUCCESS;
    }
    for f in &findings {
        let verdict = match f.outcome {
            veto_check::run::Outcome::Fails => "fails",
            veto_check::run::Outcome::Undecided => "undecided",
        };
        println!(
            "{verdict}: {} at {name}:{}:{}: {}",
            f.rule, f.pos.line, f.pos.column, f.message
        );
        if let Some(r) = &f.request {
            println!("replay:  {}", request_json(r));
        }
    }
    ExitCode::from(1)
}

pub fn run_prove(args: ProveArgs) -> ExitCode {
    if let Some(path) = &args.batch {
        return run_batch(path);
    }
    if let Some(id) = &args.rule {
        return run_rule(&args, id);
    }
    let Some(property_path) = &args.property else {
        eprintln!("error: `veto prove` needs --property FILE (a JSON property), --rule ID, or --batch FILE");
        return ExitCode::from(EXIT_INPUT);
    };
    let mut set = PolicySet::default();
    // Each policy's file, for pointing the trace at it.
    let mut files: Vec<(veto_iam::PolicyRef, String, String)> = Vec::new();
    for (i, p) in args.identity_policy.iter().enumerate() {
        match load_policy(p, PolicyKind::Identity) {
            Some(policy) => set.identity.push(policy),
            None => return ExitCode::from(EXIT_INPUT),
        }
        files.push((
            veto_iam::PolicyRef::Identity(i),
            p.display().to_string(),
            read_text(&p.display().to_string()).unwrap_or_default(),
        ));
    }
    if let Some(p) = &args.resource_policy {
        match load_policy(p, PolicyKind::Resource) {
            Some(policy) => set.resource = Some(policy),
            None => return ExitCode::from(EXIT_INPUT),
        }
        files.push((
            veto_iam::PolicyRef::Resource,
            p.display().to_string(),
            read_text(&p.display().to_string()).unwrap_or_default(),
        ));
    }
    let name = property_path.display().to_string();
    let text = match read_text(&name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_INPUT);
        }
    };
    let source = Source::new(&name, &text);
    let property = match veto_iam::json::parse(&text) {
        Err(e) => Err((format!("not valid JSON: {}", e.message), e.span)),
        Ok(v) => property::read_property(&v),
    };
    let property = match property {
        Ok(p) => p,
        Err((message, span)) => {
            eprintln!(
                "{}",
                crate::render::render(&source, crate::render::Kind::Error, &message, span, "here", None)
            );
            return ExitCode::from(EXIT_INPUT);
        }
    };
    if let Err((message, span)) = property::check_not_empty(&property, veto_catalog::catalog()) {
        eprintln!(
            "{}",
            crate::render::render(&source, crate::render::Kind::Error, &message, span, "here", None)
        );
        return ExitCode::from(EXIT_INPUT);
    }
    let answer = veto_prove::prove(&set, &property, &Limits::default());
    if answer.verdict == Verdict::Empty {
        let span = veto_iam::Span {
            start: 0,
            end: text.len().min(1),
        };
        eprintln!(
            "{}",
            crate::render::render(
                &source,
                crate::render::Kind::Error,
                &answer.reason,
                span,
                "this property",
                None
            )
        );
        return ExitCode::from(EXIT_INPUT);
    }
    println!("{}: {}", answer.verdict.as_str(), answer.reason);
    if let Some(r) = &answer.request {
        println!("request: {}", veto_check::wording::words(r));
        println!("replay:  {}", request_json(r));
        let sources: Vec<Source> = files.iter().map(|(_, name, text)| Source::new(name, text)).collect();
        if !sources.is_empty() {
            let source_of = |at: veto_iam::PolicyRef| -> &Source {
                let i = files.iter().position(|(r, _, _)| *r == at).unwrap_or(0);
                &sources[i]
            };
            print!("{}", crate::trace::to_text(&set, &set.explain(r), source_of, true));
        }
    }
    match answer.verdict {
        Verdict::Holds => ExitCode::SUCCESS,
        Verdict::Fails | Verdict::Unknown => ExitCode::from(1),
        Verdict::Empty => ExitCode::from(EXIT_INPUT),
    }
}

fn load_policy(path: &std::path::Path, kind: PolicyKind) -> Option<Policy> {
    let name = path.display().to_string();
    let text = match read_text(&name) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            return None;
        }
    };
    let source = Source::new(&name, &text);
    let diagnostics = match Policy::parse(&text) {
        Ok(p) => {
            let d = p.check_kind(kind);
            if !d.iter().any(veto_iam::Diagnostic::is_error) {
                return Some(p);
            }
            d
        }
        Err(e) => e.diagnostics,
    };
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        eprintln!("{}", render_diagnostic(&source, d));
    }
    None
}

fn run_batch(path: &str) -> ExitCode {
    // One line at a time: the prover's limits include wall-clock time, which
    // lines proved side by side would share.
    jsonl::run(path, false, |text, source| match property::parse_line(text) {
        Ok(case) => {
            let answer = veto_prove::prove(&case.policies, &case.property, &Limits::default());
            if answer.verdict == Verdict::Empty {
                // An empty set is bad input, reported at the property.
                let at = text.find("\"property\"").unwrap_or(0);
                let (line, column) = source.location(at);
                return jsonl::error_line(Some(&case.id_json), &answer.reason, line, column);
            }
            jsonl::Answer::new(Some(&case.id_json), answer_json(Value::Null, &answer))
        }
        Err(e) => {
            let (line, column) = source.location(e.span.start);
            jsonl::error_line(e.id_json.as_deref(), &e.message, line, column)
        }
    })
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The policy before the change (a resource policy if it has Principal, else an identity policy).
    old: PathBuf,
    /// The policy after the change.
    new: PathBuf,
    /// Identity policies both sides share (repeatable).
    #[arg(long, value_name = "FILE")]
    identity_policy: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::OutputFormat,
}

fn load_either(path: &std::path::Path) -> Option<(Policy, bool)> {
    let name = path.display().to_string();
    let text = read_text(&name).map_err(|e| eprintln!("{e}")).ok()?;
    let is_resource = Policy::parse(&text)
        .map(|p| p.statements.iter().any(|s| s.principal.is_some()))
        .unwrap_or(false);
    let kind = if is_resource {
        PolicyKind::Resource
    } else {
        PolicyKind::Identity
    };
    load_policy(path, kind).map(|p| (p, is_resource))
}

pub fn run_diff(args: DiffArgs) -> ExitCode {
    let (Some((old, old_resource)), Some((new, new_resource))) = (load_either(&args.old), load_either(&args.new))
    else {
        return ExitCode::from(EXIT_INPUT);
    };
    let mut shared = Vec::new();
    for p in &args.identity_policy {
        match load_policy(p, PolicyKind::Identity) {
            Some(policy) => shared.push(policy),
            None => return ExitCode::from(EXIT_INPUT),
        }
    }
    let side = |policy: Policy, is_resource: bool| {
        let mut set = PolicySet {
            identity: shared.clone(),
            ..PolicySet::default()
        };
        if is_resource {
            set.resource = Some(policy);
        } else {
            set.identity.push(policy);
        }
        set
    };
    let answer = veto_prove::new_access(&side(old, old_resource), &side(new, new_resource), &Limits::default());
    report_witnesses(&answer, args.format, "new access")
}

fn report_witnesses(answer: &Answer, format: crate::OutputFormat, what: &str) -> ExitCode {
    match format {
        crate::OutputFormat::Json => {
            let witnesses: Vec<Value> = answer.witnesses.iter().map(request_json).collect();
            println!(
                "{}",
                json!({"result": answer.verdict.as_str(), "reason": answer.reason, "witnesses": witnesses, "restricted_to": answer.restricted_to})
            );
        }
        crate::OutputFormat::Text => match answer.verdict {
            Verdict::Unknown | Verdict::Empty => println!("unknown: {}", answer.reason),
            Verdict::Fails => {
                println!("no {what}: {}", answer.reason);
                for who in &answer.restricted_to {
                    println!("  can get in: {who}");
                }
            }
            Verdict::Holds => {
                println!("{what}: {}", answer.reason);
                for w in &answer.witnesses {
                    println!("  allowed: {}", veto_check::wording::words(w));
                }
            }
        },
    }
    match answer.verdict {
        Verdict::Fails => ExitCode::SUCCESS,
        Verdict::Holds | Verdict::Unknown | Verdict::Empty => ExitCode::from(1),
    }
}

#[derive(clap::Args)]
pub struct PublicArgs {
    /// A resource policy (bucket policy, key policy…).
    policy: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: crate::OutputFormat,
}

pub fn run_public(args: PublicArgs) -> ExitCode {
    let Some(policy) = load_policy(&args.policy, PolicyKind::Resource) else {
        return ExitCode::from(EXIT_INPUT);
    };
    let answer = veto_prove::public_access(&policy, &Limits::default());
    report_witnesses(&answer, args.format, "public access")
}
