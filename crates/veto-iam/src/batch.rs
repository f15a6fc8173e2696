//! The `veto eval --batch` input format: one JSON object per line holding the
//! policies and the request (a fixed contract; see the README).

use crate::json::{self, JsonKind, JsonValue};
use crate::policy::{Policy, PolicyKind};
use crate::request::{Context, ContextValue, Request};
use crate::span::Span;
use crate::{Diagnostic, PolicySet};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// One batch line, loaded.
#[derive(Debug, Clone)]
pub struct BatchCase {
    /// The `id` exactly as written (any JSON value), to echo back.
    pub id_json: String,
    /// Shared with other lines that carry the same policy texts (see [`PolicyCache`]).
    pub policies: Arc<PolicySet>,
    /// The request of the line.
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
    /// What is wrong, in words.
    pub message: String,
    /// Where in the line the problem is.
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

/// The fields of a line that hold policies: their subtrees are checked by the
/// policy reader (duplicate keys included), the rest of the line by `check_envelope`.
pub const POLICY_FIELDS: &[&str] = &[
    "identity_policies",
    "resource_policy",
    "scps",
    "rcps",
    "boundary",
    "session_policy",
];

/// Reads one line of the batch format. `text` is the line alone; spans are into it.
pub fn parse_line(text: &str) -> Result<BatchCase, BatchError> {
    parse_line_with(text, None)
}

/// [`parse_line`] for a run that only needs decisions: a line whose policy fields
/// are textually the same as an earlier line's reuses its compiled [`PolicySet`]
/// (the seed batch repeats two documents 20,000 times). The case then carries no
/// warnings, and its policies' spans point into the line that compiled them, so
/// use [`parse_line`] when positions inside policies are reported.
pub fn parse_line_cached(text: &str, cache: &PolicyCache) -> Result<BatchCase, BatchError> {
    parse_line_with(text, Some(cache))
}

fn parse_line_with(text: &str, cache: Option<&PolicyCache>) -> Result<BatchCase, BatchError> {
    let not_json = |e: json::JsonError| BatchError {
        id_json: None,
        message: format!("not valid JSON: {}", e.message),
        span: e.span,
    };
    // With a cache, the policies are only checked to be JSON, and built below if
    // they are not in the cache; an error is reported as the full reader words it.
    let mut value = match cache {
        Some(_) => json::parse_skipping(text, POLICY_FIELDS).or_else(|_| json::parse(text)),
        None => json::parse(text),
    }
    .map_err(not_json)?;
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
    // Before anything is read from the line: with a duplicate key, tools that keep
    // the first and tools that keep the last would evaluate different requests.
    let id_json = |value: &JsonValue| value.get("id").map(|v| text[v.span.start..v.span.end].to_string());
    check_envelope(text, &value)
        .map_err(|(top_level_id, e)| fail(if top_level_id { None } else { id_json(&value) }, e))?;
    let id_json = id_json(&value);
    let mut warnings = Vec::new();
    let key = cache.and_then(|_| cache_key(text, &value));
    let cached = match (cache, &key) {
        (Some(cache), Some(key)) => cache.get(key),
        _ => None,
    };
    let policies = match cached {
        Some(set) => set,
        None => {
            if cache.is_some() {
                build_policy_fields(text, &mut value).map_err(not_json)?;
            }
            let set = Arc::new(read_policy_set(&value, &mut warnings).map_err(|e| fail(id_json.clone(), e))?);
            if let (Some(cache), Some(key)) = (cache, key) {
                cache.insert(key, Arc::clone(&set));
                warnings.clear();
            }
            set
        }
    };
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

/// Builds the policy fields [`json::parse_skipping`] left as spans.
fn build_policy_fields(text: &str, value: &mut JsonValue) -> Result<(), json::JsonError> {
    if let JsonKind::Object(members) = &mut value.kind {
        for m in members.iter_mut().filter(|m| POLICY_FIELDS.contains(&m.key.as_str())) {
            m.value = json::parse_span(text, m.value.span, 1)?;
        }
    }
    Ok(())
}

/// Compiled policy sets of one run, keyed by the text of a line's policy fields.
/// Its size is bounded: past [`PolicyCache::MAX_KEY_BYTES`] of keys it starts over,
/// so a run over millions of distinct policies keeps bounded memory.
#[derive(Debug, Default)]
pub struct PolicyCache {
    inner: RwLock<CacheInner>,
}

#[derive(Debug, Default)]
struct CacheInner {
    sets: HashMap<Box<str>, Arc<PolicySet>>,
    key_bytes: usize,
}

impl PolicyCache {
    /// Policy text held at most; compiled policies take some 25 times their text.
    pub const MAX_KEY_BYTES: usize = 4 << 20;
    /// Longer keys are not cached: compiling them costs more than the look-up saves.
    pub const MAX_CACHED_KEY: usize = 256 << 10;

    /// An empty cache.
    pub fn new() -> Self {
        PolicyCache::default()
    }

    fn get(&self, key: &str) -> Option<Arc<PolicySet>> {
        let inner = self.inner.read().unwrap_or_else(|e| e.into_inner());
        inner.sets.get(key).cloned()
    }

    fn insert(&self, key: String, set: Arc<PolicySet>) {
        let mut inner = self.inner.write().unwrap_or_else(|e| e.into_inner());
        if inner.key_bytes + key.len() > Self::MAX_KEY_BYTES {
            inner.sets.clear();
            inner.key_bytes = 0;
        }
        inner.key_bytes += key.len();
        inner.sets.insert(key.into_boxed_str(), set);
    }
}

/// The cache key of a line: each policy field's name and exact text, in line
/// order. `None` when the policies are too big to be worth keeping.
fn cache_key(text: &str, value: &JsonValue) -> Option<String> {
    let mut key = String::new();
    for m in value
        .as_object()?
        .iter()
        .filter(|m| POLICY_FIELDS.contains(&m.key.as_str()))
    {
        key.push_str(&m.key);
        key.push('\0');
        key.push_str(&text[m.value.span.start..m.value.span.end]);
        key.push('\0');
        if key.len() > PolicyCache::MAX_CACHED_KEY {
            return None;
        }
    }
    Some(key)
}

/// Rejects a duplicate key in any object of the line outside the policies (those
/// are the policy reader's), naming both positions. The flag tells whether the
/// duplicate is the top-level `id` (then no id can be echoed).
fn check_envelope(text: &str, value: &JsonValue) -> Result<(), (bool, (String, Span))> {
    let column = |offset: usize| text[..offset].chars().count() + 1;
    let mut pending: Vec<(String, &JsonValue)> = vec![(String::new(), value)];
    while let Some((path, value)) = pending.pop() {
        match &value.kind {
            JsonKind::Object(members) => {
                let mut first: HashMap<&str, Span> = HashMap::with_capacity(members.len());
                for m in members {
                    if let Some(earlier) = first.insert(&m.key, m.key_span) {
                        let at = if path.is_empty() {
                            String::new()
                        } else {
                            format!("{path}: ")
                        };
                        let message = format!(
                            "{at}duplicate key `{}` (first given at column {}): JSON readers disagree on which one counts",
                            m.key,
                            column(earlier.start)
                        );
                        return Err((path.is_empty() && m.key == "id", (message, m.key_span)));
                    }
                    let nested = matches!(m.value.kind, JsonKind::Object(_) | JsonKind::Array(_));
                    if !nested || (path.is_empty() && POLICY_FIELDS.contains(&m.key.as_str())) {
                        continue;
                    }
                    let inner = if path.is_empty() {
                        m.key.clone()
                    } else {
                        format!("{path}.{}", m.key)
                    };
                    pending.push((inner, &m.value));
                }
            }
            JsonKind::Array(items) => {
                let nested = items
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| matches!(v.kind, JsonKind::Object(_) | JsonKind::Array(_)));
                pending.extend(nested.map(|(i, v)| (format!("{path}[{i}]"), v)));
            }
            _ => {}
        }
    }
    Ok(())
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
