//! Reading properties: the `veto prove --batch` line format.

use crate::{Property, Quantifier};
use veto_iam::batch::{read_policy_set, BatchError};
use veto_iam::json::{self, JsonKind, JsonMember, JsonValue};
use veto_iam::{Decision, Policy, PolicySet, Span};

/// One `veto prove --batch` line: the eval batch format's policy fields plus `property`.
pub struct ProveCase {
    /// The line's `id`, as JSON text (echoed in results).
    pub id_json: String,
    /// The policies the property is proved of.
    pub policies: PolicySet,
    /// The property.
    pub property: Property,
}

const REQUEST_ELEMENTS: &[&str] = &[
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
    "resource_account",
];

/// Reads a property object; errors carry spans of `value`.
pub fn read_property(value: &JsonValue) -> Result<Property, (String, Span)> {
    let fail = |m: String, s: Span| Err((format!("property: {m}"), s));
    if value.as_object().is_none() {
        return fail(format!("expected an object, found {}", value.type_name()), value.span);
    }
    let quantifier = match value.get("quantifier").and_then(JsonValue::as_str) {
        Some("every") => Quantifier::Every,
        Some("some") => Quantifier::Some,
        _ => {
            return fail(
                "`quantifier` must be \"every\" or \"some\"".into(),
                value.get("quantifier").map_or(value.span, |v| v.span),
            )
        }
    };
    let decisions = match value.get("decision").map(|d| &d.kind) {
        Some(JsonKind::Array(items)) if !items.is_empty() => {
            let mut out = Vec::new();
            for item in items {
                out.push(match item.as_str() {
                    Some("Allow") => Decision::Allow,
                    Some("ExplicitDeny") => Decision::ExplicitDeny,
                    Some("ImplicitDeny") => Decision::ImplicitDeny,
                    _ => {
                        return fail(
                            "`decision` entries are \"Allow\", \"ExplicitDeny\" or \"ImplicitDeny\"".into(),
                            item.span,
                        )
                    }
                });
            }
            out
        }
        _ => {
            return fail(
                "`decision` must be a non-empty list such as [\"ExplicitDeny\"]".into(),
                value.get("decision").map_or(value.span, |v| v.span),
            )
        }
    };
    let request = value.get("request");
    let members = match request.map(|r| &r.kind) {
        None => &[][..],
        Some(JsonKind::Object(m)) => &m[..],
        Some(_) => {
            return fail(
                "`request` must be an object".into(),
                request.map_or(value.span, |r| r.span),
            )
        }
    };
    let mut resource_account = None;
    // The request set is read as a Deny statement by the policy reader itself, from
    // the line's own document tree: no text is assembled, and every error points
    // into the line.
    let span = request.map_or(value.span, |r| r.span);
    let synthetic = |kind: JsonKind| JsonValue { kind, span };
    let member = |key: &str, value: JsonValue| JsonMember {
        key: key.to_string(),
        key_span: value.span,
        value,
    };
    let mut statement = vec![member("Effect", synthetic(JsonKind::String("Deny".into())))];
    for m in members {
        if !REQUEST_ELEMENTS.contains(&m.key.as_str()) {
            return fail(
                format!(
                    "unknown request element `{}`: expected one of {}",
                    m.key,
                    REQUEST_ELEMENTS.join(", ")
                ),
                m.key_span,
            );
        }
        if m.key == "resource_account" {
            match m.value.as_str() {
                Some(a) if veto_source::is_account_id(a) => resource_account = Some(a.to_string()),
                _ => return fail("`resource_account` must be a 12-digit account ID".into(), m.value.span),
            }
            continue;
        }
        statement.push(m.clone());
    }
    let has = |k: &str| members.iter().any(|m| m.key == k);
    if !has("Action") && !has("NotAction") {
        statement.push(member("Action", synthetic(JsonKind::String("*".into()))));
    }
    if !has("Resource") && !has("NotResource") {
        statement.push(member("Resource", synthetic(JsonKind::String("*".into()))));
    }
    let doc = synthetic(JsonKind::Object(vec![
        member("Version", synthetic(JsonKind::String("2012-10-17".into()))),
        member("Statement", synthetic(JsonKind::Object(statement))),
    ]));
    let policy = Policy::from_json(&doc).map_err(|e| {
        let at = e.errors().next().map_or(span, |d| d.span);
        (format!("property.request: {e}"), at)
    })?;
    let Some(statement) = policy.statements.into_iter().next() else {
        return fail("property.request: empty".into(), span);
    };
    Ok(Property {
        quantifier,
        request: statement,
        resource_account,
        decisions,
    })
}

/// Refuses a property whose request set is empty by a slip of the pen: an
/// `Action` entry that names no catalog action (`s3:GetObjekt`, or
/// `s3:UploadPart`, which is not an IAM action), or a condition that needs a key
/// the catalog does not know (it is never present). Either would make `holds`
/// vacuous; the error points at the entry and offers the nearest name.
pub fn check_not_empty(property: &Property, catalog: &veto_catalog::Catalog) -> Result<(), (String, Span)> {
    let action = &property.request.action;
    if !action.negated {
        for p in &action.patterns {
            let hit = catalog.actions().any(|(s, a)| {
                let (prefix, name) = (s.prefix.to_ascii_lowercase(), a.name.to_ascii_lowercase());
                p.matcher.matches((prefix.as_str(), name.as_str()))
            });
            if !hit {
                let names: Vec<String> = catalog
                    .actions()
                    .map(|(s, a)| format!("{}:{}", s.prefix, a.name))
                    .collect();
                let hint = veto_iam::suggest::closest(&p.text, names.iter().map(String::as_str))
                    .map(|n| format!("; did you mean `{n}`?"))
                    .unwrap_or_default();
                return Err((
                    format!(
                        "property.request.Action: `{}` names no action in the catalog, so the request set would be empty{hint}",
                        p.text
                    ),
                    p.span,
                ));
            }
        }
    }
    for c in &property.request.conditions {
        // Only a test that needs the key present makes an unknown key empty the set.
        let needs_key = !c.operator.if_exists
            && !c.operator.base.is_negated()
            && c.operator.base != veto_iam::operator::BaseOperator::Null
            && c.operator.qualifier != Some(veto_iam::operator::SetQualifier::ForAllValues);
        if needs_key && catalog.key(&c.key).is_none() {
            let mut names: Vec<&str> = catalog.global_keys.iter().map(|k| k.name).collect();
            names.extend(catalog.services.iter().flat_map(|s| s.keys.iter().map(|k| k.name)));
            let hint = veto_iam::suggest::closest(&c.key, names)
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default();
            return Err((
                format!(
                    "property.request.Condition: `{}` is no condition key AWS sends, so no request has it and the set would be empty{hint}",
                    c.key
                ),
                c.key_span,
            ));
        }
    }
    Ok(())
}

/// Reads one line of `veto prove --batch`.
pub fn parse_line(text: &str) -> Result<ProveCase, BatchError> {
    let value = json::parse(text).map_err(|e| BatchError {
        id_json: None,
        message: format!("not valid JSON: {}", e.message),
        span: e.span,
    })?;
    if value.as_object().is_none() {
        return Err(BatchError {
            id_json: None,
            message: format!("expected a JSON object, found {}", value.type_name()),
            span: value.span,
        });
    }
    let id_json = value.get("id").map(|v| text[v.span.start..v.span.end].to_string());
    let fail = |(message, span): (String, Span)| BatchError {
        id_json: id_json.clone(),
        message,
        span,
    };
    let mut warnings = Vec::new();
    let policies = read_policy_set(&value, &mut warnings).map_err(fail)?;
    let property = match value.get("property") {
        Some(p) => read_property(p).map_err(fail)?,
        None => return Err(fail(("missing `property`".into(), value.span))),
    };
    check_not_empty(&property, veto_catalog::catalog()).map_err(fail)?;
    Ok(ProveCase {
        id_json: id_json.clone().unwrap_or_else(|| "null".into()),
        policies,
        property,
    })
}
