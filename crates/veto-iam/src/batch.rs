//! The `veto eval --batch` input format: one JSON object per line holding the
//! policies and the request (a fixed contract; see the README).

use crate::json::{self, JsonKind, JsonValue};
use crate::policy::{Policy, PolicyKind};
use crate::request::{Context, ContextValue, Request};
use crate::span::Span;
use crate::{Diagnostic, PolicySet};

/// One batch line, loaded.
#[derive(Debug, Clone)]
pub struct BatchCase {
    /// The `id` exactly as written (any JSON value), to echo back.
    pub id_json: String,
    pub policies: PolicySet,
    pub request: Request,
    /// Warnings about the policies, each with the field that holds the policy.
    pub warnings: Vec<(String, Diagnostic)>,
    /// Each context key of the request with its span in the line.
    pub context_spans: Vec<(String, Span)>,
}

/// Why a batch line cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct BatchError {
    /// The `id` as written, when the line got that far.
    pub id_json: Option<String>,
    pub message: String,
    pub span: Span,
}

/// The policy fields of a batch line; the prover's batch format shares them.
pub fn read_policy_set(
    value: &JsonValue,
    warnings: &mut Vec<(String, Diagnostic)>,
) -> Result<PolicySet, (String, Span)> {
    let mut set = PolicySet::default();
    if let Some(v) = field(value, "identity_policies") {
        set.identity = policy_list(v, "identity_policies", PolicyKind::Identity, warnings)?;
    }
    if let Some(v) = field(value, "resource_policy") {
        set.resource = Some(policy(v, "resource_policy", PolicyKind::Resource, warnings)?);
    }
    for (name, kind) in [("scps", PolicyKind::Scp), ("rcps", PolicyKind::Rcp)] {
        let Some(v) = field(value, name) else {
            continue;
        };
        let levels = match &v.kind {
            JsonKind::Array(items) if items.iter().any(|i| matches!(i.kind, JsonKind::Array(_))) => {
                let mut levels = Vec::new();
                for (l, level) in items.iter().enumerate() {
                    if !matches!(level.kind, JsonKind::Array(_)) {
                        return Err((
                            format!("{name}[{l}]: expected a list of policies (nested form: one list per level)"),
                            level.span,
                        ));
                    }
                    levels.push(policy_list(level, &format!("{name}[{l}]"), kind, warnings)?);
                }
                levels
            }
            JsonKind::Array(items) if items.is_empty() => Vec::new(),
            _ => vec![policy_list(v, name, kind, warnings)?],
        };
        if kind == PolicyKind::Scp {
            set.scps = levels;
        } else {
            set.rcps = levels;
        }
    }
    if let Some(v) = field(value, "boundary") {
        set.boundary = match v.kind {
            JsonKind::Array(_) => policy_list(v, "boundary", PolicyKind::Boundary, warnings)?,
            _ => vec![policy(v, "boundary", PolicyKind::Boundary, warnings)?],
        };
    }
    if let Some(v) = field(value, "session_policy") {
        set.session = Some(policy(v, "session_policy", PolicyKind::Session, warnings)?);
    }
    Ok(set)
}

/// Reads one line of the batch format. `text` is the line alone; spans are into it.
pub fn parse_line(text: &str) -> Result<BatchCase, BatchError> {
    let value = json::parse(text).map_err(|e| BatchError {
        id_json: None,
        message: format!("not valid JSON: {}", e.message),
        span: e.span,
    })?;
    let fail = |id_json: Option<String>, (message, span): (String, Span)| BatchError { id_json, message, span };
    if value.as_object().is_none() {
        return Err(fail(
            None,
            (
                format!("expected a JSON object, found {}", value.type_name()),
                value.span,
            ),
        ));
    }
    let id_json = value.get("id").map(|v| text[v.span.start..v.span.end].to_string());
    let mut warnings = Vec::new();
    let policies = read_policy_set(&value, &mut warnings).map_err(|e| fail(id_json.clone(), e))?;
    let (request, context_spans) = match value.get("request") {
        Some(r) => (
            read_request(r).map_err(|e| fail(id_json.clone(), e))?,
            context_key_spans(r),
        ),
        None => return Err(fail(id_json, ("missing `request`".into(), value.span))),
    };
    Ok(BatchCase {
        id_json: id_json.unwrap_or_else(|| "null".into()),
        policies,
        request,
        warnings,
        context_spans,
    })
}

/// A field that is present and not `null`.
fn field<'v>(value: &'v JsonValue, name: &str) -> Option<&'v JsonValue> {
    value.get(name).filter(|v| v.kind != JsonKind::Null)
}

fn policy(
    value: &JsonValue,
    name: &str,
    kind: PolicyKind,
    warnings: &mut Vec<(String, Diagnostic)>,
) -> Result<Policy, (String, Span)> {
    let first_error = |d: &[Diagnostic]| {
        let e = d.iter().find(|d| d.is_error()).or(d.first());
        let span = e.map_or(value.span, |e| e.span);
        let message = d
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{name}: {d}"))
            .collect::<Vec<_>>()
            .join("; ");
        (message, span)
    };
    let policy = Policy::from_json(value).map_err(|e| first_error(&e.diagnostics))?;
    let kind_issues = policy.check_kind(kind);
    if kind_issues.iter().any(Diagnostic::is_error) {
        return Err(first_error(&kind_issues));
    }
    warnings.extend(
        policy
            .warnings
            .iter()
            .chain(&kind_issues)
            .map(|d| (name.to_string(), d.clone())),
    );
    Ok(policy)
}

fn policy_list(
    value: &JsonValue,
    name: &str,
    kind: PolicyKind,
    warnings: &mut Vec<(String, Diagnostic)>,
) -> Result<Vec<Policy>, (String, Span)> {
    match &value.kind {
        JsonKind::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, p)| policy(p, &format!("{name}[{i}]"), kind, warnings))
            .collect(),
        _ => Err((
            format!("{name}: expected an array of policies, found {}", value.type_name()),
            value.span,
        )),
    }
}

/// The context keys of a `request` object with their spans.
pub fn context_key_spans(request: &JsonValue) -> Vec<(String, Span)> {
    field(request, "context")
        .and_then(JsonValue::as_object)
        .map(|members| members.iter().map(|m| (m.key.clone(), m.key_span)).collect())
        .unwrap_or_default()
}

/// Reads the `request` object of the batch format.
pub fn read_request(value: &JsonValue) -> Result<Request, (String, Span)> {
    if value.as_object().is_none() {
        return Err((
            format!("request: expected an object, found {}", value.type_name()),
            value.span,
        ));
    }
    let string = |name: &str, required: bool| -> Result<Option<&str>, (String, Span)> {
        match field(value, name) {
            None if required => Err((format!("request: missing `{name}`"), value.span)),
            None => Ok(None),
            Some(v) => v.as_str().map(Some).ok_or_else(|| {
                (
                    format!("request.{name}: expected a string, found {}", v.type_name()),
                    v.span,
                )
            }),
        }
    };
    let principal = string("principal", true)?.unwrap_or_default();
    let action = string("action", true)?.unwrap_or_default();
    let resource = string("resource", true)?.unwrap_or_default();
    let resource_account = string("resource_account", false)?;
    let mut context = Context::new();
    if let Some(c) = field(value, "context") {
        let Some(members) = c.as_object() else {
            return Err((
                format!("request.context: expected an object, found {}", c.type_name()),
                c.span,
            ));
        };
        for m in members {
            let scalar = |v: &JsonValue| match &v.kind {
                JsonKind::String(s) => Some(s.clone()),
                JsonKind::Number(n) => Some(n.clone()),
                JsonKind::Bool(b) => Some(b.to_string()),
                _ => None,
            };
            let bad = |v: &JsonValue| {
                (
                    format!(
                        "request.context.{}: expected a string, number, boolean or an array of them, found {}",
                        m.key,
                        v.type_name()
                    ),
                    v.span,
                )
            };
            let context_value = match &m.value.kind {
                JsonKind::Array(items) => ContextValue::Multi(
                    items
                        .iter()
                        .map(|i| scalar(i).ok_or_else(|| bad(i)))
                        .collect::<Result<_, _>>()?,
                ),
                _ => ContextValue::Single(scalar(&m.value).ok_or_else(|| bad(&m.value))?),
            };
            context
                .insert(m.key.clone(), context_value)
                .map_err(|e| (format!("request.context: {e}"), m.key_span))?;
        }
    }
    let span_of = |name: &str| field(value, name).map_or(value.span, |v| v.span);
    Request::new(principal, action, resource, resource_account, context).map_err(|e| {
        let span = match e {
            crate::request::BadRequest::Caller(_) => span_of("principal"),
            crate::request::BadRequest::Action(_) => span_of("action"),
            crate::request::BadRequest::Resource(_) => span_of("resource"),
            crate::request::BadRequest::ResourceAccount(_) => span_of("resource_account"),
        };
        (format!("request: {e}"), span)
    })
}
