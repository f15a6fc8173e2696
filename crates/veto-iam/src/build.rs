//! Statements built from typed parts instead of policy text.
//!
//! The rules engine and the prover describe request sets as IAM statements. Writing
//! them out as JSON text and reading the text back would lose positions and invite
//! quoting bugs; instead a [`StatementSpec`] is turned into the reader's document tree
//! directly and read by the same reader as every policy, so a built statement obeys
//! exactly the grammar and compilation rules of a written one (one place decides
//! what a valid `Action`, `Resource` or `Condition` is).

use crate::json::{JsonKind, JsonMember, JsonValue};
use crate::policy::{Effect, Policy, PolicyError, Statement};
use crate::span::Span;

/// One statement described by its parts. An element left `None` is not written, so
/// the reader's rules for a missing element apply (a built request set with no
/// `Action` must say `Action: *` explicitly, as a policy must).
#[derive(Debug, Clone, PartialEq)]
pub struct StatementSpec {
    /// The statement's `Effect`.
    pub effect: Effect,
    /// `Principal` (or, negated, `NotPrincipal`), if written.
    pub principal: Option<PrincipalSpec>,
    /// `Action` (or, negated, `NotAction`) entries.
    pub action: Option<ElementSpec>,
    /// `Resource` (or, negated, `NotResource`) entries.
    pub resource: Option<ElementSpec>,
    /// The `Condition` entries, one per operator and key.
    pub conditions: Vec<ConditionSpec>,
}

/// A list element such as `Action` or `NotResource`, each entry with the span it
/// came from (where diagnostics about it should point).
#[derive(Debug, Clone, PartialEq)]
pub struct ElementSpec {
    /// Whether the element is the `Not…` form.
    pub negated: bool,
    /// The entries as text, each with the span it came from.
    pub entries: Vec<(String, Span)>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalSpec {
    /// Whether the element is `NotPrincipal`.
    pub negated: bool,
    /// The principals named.
    pub who: PrincipalWho,
}

/// The principals a [`PrincipalSpec`] names.
#[derive(Debug, Clone, PartialEq)]
pub enum PrincipalWho {
    /// The bare `"*"`.
    Anyone,
    /// `{"AWS": [...], "Service": [...]}`: principal type and its entries, in order.
    Entries(Vec<(String, Vec<String>)>),
}

/// One key under one operator: `"StringEquals": {"aws:SourceVpce": ["vpce-1"]}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionSpec {
    /// The operator name, e.g. `StringEquals`.
    pub operator: String,
    /// The condition key, e.g. `aws:SourceVpce`.
    pub key: String,
    /// The values to compare with.
    pub values: Vec<String>,
}

impl ElementSpec {
    /// An element from plain strings, with empty spans.
    pub fn new(negated: bool, entries: impl IntoIterator<Item = String>) -> ElementSpec {
        ElementSpec {
            negated,
            entries: entries.into_iter().map(|e| (e, Span::default())).collect(),
        }
    }
}

impl StatementSpec {
    /// A statement with this effect and no element written.
    pub fn new(effect: Effect) -> StatementSpec {
        StatementSpec {
            effect,
            principal: None,
            action: None,
            resource: None,
            conditions: Vec::new(),
        }
    }

    /// Reads the statement as a 2012-10-17 policy's only statement would be read.
    pub fn build(&self) -> Result<Statement, PolicyError> {
        let span = Span::default();
        let statement = JsonValue {
            kind: JsonKind::Object(self.members()),
            span,
        };
        let policy = JsonValue {
            kind: JsonKind::Object(vec![
                member("Version", string("2012-10-17", span)),
                member("Statement", statement),
            ]),
            span,
        };
        let mut policy = Policy::from_json(&policy)?;
        // The reader returns exactly one statement for a statement object; an empty
        // list would have been a load error above.
        Ok(policy.statements.swap_remove(0))
    }

    fn members(&self) -> Vec<JsonMember> {
        let span = Span::default();
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        let mut out = vec![member("Effect", string(effect, span))];
        if let Some(p) = &self.principal {
            let value = match &p.who {
                PrincipalWho::Anyone => string("*", span),
                PrincipalWho::Entries(entries) => JsonValue {
                    kind: JsonKind::Object(
                        entries
                            .iter()
                            .map(|(key, values)| member(key, strings(values.iter().map(|v| (v.as_str(), span)))))
                            .collect(),
                    ),
                    span,
                },
            };
            out.push(member(if p.negated { "NotPrincipal" } else { "Principal" }, value));
        }
        for (element, name, not_name) in [
            (&self.action, "Action", "NotAction"),
            (&self.resource, "Resource", "NotResource"),
        ] {
            if let Some(e) = element {
                let value = strings(e.entries.iter().map(|(text, span)| (text.as_str(), *span)));
                out.push(member(if e.negated { not_name } else { name }, value));
            }
        }
        if !self.conditions.is_empty() {
            // Operators in first-use order, each holding its keys in order.
            let mut blocks: Vec<JsonMember> = Vec::new();
            for c in &self.conditions {
                let entry = member(&c.key, strings(c.values.iter().map(|v| (v.as_str(), span))));
                match blocks.iter_mut().find(|b| b.key == c.operator) {
                    Some(JsonMember {
                        value:
                            JsonValue {
                                kind: JsonKind::Object(keys),
                                ..
                            },
                        ..
                    }) => keys.push(entry),
                    _ => blocks.push(member(
                        &c.operator,
                        JsonValue {
                            kind: JsonKind::Object(vec![entry]),
                            span,
                        },
                    )),
                }
            }
            out.push(member(
                "Condition",
                JsonValue {
                    kind: JsonKind::Object(blocks),
                    span,
                },
            ));
        }
        out
    }
}

fn member(key: &str, value: JsonValue) -> JsonMember {
    JsonMember {
        key: key.to_string(),
        key_span: value.span,
        value,
    }
}

fn string(text: &str, span: Span) -> JsonValue {
    JsonValue {
        kind: JsonKind::String(text.to_string()),
        span,
    }
}

fn strings<'a>(items: impl Iterator<Item = (&'a str, Span)>) -> JsonValue {
    JsonValue {
        kind: JsonKind::Array(items.map(|(t, s)| string(t, s)).collect()),
        span: Span::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_statement_reads_like_written_text() {
        let mut spec = StatementSpec::new(Effect::Deny);
        spec.principal = Some(PrincipalSpec {
            negated: false,
            who: PrincipalWho::Anyone,
        });
        spec.action = Some(ElementSpec::new(false, ["s3:*".to_string()]));
        spec.resource = Some(ElementSpec::new(true, ["arn:aws:s3:::b/*".to_string()]));
        spec.conditions.push(ConditionSpec {
            operator: "Bool".into(),
            key: "aws:SecureTransport".into(),
            values: vec!["false".into()],
        });
        spec.conditions.push(ConditionSpec {
            operator: "StringEquals".into(),
            key: "aws:SourceVpce".into(),
            values: vec!["vpce-1".into(), "vpce-2".into()],
        });
        let built = spec.build().expect("builds");
        let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":"*","Action":["s3:*"],
            "NotResource":["arn:aws:s3:::b/*"],"Condition":{"Bool":{"aws:SecureTransport":["false"]},
            "StringEquals":{"aws:SourceVpce":["vpce-1","vpce-2"]}}}}"#;
        let written = Policy::parse(text).expect("parses").statements.swap_remove(0);
        assert_eq!(built.to_json(), written.to_json());
    }

    #[test]
    fn a_bad_part_is_a_load_error_not_a_statement() {
        let mut spec = StatementSpec::new(Effect::Deny);
        spec.action = Some(ElementSpec::new(false, ["s3*:Get".to_string()]));
        spec.resource = Some(ElementSpec::new(false, ["*".to_string()]));
        assert!(spec.build().is_err());
        spec.action = Some(ElementSpec::new(false, ["s3:GetObject".to_string()]));
        spec.conditions.push(ConditionSpec {
            operator: "StringEqualz".into(),
            key: "aws:SourceVpce".into(),
            values: vec!["v".into()],
        });
        let err = spec.build().unwrap_err();
        assert!(err.to_string().contains("StringEqualz"), "{err}");
    }
}
