//! The search: candidate requests over the classes, keys that no statement
//! ties together searched independently, and the final answer.

use crate::answer::{Answer, Quantifier, Verdict};
use crate::classes::principals::{fixing_patterns, fresh_account, mentioned_accounts, named_accounts};
use crate::prover::{dedup, Found, Goal, Prover, Tagged, Unknown, ALWAYS_PRESENT, CALLER_VARIABLES, TIME};
use crate::{derived, values};
use std::collections::{BTreeSet, HashMap};
use veto_iam::condition::{StringValue, ValueTest};
use veto_iam::policy::Statement;
use veto_iam::template::{GlobValue, TextValue};
use veto_iam::{Context, ContextValue, Decision, Request, StatementOutcome};

/// One point of the principal × action × resource × account product: the
/// part of a candidate request that `search` holds fixed while it walks the
/// key classes.
struct Site<'x> {
    principal: &'x str,
    action: &'x str,
    resource: &'x str,
    account: &'x str,
}

/// Per context key (or [`TIME`]), the values to try: one per class, `None` for absent.
type KeyOptions = (String, Vec<Option<ContextValue>>);

impl<'a> Prover<'a> {
    /// Runs the whole search and packages its result with the counts and
    /// witnesses gathered on the way (what every entry point in `api` returns).
    pub(crate) fn answer(mut self) -> Answer {
        let result = self.run();
        let witnesses = std::mem::take(&mut self.witnesses);
        let restricted_to: Vec<String> = std::mem::take(&mut self.restricted_to).into_iter().collect();
        match result {
            Ok(answer) => Answer {
                evaluated: self.evaluated,
                witnesses,
                restricted_to,
                ..answer
            },
            Err(Unknown(reason)) => Answer {
                verdict: Verdict::Unknown,
                request: None,
                decision: None,
                reason,
                evaluated: self.evaluated,
                witnesses,
                restricted_to,
            },
        }
    }

    fn run(&mut self) -> Found<Answer> {
        let all: Vec<&Statement> = self.all_statements();
        let condition_count: usize = all.iter().map(|s| s.conditions.len()).sum();
        if all.len() > self.limits.max_statements || condition_count > self.limits.max_conditions {
            return Err(Unknown(format!(
                "unknown (too large): {} statements and {condition_count} conditions exceed the prover's limits ({} and {})",
                all.len(),
                self.limits.max_statements,
                self.limits.max_conditions
            )));
        }
        self.refuse_variables(&all)?;
        let mentioned = mentioned_accounts(&all, None);
        self.outside_account = mentioned.last().cloned().unwrap_or_default();
        self.unreached_account = fresh_account(&mentioned);
        self.named = named_accounts(&all);
        self.fixing = fixing_patterns(&all);
        self.partitions = vec!["aws".to_string()];
        for s in &all {
            for p in s.resource.iter().flat_map(|r| r.patterns.iter()) {
                if let Some(partition) = p
                    .text
                    .split(':')
                    .nth(1)
                    .filter(|f| !f.is_empty() && !f.contains(['*', '?', '$']))
                {
                    self.partitions.push(partition.to_string());
                }
            }
        }
        dedup(&mut self.partitions);
        let has_boundary = !self.policies.boundary.is_empty();

        let tagged = self.tagged();
        let keys = self.key_conditions(&all)?;
        let principals = self.principals(&all, &keys)?;
        let accounts = self.accounts(&all);
        let resource_atoms = self.resource_atoms(&tagged, &principals);
        let action_groups = self.action_groups(&all, &resource_atoms)?;
        let mut domains: HashMap<String, Vec<Option<ContextValue>>> = HashMap::new();
        let instants = self.instants(&keys)?;
        let pairs = self.caller_classes(&tagged, &principals, &accounts, &keys);

        for group in &action_groups {
            let (service, action) = group.representative;
            let resources = &group.resources;
            let action_name = format!("{}:{}", service.prefix, action.name);
            // Only statements whose Action admits this action can match here.
            let (prefix, name) = (service.prefix.to_ascii_lowercase(), action.name.to_ascii_lowercase());
            let acts = |s: &Statement| {
                s.action
                    .patterns
                    .iter()
                    .any(|p| p.matcher.matches((prefix.as_str(), name.as_str())))
                    != s.action.negated
            };
            let here: Vec<&Statement> = all.iter().copied().filter(|s| acts(s)).collect();
            let tagged_here: Vec<Tagged> = tagged.iter().filter(|t| acts(t.statement)).cloned().collect();
            for resource in resources {
                for (principal, account) in &pairs {
                    let (principal, account) = (principal.as_str(), account.as_str());
                    self.check_budget()?;
                    let probe = Request::new(principal, &action_name, resource, Some(account), Context::new())
                        .map_err(|e| Unknown(format!("internal: built an invalid request: {e}")))?;
                    // Statements still alive here, before conditions.
                    // A resource with a variable cannot be judged without the
                    // variable's key: such a statement counts as alive.
                    let dynamic = has_dynamic_resource;
                    let alive = |s: &&Statement| !dead_before_conditions(s.evaluate(&probe, has_boundary), dynamic(s));
                    // Membership of the property's set never depends on boundaries:
                    // its NotPrincipal lists whom the property is about.
                    let member_possible = !dead_before_conditions(
                        self.property.request.evaluate(&probe, false),
                        has_dynamic_resource(&self.property.request),
                    );
                    if !member_possible {
                        continue;
                    }
                    let mut relevant: BTreeSet<String> = BTreeSet::new();
                    // The keys of resource variables must be in the request (a
                    // statement whose variable is missing looks dead without them).
                    for s in &here {
                        for p in s.resource.iter().flat_map(|r| r.patterns.iter()) {
                            if let GlobValue::Dynamic(t) = &p.matcher {
                                relevant.extend(t.variables().map(str::to_string));
                            }
                        }
                    }
                    for s in here.iter().filter(|s| alive(s)) {
                        for c in &s.conditions {
                            relevant.insert(c.key_lower.clone());
                        }
                    }
                    let relevant: Vec<String> = relevant
                        .into_iter()
                        .filter(|k| !ALWAYS_PRESENT[1..].contains(&k.as_str()))
                        .filter(|k| k == "aws:securetransport" || self.catalog.key_applies(service, action, k))
                        .collect();
                    let caller = probe.caller().clone();
                    let mut options: Vec<KeyOptions> = Vec::new();
                    for key in &relevant {
                        // Keys that follow from the caller are fixed or restricted by it.
                        let derivation = derived::derivation(key, &caller, probe.resource_account());
                        if let Some(derived::Derivation::Fixed(v)) = derivation {
                            options.push((key.clone(), vec![v]));
                            continue;
                        }
                        if !domains.contains_key(key) {
                            let d = self.domain(key, &keys[key])?;
                            domains.insert(key.clone(), d);
                        }
                        let mut values = domains[key].clone();
                        if let Some(derived::Derivation::Free { may_be_absent: false }) = derivation {
                            values.retain(Option::is_some);
                        }
                        options.push((key.clone(), values));
                    }
                    if relevant_time(&here, &probe, has_boundary) {
                        let times = instants
                            .iter()
                            .map(|t| Some(ContextValue::Single(t.to_string())))
                            .collect();
                        options.push((TIME.to_string(), times));
                    } else {
                        options.push((
                            TIME.to_string(),
                            vec![Some(ContextValue::Single(instants[0].to_string()))],
                        ));
                    }
                    let site = Site {
                        principal,
                        action: &action_name,
                        resource,
                        account,
                    };
                    if let Some(answer) = self.search(&site, &tagged_here, &options)? {
                        return Ok(answer);
                    }
                }
            }
        }
        if !matches!(self.goal, Goal::Property) {
            let found = !self.witnesses.is_empty();
            return Ok(Answer {
                verdict: if found { Verdict::Holds } else { Verdict::Fails },
                request: self.witnesses.first().cloned(),
                decision: found.then_some(Decision::Allow),
                reason: match (&self.goal, found) {
                    (Goal::NewAccess { .. }, true) => {
                        format!("{} kinds of request are newly allowed", self.witnesses.len())
                    }
                    (Goal::NewAccess { .. }, false) => "no request is newly allowed".into(),
                    (_, true) => "anonymous callers or principals of any account are allowed".into(),
                    (_, false) if !self.restricted_to.is_empty() => format!(
                        "access is restricted: only {} can get in",
                        self.restricted_to.iter().cloned().collect::<Vec<_>>().join("; ")
                    ),
                    (_, false) => "neither anonymous callers nor principals of other accounts are allowed".into(),
                },
                evaluated: 0,
                witnesses: Vec::new(),
                restricted_to: Vec::new(),
            });
        }
        if self.members == 0 {
            return Ok(Answer {
                verdict: Verdict::Empty,
                request: None,
                decision: None,
                reason: "the property's request set is empty: no request AWS could send fits its Principal, Action, Resource and Condition together".into(),
                evaluated: 0,
                witnesses: Vec::new(),
                restricted_to: Vec::new(),
            });
        }
        Ok(match self.property.quantifier {
            Quantifier::Every => Answer {
                verdict: Verdict::Holds,
                request: None,
                decision: None,
                reason: format!("every request in the set gets {}", names(&self.property.decisions)),
                evaluated: 0,
                witnesses: Vec::new(),
                restricted_to: Vec::new(),
            },
            Quantifier::Some => Answer {
                verdict: Verdict::Fails,
                request: None,
                decision: None,
                reason: format!("no request in the set gets {}", names(&self.property.decisions)),
                evaluated: 0,
                witnesses: Vec::new(),
                restricted_to: Vec::new(),
            },
        })
    }

    /// Searches the key classes of one (principal, action, resource, account).
    ///
    /// Keys that no live statement ties together are independent: they fall into
    /// components (a union-find over the keys of each statement), each component's
    /// combinations are walked on their own, and only the distinct *contributions*
    /// of a component matter: which policies' Allow or Deny statements match (with
    /// the strength that names the caller), whether the property's own statement
    /// matches, and (for public access) which fixing values are hit. The decision
    /// depends on the statements only through these, so the product over
    /// components collapses into the set of reachable unions, which stays small
    /// (bounded by the subsets of a few contributions), and one request per union
    /// is evaluated by the evaluator itself.
    fn search(&mut self, site: &Site, tagged: &[Tagged], options: &[KeyOptions]) -> Found<Option<Answer>> {
        let build = |this: &Self, choice: &[usize]| -> Found<Request> {
            let mut context = Context::new();
            if !options.iter().any(|(k, _)| k == "aws:securetransport") {
                context = context.with("aws:SecureTransport", ContextValue::Single("true".into()));
            }
            for ((key, values), &i) in options.iter().zip(choice) {
                match (&values[i], key.as_str()) {
                    (Some(ContextValue::Single(t)), TIME) => {
                        let t: i128 = t.parse().unwrap_or(0);
                        context = context
                            .with("aws:CurrentTime", ContextValue::Single(values::iso(t)))
                            .with("aws:EpochTime", ContextValue::Single(t.to_string()));
                    }
                    (Some(v), _) => context = context.with(this.key_spelling(key), v.clone()),
                    (None, _) => {}
                }
            }
            Request::new(site.principal, site.action, site.resource, Some(site.account), context)
                .map_err(|e| Unknown(format!("internal: built an invalid request: {e}")))
        };
        let base_choice = vec![0usize; options.len()];
        let base = build(self, &base_choice)?;
        // Live statements and the option keys each one reads.
        let index_of: HashMap<&str, usize> = options.iter().enumerate().map(|(i, (k, _))| (k.as_str(), i)).collect();
        let mut live: Vec<(&Tagged, Vec<usize>)> = Vec::new();
        for t in tagged {
            if matches!(
                t.statement.evaluate(&base, t.has_boundary),
                StatementOutcome::NotMatched(e) if !matches!(e, veto_iam::Element::Condition(_))
            ) {
                continue;
            }
            let mut reads: Vec<usize> = t
                .statement
                .conditions
                .iter()
                .filter_map(|c| {
                    let key = if ALWAYS_PRESENT[1..].contains(&c.key_lower.as_str()) {
                        TIME
                    } else {
                        c.key_lower.as_str()
                    };
                    index_of.get(key).copied()
                })
                .collect();
            reads.sort_unstable();
            reads.dedup();
            live.push((t, reads));
        }
        // Union-find over option indices.
        let mut parent: Vec<usize> = (0..options.len()).collect();
        fn root(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        for (_, reads) in &live {
            for w in reads.windows(2) {
                let (a, b) = (root(&mut parent, w[0]), root(&mut parent, w[1]));
                parent[a] = b;
            }
        }
        let mut components: Vec<(Vec<usize>, Vec<usize>)> = Vec::new(); // (keys, live statements)
        let mut component_of: HashMap<usize, usize> = HashMap::new();
        for i in 0..options.len() {
            let r = root(&mut parent, i);
            let c = *component_of.entry(r).or_insert_with(|| {
                components.push((Vec::new(), Vec::new()));
                components.len() - 1
            });
            components[c].0.push(i);
        }
        let mut constant: Vec<usize> = Vec::new();
        for (n, (_, reads)) in live.iter().enumerate() {
            match reads.first() {
                Some(&k) => {
                    let r = root(&mut parent, k);
                    components[component_of[&r]].1.push(n);
                }
                None => constant.push(n),
            }
        }
        let public = matches!(self.goal, Goal::Public);
        // What one request contributes through `statements` and the keys `keys`.
        let contributions = |this: &mut Self, request: &Request, statements: &[usize], keys: &[usize]| {
            let mut out: Vec<u32> = Vec::new();
            for &n in statements {
                let (t, _) = &live[n];
                if let StatementOutcome::Matched(strength) = t.statement.evaluate(request, t.has_boundary) {
                    let name = format!("{}|{:?}|{:?}|{:?}", t.set, t.policy, t.statement.effect, strength);
                    out.push(this.feature(name));
                }
            }
            if public {
                for &k in keys {
                    let key = options[k].0.as_str();
                    if let Some((_, patterns)) = this.fixing.iter().find(|(f, _)| f == key) {
                        let value = match request.context().get_lower(key) {
                            Some(ContextValue::Single(v)) => vec![v.clone()],
                            Some(ContextValue::Multi(v)) => v.clone(),
                            None => vec![],
                        };
                        let hits: Vec<usize> = (0..patterns.len())
                            .filter(|&j| value.iter().any(|v| patterns[j].matches(v)))
                            .collect();
                        for j in hits {
                            out.push(this.feature(format!("fix|{key}|{j}")));
                        }
                    }
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        };
        // Reachable unions of contributions, each with one full choice.
        let start = contributions(self, &base, &constant, &[]);
        let mut reachable: Vec<(Vec<u32>, Vec<usize>)> = vec![(start, base_choice.clone())];
        for (keys, statements) in &components {
            // The component's own distinct contributions.
            let mut mine: Vec<(Vec<u32>, Vec<usize>)> = Vec::new();
            let mut seen: HashMap<Vec<u32>, ()> = HashMap::new();
            let mut local = vec![0usize; keys.len()];
            loop {
                self.evaluated += 1;
                if self.evaluated % 4096 == 0 {
                    self.check_budget()?;
                }
                let mut choice = base_choice.clone();
                for (&k, &v) in keys.iter().zip(&local) {
                    choice[k] = v;
                }
                let request = build(self, &choice)?;
                let got = contributions(self, &request, statements, keys);
                if seen.insert(got.clone(), ()).is_none() {
                    mine.push((got, local.clone()));
                }
                let mut i = 0;
                loop {
                    if i == keys.len() {
                        break;
                    }
                    local[i] += 1;
                    if local[i] < options[keys[i]].1.len() {
                        break;
                    }
                    local[i] = 0;
                    i += 1;
                }
                if i == keys.len() {
                    break;
                }
            }
            let mut next: Vec<(Vec<u32>, Vec<usize>)> = Vec::new();
            let mut index: HashMap<Vec<u32>, ()> = HashMap::new();
            for (have, choice) in &reachable {
                for (add, local) in &mine {
                    let mut union = have.clone();
                    union.extend(add.iter().copied());
                    union.sort_unstable();
                    union.dedup();
                    if index.insert(union.clone(), ()).is_none() {
                        let mut c = choice.clone();
                        for (&k, &v) in keys.iter().zip(local) {
                            c[k] = v;
                        }
                        next.push((union, c));
                    }
                }
            }
            reachable = next;
            self.check_budget()?;
        }
        for (_, choice) in reachable {
            self.evaluated += 1;
            let request = build(self, &choice)?;
            if let Some(answer) = self.consider(request)? {
                return Ok(Some(answer));
            }
        }
        Ok(None)
    }

    fn refuse_variables(&self, all: &[&Statement]) -> Found<()> {
        for s in all {
            if let Some(r) = &s.resource {
                // Variables of keys the caller fixes (`${aws:username}` home folders)
                // are decided: each caller's resource pattern is instantiated.
                let undecided = |p: &&veto_iam::policy::ResourcePattern| match &p.matcher {
                    GlobValue::Dynamic(t) => t.variables().any(|v| !CALLER_VARIABLES.contains(&v)),
                    GlobValue::Static(_) => false,
                };
                if let Some(p) = r.patterns.iter().find(undecided) {
                    return Err(Unknown(format!(
                        "unknown: `{}` holds a policy variable of a key the caller does not fix, which ties the resource to a context key; the prover decides resources and keys separately",
                        p.text
                    )));
                }
            }
            for c in &s.conditions {
                let dynamic = match &c.matcher.test {
                    ValueTest::String { values, .. } => values.iter().any(|v| {
                        matches!(
                            v,
                            StringValue::Text(TextValue::Dynamic(_)) | StringValue::Pattern(GlobValue::Dynamic(_))
                        )
                    }),
                    ValueTest::Arn(values) => values.iter().any(|v| matches!(v, GlobValue::Dynamic(_))),
                    _ => false,
                };
                if dynamic {
                    return Err(Unknown(format!(
                        "unknown: the condition on `{}` compares with a policy variable, which ties two keys together",
                        c.key
                    )));
                }
            }
        }
        Ok(())
    }
}

/// Whether a live statement compares the time keys (then every instant class is tried).
fn relevant_time(all: &[&Statement], probe: &Request, has_boundary: bool) -> bool {
    all.iter().any(|s| {
        s.conditions
            .iter()
            .any(|c| ALWAYS_PRESENT[1..].contains(&c.key_lower.as_str()))
            && !dead_before_conditions(s.evaluate(probe, has_boundary), has_dynamic_resource(s))
    })
}

/// Did a statement fail on Principal, Action or Resource (not on a condition)?
/// A resource holding a variable cannot be judged before the variable's key is
/// in the request, so with `dynamic` a Resource miss does not count.
fn dead_before_conditions(outcome: StatementOutcome, dynamic: bool) -> bool {
    use veto_iam::Element;
    match outcome {
        StatementOutcome::Matched(_) | StatementOutcome::NotMatched(Element::Condition(_)) => false,
        StatementOutcome::NotMatched(Element::Resource | Element::NotResource) => !dynamic,
        StatementOutcome::NotMatched(_) => true,
    }
}

/// Does a Resource or NotResource entry hold a policy variable?
fn has_dynamic_resource(s: &Statement) -> bool {
    s.resource
        .iter()
        .flat_map(|r| r.patterns.iter())
        .any(|p| matches!(p.matcher, GlobValue::Dynamic(_)))
}

fn names(decisions: &[Decision]) -> String {
    let n: Vec<&str> = decisions.iter().map(|d| d.as_str()).collect();
    n.join(" or ")
}
