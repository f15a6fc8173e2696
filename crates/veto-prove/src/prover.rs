//! The prover's state and its goal: what a candidate request proves or
//! witnesses, the work budget, and the statements it is cut by.

use crate::answer::{Answer, Limits, Property, Quantifier, Verdict};
use crate::automaton::CharPattern;
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;
use veto_catalog::Catalog;
use veto_iam::policy::Statement;
use veto_iam::{ContextValue, Decision, Policy, PolicySet, Request, StatementOutcome};

/// Keys AWS puts in every request: never searched as absent.
pub(crate) const ALWAYS_PRESENT: [&str; 3] = ["aws:securetransport", "aws:currenttime", "aws:epochtime"];

/// Why the prover answers `unknown` (a limit or a construct it does not decide).
pub(crate) struct Unknown(pub(crate) String);

/// Policy variables in resources that the prover decides: keys whose value the
/// caller fixes (absent for callers without one), see [`derived`].
pub(crate) const CALLER_VARIABLES: [&str; 4] = [
    "aws:username",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
];

/// The option that stands for the instant (both time keys, which agree).
pub(crate) const TIME: &str = "@time";

/// A statement and what its match contributes to the decision.
#[derive(Clone)]
pub(crate) struct Tagged<'s> {
    pub(crate) statement: &'s Statement,
    pub(crate) set: u8,
    pub(crate) policy: Option<veto_iam::PolicyRef>,
    pub(crate) has_boundary: bool,
}

/// A step of the search: its result, or the reason to stop with `unknown`.
pub(crate) type Found<T> = Result<T, Unknown>;

/// What the search looks for.
pub(crate) enum Goal<'a> {
    Property,
    NewAccess { old: &'a PolicySet },
    Public,
}

/// At most this many witnesses are collected for diff and public access.
pub(crate) const MAX_WITNESSES: usize = 20;

/// One run of the prover: its inputs, what it learnt of the policies before
/// the search, and what the search has found so far.
pub(crate) struct Prover<'a> {
    pub(crate) policies: &'a PolicySet,
    pub(crate) property: &'a Property,
    pub(crate) goal: Goal<'a>,
    pub(crate) limits: &'a Limits,
    pub(crate) catalog: &'a Catalog,
    pub(crate) started: Instant,
    pub(crate) evaluated: usize,
    pub(crate) witnesses: Vec<Request>,
    /// The account no policy names that unnamed callers come from.
    pub(crate) outside_account: String,
    /// An account no policy names and no caller is in: a resource there is
    /// reached only cross-account.
    pub(crate) unreached_account: String,
    /// Every account a literal names (public access: callers elsewhere are "any account").
    pub(crate) named: BTreeSet<String>,
    /// Public access: per restricting key, the patterns that fix its value.
    pub(crate) fixing: Vec<(String, Vec<CharPattern>)>,
    pub(crate) restricted_to: BTreeSet<String>,
    /// Candidate requests found inside the property's set.
    pub(crate) members: usize,
    /// Interned contributions of matching statements (see `search`).
    features: HashMap<String, u32>,
    /// Per representative caller account, the other accounts of its class.
    pub(crate) class_accounts: HashMap<String, Vec<String>>,
    /// `aws` and every partition a resource pattern names literally.
    pub(crate) partitions: Vec<String>,
}

/// Every statement the search must consider: the policies' and the property's own.
fn statements(set: &PolicySet) -> Vec<&Statement> {
    set.iter()
        .flat_map(|(_, p): (_, &Policy)| p.statements.iter())
        .collect()
}

/// Drops repeats, keeping the first of each in order (callers rely on the order:
/// the last mentioned account is the one unnamed callers come from).
pub(crate) fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

impl<'a> Prover<'a> {
    pub(crate) fn new(
        policies: &'a PolicySet,
        property: &'a Property,
        goal: Goal<'a>,
        limits: &'a Limits,
        catalog: &'a Catalog,
    ) -> Self {
        Prover {
            policies,
            property,
            goal,
            limits,
            catalog,
            started: Instant::now(),
            evaluated: 0,
            witnesses: Vec::new(),
            outside_account: String::new(),
            unreached_account: String::new(),
            named: BTreeSet::new(),
            fixing: Vec::new(),
            restricted_to: BTreeSet::new(),
            partitions: Vec::new(),
            members: 0,
            features: HashMap::new(),
            class_accounts: HashMap::new(),
        }
    }

    /// Every statement whose match can change the answer, with what its match
    /// contributes: the set it belongs to (0 the policies, 1 the old set of a diff,
    /// 2 the property) and its policy.
    pub(crate) fn tagged(&self) -> Vec<Tagged<'a>> {
        let mut out = Vec::new();
        let mut add = |set: &'a PolicySet, tag: u8| {
            let has_boundary = !set.boundary.is_empty();
            for (policy, p) in set.iter() {
                for statement in &p.statements {
                    out.push(Tagged {
                        statement,
                        set: tag,
                        policy: Some(policy),
                        has_boundary,
                    });
                }
            }
        };
        add(self.policies, 0);
        if let Goal::NewAccess { old } = self.goal {
            add(old, 1);
        }
        out.push(Tagged {
            statement: &self.property.request,
            set: 2,
            policy: None,
            has_boundary: false,
        });
        out
    }

    /// Every statement the classes are cut by: the policies', the other set's
    /// (for a diff) and the property's.
    pub(crate) fn all_statements(&self) -> Vec<&'a Statement> {
        let mut all = statements(self.policies);
        if let Goal::NewAccess { old } = self.goal {
            all.extend(statements(old));
        }
        all.push(&self.property.request);
        all
    }

    pub(crate) fn check_budget(&self) -> Found<()> {
        if self.started.elapsed() > self.limits.time_budget {
            return Err(Unknown(format!(
                "unknown (too large): the time budget of {:?} ran out",
                self.limits.time_budget
            )));
        }
        if self.evaluated > self.limits.max_candidates {
            return Err(Unknown(format!(
                "unknown (too large): more than {} candidate requests",
                self.limits.max_candidates
            )));
        }
        Ok(())
    }

    /// The interned id of a contribution.
    pub(crate) fn feature(&mut self, name: String) -> u32 {
        let next = self.features.len() as u32;
        *self.features.entry(name).or_insert(next)
    }

    /// Checks one request against the goal: `Some` ends the search.
    pub(crate) fn consider(&mut self, request: Request) -> Found<Option<Answer>> {
        if !matches!(
            self.property.request.evaluate(&request, false),
            StatementOutcome::Matched(_)
        ) {
            return Ok(None);
        }
        self.members += 1;
        let decision = self.policies.evaluate(&request);
        match self.goal {
            Goal::Property => {}
            Goal::NewAccess { old } => {
                if decision == Decision::Allow && old.evaluate(&request) != Decision::Allow {
                    self.witnesses.push(request);
                    // One witness per principal, action class and resource class.
                    return Ok(self.enough());
                }
                return Ok(None);
            }
            Goal::Public => {
                if decision != Decision::Allow {
                    return Ok(None);
                }
                // sts:GetCallerIdentity is allowed to everyone authenticated whatever
                // the policy says (spec §4.5): no access the policy opens.
                let (service, name) = request.action_parts_lower();
                if veto_iam::special::special_action(service, name) == veto_iam::SpecialAction::NoPermissionNeeded {
                    return Ok(None);
                }
                // Anonymous callers and service principals stand for anyone; an
                // IAM principal of an account no literal names, for every account.
                let outsider = match request.caller().account() {
                    None => true,
                    Some(a) => !self.named.contains(a),
                };
                let fixed = self.fixed_values(&request);
                if outsider && fixed.is_empty() {
                    self.witnesses.push(request);
                    return Ok(self.enough());
                }
                if self.restricted_to.len() < MAX_WITNESSES {
                    match (fixed.is_empty(), request.caller().account()) {
                        (false, _) => {
                            self.restricted_to.insert(fixed.join(" and "));
                        }
                        (true, Some(a)) => {
                            let mut members = vec![a.to_string()];
                            members.extend(self.class_accounts.get(a).into_iter().flatten().cloned());
                            for m in members {
                                if self.restricted_to.len() < MAX_WITNESSES {
                                    self.restricted_to.insert(format!("callers of account {m}"));
                                }
                            }
                        }
                        (true, None) => {
                            self.restricted_to.insert(request.caller().to_text());
                        }
                    }
                }
                return Ok(None);
            }
        }
        let accepted = self.property.decisions.contains(&decision);
        let found = match self.property.quantifier {
            Quantifier::Every if !accepted => Some((Verdict::Fails, "this request gets")),
            Quantifier::Some if accepted => Some((Verdict::Holds, "this request gets")),
            _ => None,
        };
        if let Some((verdict, why)) = found {
            return Ok(Some(Answer {
                verdict,
                reason: format!("{why} {decision}"),
                request: Some(request),
                decision: Some(decision),
                evaluated: 0,
                witnesses: Vec::new(),
                restricted_to: Vec::new(),
            }));
        }
        Ok(None)
    }

    /// The restricting keys of `request` whose value a policy fixes, as `key=value`.
    fn fixed_values(&self, request: &Request) -> Vec<String> {
        let mut out = Vec::new();
        for (key, patterns) in &self.fixing {
            let values: Vec<&str> = match request.context().get_lower(key) {
                Some(ContextValue::Single(v)) => vec![v.as_str()],
                Some(ContextValue::Multi(v)) => v.iter().map(String::as_str).collect(),
                None => continue,
            };
            for v in values {
                if patterns.iter().any(|p| p.matches(v)) {
                    out.push(format!("{}={v}", self.key_spelling(key)));
                }
            }
        }
        out
    }

    /// Stops the whole search once enough witnesses are in; else moves on.
    fn enough(&self) -> Option<Answer> {
        (self.witnesses.len() >= MAX_WITNESSES).then(|| Answer {
            verdict: Verdict::Holds,
            request: self.witnesses.first().cloned(),
            decision: Some(Decision::Allow),
            reason: format!("at least {MAX_WITNESSES} kinds of request are allowed"),
            evaluated: 0,
            witnesses: Vec::new(),
            restricted_to: Vec::new(),
        })
    }

    /// The catalog's spelling of a key (context keys ignore case, but returned
    /// requests read better spelt as AWS does).
    pub(crate) fn key_spelling(&self, key_lower: &str) -> String {
        match self.catalog.key(key_lower) {
            Some(k) if !k.has_placeholder() && k.name.eq_ignore_ascii_case(key_lower) => k.name.to_string(),
            _ => key_lower.to_string(),
        }
    }
}
