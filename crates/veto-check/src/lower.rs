//! Lowering a rule's request set (`deny every` / `allow some`) to the prover's
//! typed `Property`: constraint values read from the target, the IAM operator
//! chosen for each `when` test by the key's catalog type.

use crate::binding::{lookup, path_text, Lookup};
use crate::doc::{Node, Value};
use veto_iam::build::{ConditionSpec, ElementSpec, PrincipalSpec, PrincipalWho, StatementSpec};
use veto_iam::{Decision, Effect};
use veto_lang::ast::{self, Constraint, KeyTest, Term, ValueList, WhenOp};
use veto_prove::{Property, Quantifier};

/// Why a request set could not be turned into a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyError {
    /// A value it reads is not known (a parameter without a value…).
    Unknown(String),
    /// The rule cannot be stated for this target.
    Invalid(String),
}

impl std::fmt::Display for PropertyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PropertyError::Unknown(m) | PropertyError::Invalid(m) => f.write_str(m),
        }
    }
}

impl From<String> for PropertyError {
    fn from(m: String) -> Self {
        PropertyError::Invalid(m)
    }
}

impl From<&str> for PropertyError {
    fn from(m: &str) -> Self {
        PropertyError::Invalid(m.to_string())
    }
}

/// A value as text, for constraints (`p.bucket + "/*"`).
fn value_text(value: &ast::Value, root: &Node) -> Result<String, PropertyError> {
    let mut out = String::new();
    for t in &value.terms {
        match &t.node {
            Term::Str(s) => out.push_str(s),
            Term::Number(n) => out.push_str(n),
            Term::Bool(b) => out.push_str(&b.to_string()),
            Term::Path(p) => match lookup(root, p) {
                Lookup::Found(n) => match &n.value {
                    Value::Str(s) => out.push_str(s),
                    Value::Number(s) => out.push_str(s),
                    Value::Bool(b) => out.push_str(&b.to_string()),
                    _ => return Err(format!("`{}` is not a single value", path_text(p)).into()),
                },
                Lookup::Missing => return Err(format!("`{}` is missing", path_text(p)).into()),
                Lookup::Unknown(d) => return Err(PropertyError::Unknown(format!("{d} is not known"))),
            },
        }
    }
    Ok(out)
}

pub(crate) fn value_texts(list: &ValueList, root: &Node) -> Result<Vec<String>, PropertyError> {
    list.values().into_iter().map(|v| value_text(v, root)).collect()
}

/// The IAM operator for `when KEY OP …`, chosen by the key's catalog type.
fn operator(op: WhenOp, key: &str) -> &'static str {
    use veto_catalog::KeyType as T;
    let ty = veto_catalog::catalog().key(key).map(|k| k.shape.value);
    match (op, ty) {
        (WhenOp::Eq | WhenOp::Ne, Some(T::Bool)) => "Bool",
        (WhenOp::Eq, Some(T::Numeric)) => "NumericEquals",
        (WhenOp::Ne, Some(T::Numeric)) => "NumericNotEquals",
        (WhenOp::Eq, Some(T::Date)) => "DateEquals",
        (WhenOp::Ne, Some(T::Date)) => "DateNotEquals",
        (WhenOp::Eq, _) => "StringEquals",
        (WhenOp::Ne, _) => "StringNotEquals",
        (WhenOp::Lt, Some(T::Date)) => "DateLessThan",
        (WhenOp::Le, Some(T::Date)) => "DateLessThanEquals",
        (WhenOp::Gt, Some(T::Date)) => "DateGreaterThan",
        (WhenOp::Ge, Some(T::Date)) => "DateGreaterThanEquals",
        (WhenOp::Lt, _) => "NumericLessThan",
        (WhenOp::Le, _) => "NumericLessThanEquals",
        (WhenOp::Gt, _) => "NumericGreaterThan",
        (WhenOp::Ge, _) => "NumericGreaterThanEquals",
        (WhenOp::Like, _) => "StringLike",
        (WhenOp::NotLike, _) => "StringNotLike",
        (WhenOp::In, _) => "IpAddress",
        (WhenOp::NotIn, _) => "NotIpAddress",
    }
}

/// The property a request set describes, built as the prover's typed `Property`
/// (the request set is a Deny statement read by the policy reader; no JSON text).
pub fn lower_property(set: &ast::RequestSet, every: bool, root: &Node) -> Result<Property, PropertyError> {
    let mut request = lower_request(set, root)?;
    if request.action.is_none() {
        request.action = Some(ElementSpec::new(false, ["*".to_string()]));
    }
    if request.resource.is_none() {
        request.resource = Some(ElementSpec::new(false, ["*".to_string()]));
    }
    let statement = request.build().map_err(|e| e.to_string())?;
    let (quantifier, decisions) = if every {
        (Quantifier::Every, vec![Decision::ExplicitDeny])
    } else {
        (Quantifier::Some, vec![Decision::Allow, Decision::ImplicitDeny])
    };
    Ok(Property {
        quantifier,
        request: statement,
        resource_account: None,
        decisions,
    })
}

/// A request set as a typed statement, elements the set leaves open left out (the
/// prover reads them as `*`; a suggested fix leaves them out).
pub(crate) fn lower_request(set: &ast::RequestSet, root: &Node) -> Result<StatementSpec, PropertyError> {
    let mut request = StatementSpec::new(Effect::Deny);
    let mut not_action: Option<Vec<String>> = None;
    for c in &set.constraints {
        match c {
            Constraint::Principal(v) => {
                let values = value_texts(&v.node, root)?;
                let who = if values.iter().any(|v| v == "*") {
                    PrincipalWho::Anyone
                } else {
                    let (services, aws): (Vec<_>, Vec<_>) =
                        values.into_iter().partition(|v| v.ends_with(".amazonaws.com"));
                    if aws.iter().any(|v| v == "anonymous") {
                        return Err("`principal \"anonymous\"` cannot be described to the prover; use \"*\"".into());
                    }
                    let mut entries = Vec::new();
                    if !aws.is_empty() {
                        entries.push(("AWS".to_string(), aws));
                    }
                    if !services.is_empty() {
                        entries.push(("Service".to_string(), services));
                    }
                    PrincipalWho::Entries(entries)
                };
                request.principal = Some(PrincipalSpec { negated: false, who });
            }
            Constraint::Action(v) => {
                request.action = Some(ElementSpec::new(false, value_texts(&v.node, root)?));
            }
            Constraint::NotAction(v) => not_action = Some(value_texts(&v.node, root)?),
            Constraint::Resource(v) => {
                request.resource = Some(ElementSpec::new(false, value_texts(&v.node, root)?));
            }
            Constraint::When(w) => {
                let key = w.key.node.as_str();
                let (op, values): (&str, Vec<String>) = match &w.test {
                    KeyTest::Absent => ("Null", vec!["true".into()]),
                    KeyTest::Present => ("Null", vec!["false".into()]),
                    KeyTest::Compare(op, v) => {
                        let name = operator(op.node, key);
                        let mut values = value_texts(&v.node, root)?;
                        if name == "Bool" && op.node == WhenOp::Ne {
                            // `!= true` is `false` for a key that is always true or false.
                            values = values
                                .into_iter()
                                .map(|v| if v == "true" { "false".into() } else { "true".into() })
                                .collect();
                        }
                        (name, values)
                    }
                };
                if request.conditions.iter().any(|c| c.operator == op && c.key == key) {
                    return Err(
                        format!("two `when` tests compare `{key}` the same way; combine them into one list").into(),
                    );
                }
                request.conditions.push(ConditionSpec {
                    operator: op.to_string(),
                    key: key.to_string(),
                    values,
                });
            }
        }
    }
    match (request.action.take(), not_action) {
        // IAM has no statement with both Action and NotAction: list the catalog's
        // actions the one admits and the other does not.
        (Some(include), Some(exclude)) => {
            let include = action_matchers(include)?;
            let exclude = action_matchers(ElementSpec::new(false, exclude))?;
            let actions: Vec<String> = veto_catalog::catalog()
                .actions()
                .filter_map(|(s, a)| {
                    let (prefix, name) = (s.prefix.to_ascii_lowercase(), a.name.to_ascii_lowercase());
                    let parts = (prefix.as_str(), name.as_str());
                    (include.iter().any(|m| m.matches(parts)) && !exclude.iter().any(|m| m.matches(parts)))
                        .then(|| format!("{}:{}", s.prefix, a.name))
                })
                .collect();
            if actions.is_empty() {
                return Err("no catalog action is left once `action not` is taken out of `action`".into());
            }
            request.action = Some(ElementSpec::new(false, actions));
        }
        (Some(include), None) => request.action = Some(include),
        (None, Some(exclude)) => request.action = Some(ElementSpec::new(true, exclude)),
        (None, None) => {}
    }
    Ok(request)
}

/// The compiled matchers of a list of action patterns.
fn action_matchers(actions: ElementSpec) -> Result<Vec<veto_iam::policy::ActionMatcher>, String> {
    let mut spec = StatementSpec::new(Effect::Allow);
    spec.action = Some(actions);
    spec.resource = Some(ElementSpec::new(false, ["*".to_string()]));
    let statement = spec.build().map_err(|e| e.to_string())?;
    Ok(statement.action.patterns.into_iter().map(|p| p.matcher).collect())
}
