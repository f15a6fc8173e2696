//! Context value classes: absence, one value per class of strings, numbers,
//! dates, IP addresses and booleans, and the instants for the time keys.

use crate::automaton::{self, CharPattern};
use crate::classes::atoms_to_pattern;
use crate::prover::{dedup, Found, Prover, Unknown, ALWAYS_PRESENT};
use crate::values;
use std::collections::BTreeSet;
use std::collections::HashMap;
use veto_catalog::{KeyShape, KeyType};
use veto_iam::condition::{StringValue, ValueTest};
use veto_iam::operator::OperatorFamily;
use veto_iam::policy::{Condition, Statement};
use veto_iam::template::{GlobValue, TextValue};
use veto_iam::ContextValue;

impl<'a> Prover<'a> {
    /// Conditions grouped by (lower-case) key.
    pub(crate) fn key_conditions<'s>(&self, all: &[&'s Statement]) -> Found<HashMap<String, Vec<&'s Condition>>> {
        let mut keys: HashMap<String, Vec<&Condition>> = HashMap::new();
        for s in all {
            for c in &s.conditions {
                keys.entry(c.key_lower.clone()).or_default().push(c);
            }
        }
        Ok(keys)
    }

    /// One witness per class of `patterns` inside `domain`.
    pub(crate) fn class_witnesses(
        &self,
        key: &str,
        patterns: &[CharPattern],
        groups: &[usize],
        domain: &[CharPattern],
        extra: &[char],
    ) -> Found<Vec<String>> {
        let refs: Vec<&CharPattern> = patterns.iter().chain(domain.iter()).collect();
        let alphabet = automaton::alphabet(&refs, extra, &[]);
        let deadline = self.started + self.limits.time_budget;
        let classes = automaton::classes(
            patterns,
            groups,
            domain,
            &alphabet,
            self.limits.max_automaton_states,
            deadline,
        )
        .map_err(|_| Unknown(format!("unknown (too large): the patterns on `{key}` grew too large")))?;
        Ok(classes.into_iter().map(|(_, w)| w).collect())
    }

    /// Instants for aws:CurrentTime / aws:EpochTime: around every date or epoch constant.
    pub(crate) fn instants(&self, keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<i128>> {
        let mut constants = Vec::new();
        for key in ["aws:currenttime", "aws:epochtime"] {
            for c in keys.get(key).into_iter().flatten() {
                match &c.matcher.test {
                    // String operators compare the instant's text: the instants where
                    // a prefix starts and stops matching bound every class.
                    ValueTest::String { .. } => {
                        let like = c.operator.base.string_match() == Some(veto_iam::operator::StringMatch::Like);
                        let fold = c.operator.base.string_match() == Some(veto_iam::operator::StringMatch::IgnoreCase);
                        for v in &c.values {
                            let text = if fold {
                                v.text.to_ascii_uppercase()
                            } else {
                                v.text.clone()
                            };
                            let prefix = if like {
                                text.trim_end_matches('*')
                            } else {
                                text.as_str()
                            };
                            if like && prefix.contains(['*', '?']) || text.contains("${") {
                                return Err(Unknown(format!(
                                    "unknown: the pattern `{}` on `{}` has a wildcard or variable before its end; the prover decides time patterns that are prefixes",
                                    v.text, c.key
                                )));
                            }
                            let seconds = if key == "aws:currenttime" {
                                values::iso_prefix_bounds(prefix)
                            } else {
                                values::decimal_prefix_bounds(prefix)
                            };
                            constants.extend(seconds.into_iter().map(|s| s * 1_000_000_000));
                        }
                    }
                    ValueTest::Date { values, .. } => constants.extend(values.iter().copied()),
                    ValueTest::Numeric { values, .. } => constants.extend(
                        values
                            .iter()
                            .filter_map(|v| v.split('.').next()?.parse::<i128>().ok())
                            .map(|s| s * 1_000_000_000),
                    ),
                    _ => {}
                }
            }
        }
        Ok(values::instant_candidates(&constants))
    }

    /// A key's classes: absent (unless always present) and one value per class.
    pub(crate) fn domain(&self, key: &str, conditions: &[&Condition]) -> Found<Vec<Option<ContextValue>>> {
        let shape = self.catalog.key(key).map(|k| k.shape).unwrap_or(KeyShape {
            value: KeyType::String,
            multi_valued: false,
        });
        // String and ARN operators share the string theory: their patterns are
        // walked together (an ARN pattern bounds wildcards by field).
        let families: BTreeSet<u8> = conditions
            .iter()
            .map(|c| c.operator.base.family())
            .filter(|f| *f != OperatorFamily::Null)
            .map(|f| {
                if f == OperatorFamily::Arn {
                    OperatorFamily::String
                } else {
                    f
                }
            })
            .map(|f| f as u8)
            .collect();
        if families.len() > 1 {
            return Err(Unknown(format!(
                "unknown: `{key}` is compared with operators of different types, whose classes the prover does not combine"
            )));
        }
        let family = conditions
            .iter()
            .map(|c| c.operator.base.family())
            .find(|f| *f != OperatorFamily::Null);
        let elements = self.element_values(key, family, conditions, shape)?;
        let mut out: Vec<Option<ContextValue>> = Vec::new();
        if !ALWAYS_PRESENT.contains(&key) {
            out.push(None);
        }
        if shape.multi_valued {
            if elements.len() > 10 {
                return Err(Unknown(format!(
                    "unknown (too large): `{key}` has more than 10 value classes to combine into sets"
                )));
            }
            for mask in 0u32..(1 << elements.len()) {
                let set: Vec<String> = elements
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, v)| v.clone())
                    .collect();
                out.push(Some(ContextValue::Multi(set)));
            }
        } else {
            out.extend(elements.into_iter().map(|v| Some(ContextValue::Single(v))));
        }
        Ok(out)
    }

    fn element_values(
        &self,
        key: &str,
        family: Option<OperatorFamily>,
        conditions: &[&Condition],
        shape: KeyShape,
    ) -> Found<Vec<String>> {
        let typed_default = || -> Vec<String> {
            vec![match shape.value {
                KeyType::Bool => "true".into(),
                KeyType::Numeric => "1".into(),
                KeyType::Date => values::iso(1_767_225_600),
                KeyType::IpAddress => "203.0.113.1".into(),
                KeyType::Arn => "arn:aws:iam::999999999999:role/veto".into(),
                KeyType::Binary => "eA==".into(),
                KeyType::String => "veto".into(),
            }]
        };
        let Some(family) = family else {
            return Ok(typed_default());
        };
        // AWS sends a Bool key as true or false, whatever operator a policy uses on it.
        if shape.value == KeyType::Bool {
            return Ok(vec!["true".into(), "false".into()]);
        }
        // A value the caller writes (a service key such as s3:max-keys) may be
        // ill-typed whatever its type; AWS's own aws: keys are well-typed unless a
        // policy compares them as another type.
        let loose = |t: KeyType| shape.value != t || !key.starts_with("aws:");
        Ok(match family {
            OperatorFamily::String | OperatorFamily::Arn => {
                let (patterns, groups) = string_patterns(key, conditions)?;
                self.class_witnesses(key, &patterns, &groups, &[], &[])?
            }
            OperatorFamily::Numeric => {
                let constants: Vec<&str> = conditions
                    .iter()
                    .flat_map(|c| match &c.matcher.test {
                        ValueTest::Numeric { values, .. } => values.iter().map(String::as_str).collect::<Vec<_>>(),
                        _ => vec![],
                    })
                    .collect();
                let mut v = values::numeric_candidates(&constants);
                if loose(KeyType::Numeric) {
                    v.push("veto".into());
                }
                v
            }
            OperatorFamily::Date => {
                let constants: Vec<i128> = conditions
                    .iter()
                    .flat_map(|c| match &c.matcher.test {
                        ValueTest::Date { values, .. } => values.clone(),
                        _ => vec![],
                    })
                    .collect();
                let mut v: Vec<String> = values::instant_candidates(&constants)
                    .into_iter()
                    .map(values::iso)
                    .collect();
                if loose(KeyType::Date) {
                    v.push("veto".into());
                }
                v
            }
            OperatorFamily::Bool => {
                let mut v = vec!["true".to_string(), "false".to_string()];
                if loose(KeyType::Bool) {
                    v.push("veto".into());
                }
                v
            }
            OperatorFamily::Ip => {
                let nets: Vec<ipnet::IpNet> = conditions
                    .iter()
                    .flat_map(|c| match &c.matcher.test {
                        ValueTest::Ip(nets) => nets.clone(),
                        _ => vec![],
                    })
                    .collect();
                let mut v = values::ip_candidates(&nets);
                if loose(KeyType::IpAddress) {
                    v.push("veto".into());
                }
                v
            }
            OperatorFamily::Binary => {
                let mut v: Vec<String> = conditions
                    .iter()
                    .flat_map(|c| c.values.iter().map(|v| v.text.clone()))
                    .collect();
                v.push("eA==".into());
                dedup(&mut v);
                v
            }
            OperatorFamily::Null => typed_default(),
        })
    }
}

/// The String and ARN patterns the conditions on `key` compare with.
pub(crate) fn string_patterns(key: &str, conditions: &[&Condition]) -> Found<(Vec<CharPattern>, Vec<usize>)> {
    let mut patterns: Vec<CharPattern> = Vec::new();
    // The group of each pattern: its condition (a condition asks whether any of its values matches).
    let mut groups: Vec<usize> = Vec::new();
    let mut group = 0;
    for c in conditions {
        group += 1;
        match &c.matcher.test {
            ValueTest::String { values, .. } => {
                for v in values {
                    patterns.push(match v {
                        StringValue::Text(TextValue::Static(t)) => CharPattern::literal(
                            t,
                            c.operator.base.string_match() == Some(veto_iam::operator::StringMatch::IgnoreCase),
                        ),
                        StringValue::Pattern(GlobValue::Static(p)) => atoms_to_pattern(p.atoms(), false),
                        _ => {
                            return Err(Unknown(format!(
                                "unknown: a policy variable in the condition on `{key}`"
                            )))
                        }
                    });
                }
            }
            ValueTest::Arn(values) => {
                for v in values {
                    match v {
                        GlobValue::Static(p) => patterns.push(atoms_to_pattern(p.atoms(), true)),
                        GlobValue::Dynamic(_) => {
                            return Err(Unknown(format!(
                                "unknown: a policy variable in the condition on `{key}`"
                            )))
                        }
                    }
                }
                groups.resize(patterns.len(), group);
                // Whether the value is an ARN at all is a test of its own.
                group += 1;
                patterns.push(CharPattern::glob("arn:*:*:*:*:*"));
                groups.push(group);
            }
            _ => {}
        }
        groups.resize(patterns.len(), group);
    }
    groups.resize(patterns.len(), group);
    Ok((patterns, groups))
}
