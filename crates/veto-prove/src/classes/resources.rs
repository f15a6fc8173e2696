//! Resource classes: the combinations of resource patterns an action's ARNs can produce.

use crate::automaton::{self, CharPattern};
use crate::classes::{atoms_to_pattern, format_pattern};
use crate::derived;
use crate::prover::{Found, Prover, Tagged, Unknown, CALLER_VARIABLES};
use std::collections::HashMap;
use veto_iam::template::GlobValue;
use veto_iam::wildcard::Atom;
use veto_iam::{Caller, Context};

impl<'a> Prover<'a> {
    /// Resource patterns, grouped: the patterns of statements that differ in
    /// nothing but their Resource (same set, policy, effect, principal, action and
    /// conditions) contribute alike, so only whether *any* of them matches counts.
    /// That keeps many overlapping wildcard resources of one shape from
    /// multiplying the resource classes.
    pub(crate) fn resource_atoms(&self, tagged: &[Tagged], principals: &[String]) -> Vec<ResourceAtom> {
        // Each caller's values of the variables a resource may hold.
        let callers: Vec<Context> = principals
            .iter()
            .filter_map(|p| Caller::parse(p).ok())
            .map(|caller| {
                let mut context = Context::new();
                for key in CALLER_VARIABLES {
                    if let Some(derived::Derivation::Fixed(Some(v))) = derived::derivation(key, &caller, None) {
                        context = context.with(key, v);
                    }
                }
                context
            })
            .collect();
        let mut atoms: Vec<ResourceAtom> = Vec::new();
        let mut index: HashMap<CharPattern, usize> = HashMap::new();
        let mut group_ids: HashMap<String, usize> = HashMap::new();
        for t in tagged {
            let s = t.statement;
            let Some(resource) = &s.resource else { continue };
            let conditions = super::conditions_key(s);
            let key = format!(
                "{}|{:?}|{:?}|{}|{:?}|{:?}|{}|{conditions:?}",
                t.set,
                t.policy,
                s.effect,
                s.action.negated,
                s.action.patterns.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
                s.principal.as_ref().map(|p| (
                    p.negated,
                    p.entries
                        .iter()
                        .map(|e| (e.key.as_str(), e.text.as_str()))
                        .collect::<Vec<_>>()
                )),
                resource.negated,
            );
            let next = group_ids.len();
            let group = *group_ids.entry(key).or_insert(next);
            // (pattern, text, whether it is one caller's instance: then a group of its
            // own, since the statement uses only the caller's instance)
            let mut instances: Vec<(Vec<Atom>, &str, bool)> = Vec::new();
            for p in &resource.patterns {
                match &p.matcher {
                    GlobValue::Static(pattern) => instances.push((pattern.atoms().to_vec(), &p.text, false)),
                    GlobValue::Dynamic(template) => {
                        for context in &callers {
                            let mut atoms = Vec::new();
                            if template.expand_atoms(context, true, &mut atoms) {
                                instances.push((atoms, &p.text, true));
                            }
                        }
                    }
                }
            }
            for (pattern_atoms, text, own) in instances {
                {
                    let pattern = atoms_to_pattern(&pattern_atoms, false);
                    let group = if own { usize::MAX / 2 - atoms.len() } else { group };
                    // One atom per distinct pattern; a pattern used by statements of
                    // different groups is a group of its own.
                    match index.get(&pattern) {
                        Some(&i) => {
                            let a: &mut ResourceAtom = &mut atoms[i];
                            if a.group != group && !a.shared {
                                a.shared = true;
                                a.group = usize::MAX - i;
                            }
                        }
                        None => {
                            index.insert(pattern.clone(), atoms.len());
                            atoms.push(ResourceAtom {
                                pattern,
                                service: literal_service(text),
                                group,
                                shared: false,
                            });
                        }
                    }
                }
            }
        }
        // The evaluator treats KMS keys and roles to assume specially.
        for text in ["arn:*:kms:*:*:key/*", "arn:*:iam:*:*:role/*"] {
            atoms.push(ResourceAtom {
                pattern: CharPattern::arn_like(text),
                service: literal_service(text),
                group: group_ids.len(),
                shared: false,
            });
            group_ids.insert(text.to_string(), group_ids.len());
        }
        atoms
    }

    /// The resource classes of an action with these ARN formats: every
    /// combination of resource patterns a fitting ARN can produce, with a witness.
    pub(crate) fn resource_classes(
        &self,
        formats: &[&'a str],
        atoms: &[ResourceAtom],
        cache: &mut HashMap<&'a str, Vec<(Vec<bool>, String)>>,
    ) -> Found<Vec<(Vec<bool>, String)>> {
        if formats.is_empty() {
            let bits = atoms.iter().map(|a| a.pattern.matches("*")).collect();
            return Ok(vec![(bits, "*".to_string())]);
        }
        let mut out: Vec<(Vec<bool>, String)> = Vec::new();
        // One format at a time: the union of their classes is the action's.
        for format in formats {
            if let Some(classes) = cache.get(format) {
                for (bits, witness) in classes {
                    if !out.iter().any(|(b, _)| b == bits) {
                        out.push((bits.clone(), witness.clone()));
                    }
                }
                continue;
            }
            let mut mine: Vec<(Vec<bool>, String)> = Vec::new();
            let service = literal_service(format);
            // Only patterns of the format's service (or of any service) can match it.
            let relevant: Vec<usize> = (0..atoms.len())
                .filter(|&i| match (&atoms[i].service, &service) {
                    (Some(a), Some(f)) => a == f,
                    _ => true,
                })
                .collect();
            // Resources of every partition a resource pattern names (and `aws`).
            let domain: Vec<CharPattern> = self.partitions.iter().map(|p| format_pattern(format, p)).collect();
            let patterns: Vec<CharPattern> = relevant.iter().map(|&i| atoms[i].pattern.clone()).collect();
            let refs: Vec<&CharPattern> = patterns.iter().chain(domain.iter()).collect();
            // A literal `*` or `?` (`${*}`, `${?}`) is a character like any other: an
            // object may be named `what?`. Wildcards never reach the alphabet.
            let alphabet = automaton::alphabet(&refs, &[':', '/'], &[]);
            let deadline = self.started + self.limits.time_budget;
            // The relevant atoms' groups, numbered from 0.
            let mut numbering: HashMap<usize, usize> = HashMap::new();
            let groups: Vec<usize> = relevant
                .iter()
                .map(|&i| {
                    let next = numbering.len();
                    *numbering.entry(atoms[i].group).or_insert(next)
                })
                .collect();
            let classes = automaton::classes(
                &patterns,
                &groups,
                &domain,
                &alphabet,
                self.limits.max_automaton_states,
                deadline,
            )
            .map_err(|_| Unknown("unknown (too large): the resource patterns' automaton grew too large".into()))?;
            for (found, witness) in classes {
                let mut bits = vec![false; atoms.len()];
                for (&i, &g) in relevant.iter().zip(&groups) {
                    bits[i] = found[g];
                }
                mine.push((bits, witness));
            }
            for (bits, witness) in &mine {
                if !out.iter().any(|(b, _)| b == bits) {
                    out.push((bits.clone(), witness.clone()));
                }
            }
            cache.insert(format, mine);
        }
        Ok(out)
    }
}

pub(crate) struct ResourceAtom {
    pattern: CharPattern,
    /// Atoms of one group count only as "any of them matches" (see `resource_atoms`).
    group: usize,
    /// Used by statements of different groups: a group of its own.
    shared: bool,
    /// The pattern's service field when it is literal: it can only match that service's ARNs.
    service: Option<String>,
}

/// The third field of an ARN (pattern or format) when it is literal text.
fn literal_service(text: &str) -> Option<String> {
    if text == "*" {
        return None;
    }
    // A resource pattern is one glob over the whole ARN: a wildcard before the
    // service field (`arn:*:s3:::*`) can run across colons into any service.
    let mut fields = text.split(':');
    let before: Vec<&str> = fields.by_ref().take(2).collect();
    let field = fields.next()?;
    let literal = |f: &str| !f.is_empty() && !f.contains(['*', '?', '$']);
    (before.iter().all(|f| !f.contains(['*', '?', '$'])) && literal(field)).then(|| field.to_string())
}
