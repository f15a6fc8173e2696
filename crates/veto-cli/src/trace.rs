//! Turning an evaluation's trace into JSON and into readable text.

use crate::render::{self, Kind, Source};
use serde_json::{json, Value};
use veto_iam::{Decider, Element, Explanation, PolicyRef, PolicySet, Span, Statement, StatementOutcome};

/// The span and a short description of the element a statement failed on.
pub fn element_span(statement: &Statement, element: Element) -> (Span, String) {
    match element {
        Element::Action | Element::NotAction => {
            (statement.action.span, format!("{element:?} does not match the action"))
        }
        Element::Resource | Element::NotResource => (
            statement.resource.as_ref().map_or(statement.span, |r| r.span),
            format!("{element:?} does not match the resource"),
        ),
        Element::Principal | Element::NotPrincipal => (
            statement.principal.as_ref().map_or(statement.span, |p| p.span),
            format!("{element:?} does not match the caller"),
        ),
        Element::Condition(i) => match statement.conditions.get(i) {
            Some(c) => (
                c.span,
                format!("condition {} on `{}` is false", c.operator.name(), c.key),
            ),
            None => (statement.span, "condition is false".into()),
        },
    }
}

fn element_name(element: Element) -> &'static str {
    match element {
        Element::Principal => "Principal",
        Element::NotPrincipal => "NotPrincipal",
        Element::Action => "Action",
        Element::NotAction => "NotAction",
        Element::Resource => "Resource",
        Element::NotResource => "NotResource",
        Element::Condition(_) => "Condition",
    }
}

fn position<'s>(sources: &impl Fn(PolicyRef) -> &'s Source<'s>, at: PolicyRef, span: Span) -> (String, usize, usize) {
    let source = sources(at);
    let (line, column) = source.location(span.start);
    (source.name.to_string(), line, column)
}

/// The trace as JSON, for `--explain` in batch mode.
pub fn to_json<'s>(set: &PolicySet, explanation: &Explanation, sources: impl Fn(PolicyRef) -> &'s Source<'s>) -> Value {
    let statement = |at: PolicyRef, index: usize| set.policy(at).and_then(|p| p.statements.get(index));
    let decided_by = match explanation.outcome.decider {
        Decider::Statement { policy, index } => {
            let s = statement(policy, index);
            let (_, line, column) = position(&sources, policy, s.map_or(Span::default(), |s| s.span));
            json!({"policy": policy.to_string(), "statement": index,
                   "sid": s.and_then(|s| s.sid.as_ref()).map(|s| s.value.clone()),
                   "line": line, "column": column})
        }
        other => json!({"reason": other.describe()}),
    };
    let statements: Vec<Value> = explanation
        .statements
        .iter()
        .filter_map(|t| {
            let s = statement(t.policy, t.index)?;
            let (_, line, column) = position(&sources, t.policy, s.span);
            let mut entry = json!({
                "policy": t.policy.to_string(), "statement": t.index,
                "sid": s.sid.as_ref().map(|s| s.value.clone()),
                "effect": format!("{:?}", s.effect),
                "matched": matches!(t.outcome, StatementOutcome::Matched(_)),
                "line": line, "column": column,
            });
            if let StatementOutcome::NotMatched(element) = t.outcome {
                let (span, detail) = element_span(s, element);
                let (_, line, column) = position(&sources, t.policy, span);
                entry["failed"] =
                    json!({"element": element_name(element), "detail": detail, "line": line, "column": column});
            }
            Some(entry)
        })
        .collect();
    let notes: Vec<String> = explanation.notes.iter().map(|n| n.describe()).collect();
    json!({"decided_by": decided_by, "statements": statements, "notes": notes})
}

/// The trace as text: the decision, what decided it with its source line, then
/// one line per statement.
pub fn to_text<'s>(
    set: &PolicySet,
    explanation: &Explanation,
    sources: impl Fn(PolicyRef) -> &'s Source<'s>,
    verbose: bool,
) -> String {
    let statement = |at: PolicyRef, index: usize| set.policy(at).and_then(|p| p.statements.get(index));
    let mut out = format!("decision: {}\n", explanation.outcome.decision);
    match explanation.outcome.decider {
        Decider::Statement { policy, index } => {
            if let Some(s) = statement(policy, index) {
                let sid = s.sid.as_ref().map(|s| format!(" `{}`", s.value)).unwrap_or_default();
                let what = format!("decided by {policy} statement {index}{sid} ({:?})", s.effect);
                let span = s
                    .sid
                    .as_ref()
                    .map_or(Span::new(s.span.start, s.span.start + 1), |sid| sid.span);
                out.push_str(&render::render(
                    sources(policy),
                    Kind::Note,
                    &what,
                    span,
                    "this statement",
                    None,
                ));
            }
        }
        other => out.push_str(&format!("because: {}\n", other.describe().unwrap_or_default())),
    }
    for note in &explanation.notes {
        out.push_str(&format!("note: {}\n", note.describe()));
    }
    if verbose {
        out.push_str("\ntrace:\n");
        for t in &explanation.statements {
            let Some(s) = statement(t.policy, t.index) else {
                continue;
            };
            let source = sources(t.policy);
            let (line, column) = source.location(s.span.start);
            let sid = s.sid.as_ref().map(|s| format!(" `{}`", s.value)).unwrap_or_default();
            let verdict = match t.outcome {
                StatementOutcome::Matched(_) => "matched".to_string(),
                StatementOutcome::NotMatched(element) => {
                    let (span, detail) = element_span(s, element);
                    let (l, c) = source.location(span.start);
                    format!("no match: {detail} ({}:{l}:{c})", source.name)
                }
            };
            out.push_str(&format!(
                "  {} statement {}{sid} ({:?}) at {}:{line}:{column}: {verdict}\n",
                t.policy, t.index, s.effect, source.name
            ));
        }
    }
    out
}
