//! Action classes: catalog actions grouped by everything the search can tell apart.

use crate::classes::resources::ResourceAtom;
use crate::prover::{Found, Goal, Prover};
use std::collections::HashMap;
use veto_catalog::Catalog;
use veto_catalog::{Action, Service};
use veto_iam::policy::Statement;
use veto_iam::PolicySet;

impl<'a> Prover<'a> {
    /// Catalog actions the property admits, grouped by everything the search can
    /// tell apart: which action patterns match, the ARN formats, whether it assumes
    /// a role, and which mentioned keys it can carry.
    pub(crate) fn action_groups(&self, all: &[&Statement], atoms: &[ResourceAtom]) -> Found<Vec<ActionGroup<'a>>> {
        let mut resource_cache: HashMap<Vec<&str>, Vec<(Vec<bool>, String)>> = HashMap::new();
        let mut format_cache: HashMap<&str, Vec<(Vec<bool>, String)>> = HashMap::new();
        let mut mentioned: Vec<&str> = all
            .iter()
            .flat_map(|s| s.conditions.iter().map(|c| c.key_lower.as_str()))
            .collect();
        mentioned.sort_unstable();
        mentioned.dedup();
        let property_literals: Vec<String> = self
            .property
            .request
            .action
            .patterns
            .iter()
            .map(|p| p.text.to_ascii_lowercase())
            .collect();
        let mut groups: Vec<ActionGroup> = Vec::new();
        let mut index: HashMap<Signature, usize> = HashMap::new();
        let has_rcps = |set: &PolicySet| set.rcps.iter().any(|level| !level.is_empty());
        let any_rcps = has_rcps(self.policies) || matches!(self.goal, Goal::NewAccess { old } if has_rcps(old));
        let mut distinct_actions: Vec<&veto_iam::policy::ActionElement> = Vec::new();
        let mut seen_actions: std::collections::HashSet<(bool, Vec<&str>)> = std::collections::HashSet::new();
        for s in all {
            let texts: Vec<&str> = s.action.patterns.iter().map(|p| p.text.as_str()).collect();
            if seen_actions.insert((s.action.negated, texts)) {
                distinct_actions.push(&s.action);
            }
        }
        let catalog: &'a Catalog = self.catalog;
        // A property naming literal service prefixes needs only those services' actions.
        let prefixes: Option<Vec<&str>> = if self.property.request.action.negated {
            None
        } else {
            self.property
                .request
                .action
                .patterns
                .iter()
                .map(|p| match &p.matcher {
                    veto_iam::policy::ActionMatcher::Service { service, .. } => Some(service.as_str()),
                    veto_iam::policy::ActionMatcher::Any => None,
                })
                .collect()
        };
        let mut candidates: Vec<(&'a Service, &'a Action)> = match prefixes {
            Some(prefixes) => catalog
                .services
                .iter()
                .filter(|s| prefixes.iter().any(|p| s.prefix.eq_ignore_ascii_case(p)))
                .flat_map(|s| s.actions.iter().map(move |a| (s, a)))
                .collect(),
            None => catalog.actions().collect(),
        };
        // Named actions first, then List, Read, Write…, so counterexamples read naturally.
        candidates.sort_by_key(|(s, a)| {
            let full = format!("{}:{}", s.prefix, a.name).to_ascii_lowercase();
            let named = !property_literals.contains(&full);
            let access = match a.access {
                veto_catalog::AccessLevel::List => 0,
                veto_catalog::AccessLevel::Read => 1,
                veto_catalog::AccessLevel::Write => 2,
                veto_catalog::AccessLevel::Tagging => 3,
                veto_catalog::AccessLevel::PermissionsManagement => 4,
            };
            (named, access)
        });
        for (service, action) in candidates {
            let lower_prefix = service.prefix.to_ascii_lowercase();
            let lower_name = action.name.to_ascii_lowercase();
            let parts = (lower_prefix.as_str(), lower_name.as_str());
            let property_hit = self
                .property
                .request
                .action
                .patterns
                .iter()
                .any(|p| p.matcher.matches(parts));
            if property_hit == self.property.request.action.negated {
                continue;
            }
            // Statements share few distinct Action elements: match each once.
            let bits: Vec<bool> = distinct_actions
                .iter()
                .map(|s| s.patterns.iter().any(|p| p.matcher.matches(parts)) != s.negated)
                .collect();
            let formats: Vec<&str> = self.catalog.arn_formats(service, action).collect();
            if !resource_cache.contains_key(&formats) {
                let classes = self.resource_classes(&formats, atoms, &mut format_cache)?;
                resource_cache.insert(formats.clone(), classes);
            }
            let classes = &resource_cache[&formats];
            // Actions the evaluator treats specially get classes of their own: the
            // trust-policy and no-permission actions (spec §4.5), the bucket owner's
            // bucket-policy actions, and — when RCPs are in play — the services RCPs
            // apply to (spec §4.2).
            let special = veto_iam::special::special_action(&lower_prefix, &lower_name);
            let owner_bucket_policy = lower_prefix == "s3"
                && matches!(
                    lower_name.as_str(),
                    "getbucketpolicy" | "putbucketpolicy" | "deletebucketpolicy"
                );
            let rcps = any_rcps && veto_iam::special::rcps_apply(&lower_prefix);
            let keys: Vec<bool> = mentioned
                .iter()
                .map(|k| self.catalog.key_applies(service, action, k))
                .collect();
            let mut resource_bits: Vec<Vec<bool>> = classes.iter().map(|(b, _)| b.clone()).collect();
            resource_bits.sort();
            let signature = Signature {
                bits,
                resources: resource_bits,
                special,
                owner_bucket_policy,
                rcps,
                keys,
            };
            if let std::collections::hash_map::Entry::Vacant(e) = index.entry(signature) {
                e.insert(groups.len());
                groups.push(ActionGroup {
                    representative: (service, action),
                    resources: classes.iter().map(|(_, w)| w.clone()).collect(),
                });
            }
        }
        Ok(groups)
    }
}

#[derive(Hash, PartialEq, Eq)]
struct Signature {
    bits: Vec<bool>,
    /// The combinations of resource patterns the action's ARNs can produce.
    resources: Vec<Vec<bool>>,
    special: veto_iam::SpecialAction,
    owner_bucket_policy: bool,
    /// RCPs are given (in either set) and apply to the action's service.
    rcps: bool,
    keys: Vec<bool>,
}

pub(crate) struct ActionGroup<'c> {
    pub(crate) representative: (&'c Service, &'c Action),
    /// One resource per class.
    pub(crate) resources: Vec<String>,
}
