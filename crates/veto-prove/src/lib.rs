//! Proofs about IAM policies.
//!
//! A property says: for **every** request in a described set the decision is in
//! an accepted set (or: **some** request's is). [`prove`] answers `holds`,
//! `fails` with a concrete request, `unknown` with the reason, or `empty` when the
//! set holds no request AWS could send.
//!
//! The method: the literals and patterns the policies and the property mention cut
//! each dimension of a request into finitely many classes — principals by the
//! entries that name them, actions by the patterns they match (over the AWS
//! catalog), resources and string values by the combinations of conditions a
//! string can satisfy (a product automaton, [`automaton`]), numbers, dates and
//! IP addresses by the intervals their constants make ([`values`]), booleans by
//! value, and absence on its own. Keys derived from the caller follow from it
//! ([`derived`]), so only requests AWS could send are searched. One witness per
//! class covers the class. Dimensions no statement ties together are searched
//! independently (components of keys combined by what they contribute to the
//! decision; callers by class), and every candidate is evaluated with the real
//! evaluator: a returned request always replays to the claimed decision.

pub mod automaton;
pub mod derived;
pub mod property;
pub mod values;

use automaton::{CharPattern, Sym};
use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};
use veto_catalog::{Action, Catalog, KeyShape, KeyType, Service};
use veto_iam::condition::{StringValue, ValueTest};
use veto_iam::operator::OperatorFamily;
use veto_iam::policy::{Condition, PrincipalKind, Statement};
use veto_iam::template::{GlobValue, TextValue};
use veto_iam::wildcard::Atom;
use veto_iam::{Caller, Context, ContextValue, Decision, Policy, PolicySet, Request, StatementOutcome};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    Every,
    Some,
}

/// A property: a set of requests described like an IAM statement, and the
/// decisions accepted for them.
#[derive(Debug, Clone)]
pub struct Property {
    pub quantifier: Quantifier,
    /// The request set: its Principal/NotPrincipal, Action/NotAction,
    /// Resource/NotResource and Condition (an element left out is unconstrained).
    pub request: Statement,
    pub resource_account: Option<String>,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    Fails,
    Unknown,
    /// The property's request set holds no request AWS could send: a vacuous
    /// `holds` would say nothing, so this is an input error.
    Empty,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Unknown => "unknown",
            Verdict::Empty => "empty",
        }
    }
}

/// The answer, with the counterexample or witness request and its decision.
#[derive(Debug, Clone)]
pub struct Answer {
    pub verdict: Verdict,
    pub request: Option<Request>,
    pub decision: Option<Decision>,
    pub reason: String,
    /// How many candidate requests were evaluated.
    pub evaluated: usize,
    /// For diff and public access: every witness found (distinct principal,
    /// action and resource), the first of which is `request`.
    pub witnesses: Vec<Request>,
    /// For public access: who can get in when not everyone can: the fixed
    /// values of restricting keys (an org, a VPC endpoint…) or the named
    /// accounts whose callers are allowed.
    pub restricted_to: Vec<String>,
}

/// Bounds on the work the prover takes on before it answers `unknown`.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_statements: usize,
    pub max_conditions: usize,
    /// Candidate requests evaluated, in all.
    pub max_candidates: usize,
    /// States of one product automaton.
    pub max_automaton_states: usize,
    pub time_budget: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_statements: 5_000,
            max_conditions: 20_000,
            max_candidates: 2_000_000,
            max_automaton_states: 200_000,
            time_budget: Duration::from_secs(10),
        }
    }
}

const ALWAYS_PRESENT: [&str; 3] = ["aws:securetransport", "aws:currenttime", "aws:epochtime"];

struct Unknown(String);

/// Policy variables in resources that the prover decides: keys whose value the
/// caller fixes (absent for callers without one), see [`derived`].
const CALLER_VARIABLES: [&str; 4] = [
    "aws:username",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:principaltype",
];

/// The option that stands for the instant (both time keys, which agree).
const TIME: &str = "@time";

/// A statement and what its match contributes to the decision.
#[derive(Clone)]
struct Tagged<'s> {
    statement: &'s Statement,
    set: u8,
    policy: Option<veto_iam::PolicyRef>,
    has_boundary: bool,
}

type Found<T> = Result<T, Unknown>;

/// Proves `property` of `policies` against the embedded catalog.
pub fn prove(policies: &PolicySet, property: &Property, limits: &Limits) -> Answer {
    prove_with(policies, property, limits, veto_catalog::catalog())
}

pub fn prove_with(policies: &PolicySet, property: &Property, limits: &Limits, catalog: &Catalog) -> Answer {
    Prover::new(policies, property, Goal::Property, limits, catalog).answer()
}

/// New access: requests `new` allows and `old` does not (Access Analyzer's
/// CheckNoNewAccess, offline). `holds` means there is new access, with witnesses.
pub fn new_access(old: &PolicySet, new: &PolicySet, limits: &Limits) -> Answer {
    let everything = everything();
    Prover::new(
        new,
        &everything,
        Goal::NewAccess { old },
        limits,
        veto_catalog::catalog(),
    )
    .answer()
}

/// Public access: does the set allow anything to anonymous callers or to a
/// principal of an account no policy names? Callers of other accounts are taken
/// to have identity policies that allow everything (their account decides them).
pub fn public_access(resource_policy: &Policy, limits: &Limits) -> Answer {
    let allow_all =
        Policy::parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
            .expect("a fixed policy parses");
    let set = PolicySet {
        resource: Some(resource_policy.clone()),
        identity: vec![allow_all],
        ..PolicySet::default()
    };
    let everything = everything();
    Prover::new(&set, &everything, Goal::Public, limits, veto_catalog::catalog()).answer()
}

/// The property "some request is allowed", over every request.
fn everything() -> Property {
    let policy = Policy::parse(r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#)
        .expect("a fixed policy parses");
    Property {
        quantifier: Quantifier::Some,
        request: policy.statements.into_iter().next().expect("one statement"),
        resource_account: None,
        decisions: vec![Decision::Allow],
    }
}

/// What the search looks for.
enum Goal<'a> {
    Property,
    NewAccess { old: &'a PolicySet },
    Public,
}

/// At most this many witnesses are collected for diff and public access.
const MAX_WITNESSES: usize = 20;

struct Prover<'a> {
    policies: &'a PolicySet,
    property: &'a Property,
    goal: Goal<'a>,
    limits: &'a Limits,
    catalog: &'a Catalog,
    started: Instant,
    evaluated: usize,
    witnesses: Vec<Request>,
    /// The account no policy names that unnamed callers come from.
    outside_account: String,
    /// An account no policy names and no caller is in: a resource there is
    /// reached only cross-account.
    unreached_account: String,
    /// Every account a literal names (public access: callers elsewhere are "any account").
    named: BTreeSet<String>,
    /// Public access: per restricting key, the patterns that fix its value.
    fixing: Vec<(String, Vec<CharPattern>)>,
    restricted_to: BTreeSet<String>,
    /// Candidate requests found inside the property's set.
    members: usize,
    /// Interned contributions of matching statements (see `search`).
    features: HashMap<String, u32>,
    /// Per representative caller account, the other accounts of its class.
    class_accounts: HashMap<String, Vec<String>>,
    /// `aws` and every partition a resource pattern names literally.
    partitions: Vec<String>,
}

/// Every statement the search must consider: the policies' and the property's own.
fn statements(set: &PolicySet) -> Vec<&Statement> {
    set.iter()
        .flat_map(|(_, p): (_, &Policy)| p.statements.iter())
        .collect()
}

fn atoms_to_pattern(atoms: &[Atom], arn_fields: bool) -> CharPattern {
    // `ArnLike` bounds wildcards by fields only up to the pattern's own last colon
    // (at most five): a pattern with fewer fields lets its last field take the rest.
    let fields = atoms.iter().filter(|a| **a == Atom::Byte(b':')).count().min(5);
    let mut syms = Vec::new();
    let mut bytes = Vec::new();
    let mut colons = 0;
    let flush = |bytes: &mut Vec<u8>, syms: &mut Vec<Sym>, colons: &mut usize| {
        for c in String::from_utf8_lossy(bytes).chars() {
            if c == ':' {
                *colons += 1;
            }
            syms.push(Sym::Char(c));
        }
        bytes.clear();
    };
    for a in atoms {
        match a {
            Atom::Byte(b) => bytes.push(*b),
            Atom::AnyRun | Atom::AnyChar => {
                flush(&mut bytes, &mut syms, &mut colons);
                let in_field = arn_fields && colons < fields;
                syms.push(match (a, in_field) {
                    (Atom::AnyRun, true) => Sym::FieldRun,
                    (Atom::AnyRun, false) => Sym::AnyRun,
                    (_, true) => Sym::FieldChar,
                    _ => Sym::AnyChar,
                });
            }
        }
    }
    flush(&mut bytes, &mut syms, &mut colons);
    CharPattern::from_syms(syms)
}

/// An ARN format as a pattern: the partition is `partition`; region, account and
/// bucket names are one segment without `/` or `:`; other placeholders are any
/// non-empty text.
fn format_pattern(format: &str, partition: &str) -> CharPattern {
    let mut syms = Vec::new();
    let mut rest = format;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                match &after[..end] {
                    "Partition" => syms.extend(partition.chars().map(Sym::Char)),
                    "Region" | "Account" | "BucketName" => syms.extend([Sym::SegmentChar, Sym::SegmentRun]),
                    _ => syms.extend([Sym::AnyChar, Sym::AnyRun]),
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        syms.push(Sym::Char(c));
        rest = &rest[c.len_utf8()..];
    }
    CharPattern::from_syms(syms)
}

fn account_of_arn(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| veto_source::is_account_id(a))
}

impl<'a> Prover<'a> {
    fn new(
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

    fn answer(mut self) -> Answer {
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

    /// Every statement whose match can change the answer, with what its match
    /// contributes: the set it belongs to (0 the policies, 1 the old set of a diff,
    /// 2 the property) and its policy.
    fn tagged(&self) -> Vec<Tagged<'a>> {
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
    fn all_statements(&self) -> Vec<&'a Statement> {
        let mut all = statements(self.policies);
        if let Goal::NewAccess { old } = self.goal {
            all.extend(statements(old));
        }
        all.push(&self.property.request);
        all
    }

    fn check_budget(&self) -> Found<()> {
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
                    {
                        let (principal, account) = (principal.as_str(), account.as_str());
                        self.check_budget()?;
                        let probe = Request::new(principal, &action_name, resource, Some(account), Context::new())
                            .map_err(|e| Unknown(format!("internal: built an invalid request: {e}")))?;
                        // Statements still alive here, before conditions.
                        // A resource with a variable cannot be judged without the
                        // variable's key: such a statement counts as alive.
                        let dynamic = has_dynamic_resource;
                        let alive =
                            |s: &&Statement| !dead_before_conditions(s.evaluate(&probe, has_boundary), dynamic(s));
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
                        let mut options: Vec<(String, Vec<Option<ContextValue>>)> = Vec::new();
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
                        if let Some(answer) =
                            self.search(&tagged_here, principal, &action_name, resource, account, &options)?
                        {
                            return Ok(answer);
                        }
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
    #[allow(clippy::too_many_arguments)]
    fn search(
        &mut self,
        tagged: &[Tagged],
        principal: &str,
        action: &str,
        resource: &str,
        account: &str,
        options: &[(String, Vec<Option<ContextValue>>)],
    ) -> Found<Option<Answer>> {
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
            Request::new(principal, action, resource, Some(account), context)
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

    /// The interned id of a contribution.
    fn feature(&mut self, name: String) -> u32 {
        let next = self.features.len() as u32;
        *self.features.entry(name).or_insert(next)
    }

    /// Checks one request against the goal: `Some` ends the search.
    fn consider(&mut self, request: Request) -> Found<Option<Answer>> {
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
    fn key_spelling(&self, key_lower: &str) -> String {
        match self.catalog.key(key_lower) {
            Some(k) if !k.has_placeholder() && k.name.eq_ignore_ascii_case(key_lower) => k.name.to_string(),
            _ => key_lower.to_string(),
        }
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

    /// Conditions grouped by (lower-case) key.
    fn key_conditions<'s>(&self, all: &[&'s Statement]) -> Found<HashMap<String, Vec<&'s Condition>>> {
        let mut keys: HashMap<String, Vec<&Condition>> = HashMap::new();
        for s in all {
            for c in &s.conditions {
                keys.entry(c.key_lower.clone()).or_default().push(c);
            }
        }
        Ok(keys)
    }

    fn principals(&self, all: &[&Statement], keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<String>> {
        let mut out: Vec<String> = vec!["anonymous".into()];
        let mut users: Vec<String> = Vec::new();
        let mut roles: Vec<(String, String, String, String)> = Vec::new();
        let mut sessions: Vec<String> = Vec::new();
        let mut feds: Vec<String> = Vec::new();
        let mut services: Vec<String> = Vec::new();
        for s in all {
            for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
                match &e.kind {
                    PrincipalKind::Account { .. } => {}
                    PrincipalKind::User { arn } => {
                        users.push(arn.clone());
                    }
                    PrincipalKind::Role {
                        partition,
                        account,
                        name,
                        arn,
                    } => {
                        roles.push((partition.clone(), account.clone(), name.clone(), arn.clone()));
                    }
                    PrincipalKind::RoleSession { arn } => {
                        sessions.push(arn.clone());
                    }
                    PrincipalKind::FederatedUser { arn } => {
                        feds.push(arn.clone());
                    }
                    // `Federated` and `CanonicalUser` entries name a caller string equal
                    // to the entry (README), e.g. `cognito-identity.amazonaws.com`; the
                    // evaluator grants it, so the search must try it (spec §1.4, §2.6).
                    // Those `Caller::parse` rejects (SAML provider ARNs) are dropped below.
                    PrincipalKind::Service(s) | PrincipalKind::Federated(s) | PrincipalKind::CanonicalUser(s) => {
                        services.push(s.clone())
                    }
                    _ => {}
                }
            }
        }
        let accounts = mentioned_accounts(all, self.property.resource_account.as_deref());
        for a in &accounts {
            out.push(format!("arn:aws:sts::{a}:assumed-role/veto-role/veto-session"));
            out.push(format!("arn:aws:iam::{a}:user/veto-user"));
            out.push(format!("arn:aws:iam::{a}:root"));
            out.push(format!("arn:aws:sts::{a}:federated-user/veto-federated"));
        }
        for (partition, account, name, arn) in &roles {
            out.push(format!(
                "arn:{partition}:sts::{account}:assumed-role/{name}/veto-session"
            ));
            out.push(arn.clone());
        }
        // Callers whose derived keys fall in each class the conditions on them draw.
        out.extend(self.principal_arn_callers(all, keys)?);
        if let Some(conditions) = keys.get("aws:username") {
            let (patterns, groups) = string_patterns("aws:username", conditions)?;
            let domain = [CharPattern::from_syms(vec![Sym::SegmentChar, Sym::SegmentRun])];
            for name in self.class_witnesses("aws:username", &patterns, &groups, &domain, &[])? {
                for a in &accounts {
                    out.push(format!("arn:aws:iam::{a}:user/{name}"));
                }
            }
        }
        out.extend(users);
        out.extend(sessions);
        out.extend(feds);
        out.extend(services.iter().filter(|s| Caller::parse(s).is_ok()).cloned());
        out.push("veto-witness.amazonaws.com".into());
        dedup(&mut out);
        Ok(out)
    }

    /// The (caller, resource account) pairs to search, one per class of pairs the
    /// policies cannot tell apart: same kind of caller, same relation to the
    /// resource account, and the same matches of Principal elements counted by
    /// what they contribute (statements that differ only in Principal form one
    /// group). So 1,000 grants to 1,000 accounts are searched as one account.
    /// When a condition reads a key that names the caller or an account
    /// (`aws:PrincipalArn`, `aws:PrincipalAccount`…), every pair is its own class.
    fn caller_classes(
        &mut self,
        tagged: &[Tagged],
        principals: &[String],
        accounts: &[String],
        keys: &HashMap<String, Vec<&Condition>>,
    ) -> Vec<(String, String)> {
        const NAMING: [&str; 6] = [
            "aws:principalarn",
            "aws:principalaccount",
            "kms:calleraccount",
            "aws:username",
            "aws:userid",
            "aws:resourceaccount",
        ];
        let variables = tagged.iter().any(|t| {
            t.statement
                .resource
                .iter()
                .flat_map(|r| r.patterns.iter())
                .any(|p| matches!(p.matcher, GlobValue::Dynamic(_)))
        });
        let naming = variables || NAMING.iter().any(|k| keys.contains_key(*k));
        // Statements keyed by everything but their Principal.
        let mut group_ids: HashMap<String, usize> = HashMap::new();
        let groups: Vec<usize> = tagged
            .iter()
            .map(|t| {
                let s = t.statement;
                let conditions: Vec<String> = s
                    .conditions
                    .iter()
                    .map(|c| {
                        let values: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                        format!("{:?}|{}|{values:?}", c.operator, c.key_lower)
                    })
                    .collect();
                let key = format!(
                    "{}|{:?}|{:?}|{}|{:?}|{:?}|{conditions:?}",
                    t.set,
                    t.policy,
                    s.effect,
                    s.action.negated,
                    s.action.patterns.iter().map(|p| p.text.as_str()).collect::<Vec<_>>(),
                    s.resource.as_ref().map(|r| (
                        r.negated,
                        r.patterns.iter().map(|p| p.text.as_str()).collect::<Vec<_>>()
                    )),
                );
                let next = group_ids.len();
                *group_ids.entry(key).or_insert(next)
            })
            .collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut out: Vec<(String, String)> = Vec::new();
        for principal in principals {
            let Ok(caller) = Caller::parse(principal) else { continue };
            // The Principal matches depend on the caller alone.
            let mut matches: Vec<(usize, Option<veto_iam::Strength>)> = tagged
                .iter()
                .zip(&groups)
                .filter_map(|(t, &g)| {
                    let p = t.statement.principal.as_ref()?;
                    let has_boundary = if t.set == 2 { false } else { t.has_boundary };
                    Some((g, p.applies_to(&caller, has_boundary)))
                })
                .filter(|(_, strength)| strength.is_some())
                .collect();
            matches.sort();
            matches.dedup();
            // Unless a condition reads the resource's account, resource accounts
            // differ only as the caller's own or another: try the caller's own
            // and the first other one.
            let own = caller.account();
            let tried: Vec<&String> = if naming {
                accounts.iter().collect()
            } else {
                let mut t: Vec<&String> = accounts.iter().filter(|a| Some(a.as_str()) == own).take(1).collect();
                t.extend(accounts.iter().filter(|a| Some(a.as_str()) != own).take(1));
                t
            };
            for account in tried {
                let identity = match (&caller, naming) {
                    (_, true) | (Caller::Service(_), _) => principal.clone(),
                    (c, false) => format!("{:?}", std::mem::discriminant(c)),
                };
                let outsider = caller.account().is_some_and(|a| !self.named.contains(a));
                let signature = format!(
                    "{identity}|{:?}|{}|{outsider}|{matches:?}",
                    caller.partition(),
                    caller.account() == Some(account.as_str()),
                );
                match seen.get(&signature) {
                    Some(&i) => {
                        // Remember who else the representative stands for (public's report).
                        if let (Ok(rep), Some(member)) = (Caller::parse(&out[i].0), caller.account()) {
                            if let Some(rep) = rep.account() {
                                let members = self.class_accounts.entry(rep.to_string()).or_default();
                                if members.len() < MAX_WITNESSES && !members.iter().any(|m| m == member) {
                                    members.push(member.to_string());
                                }
                            }
                        }
                    }
                    None => {
                        seen.insert(signature, out.len());
                        out.push((principal.clone(), account.clone()));
                    }
                }
            }
        }
        out
    }

    /// One witness per class of `patterns` inside `domain`.
    fn class_witnesses(
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

    /// Callers for every class of `aws:PrincipalArn` values the conditions draw,
    /// split also by the Principal entries: the classes are walked inside the
    /// shapes a principal's ARN takes (root, user, role, federated user) in every
    /// account searched and every partition named, plus one more partition.
    fn principal_arn_callers(&self, all: &[&Statement], keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<String>> {
        let Some(conditions) = keys.get("aws:principalarn") else {
            return Ok(Vec::new());
        };
        let (mut patterns, mut groups) = string_patterns("aws:principalarn", conditions)?;
        let mut partitions: Vec<String> = vec!["aws".into()];
        for s in all {
            for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
                match &e.kind {
                    // Each entry is a test of its own.
                    PrincipalKind::Account { account } => {
                        groups.push(groups.iter().max().map_or(0, |g| g + 1));
                        patterns.push(CharPattern::glob(&format!("arn:*:*::{account}:*")))
                    }
                    PrincipalKind::User { arn }
                    | PrincipalKind::Role { arn, .. }
                    | PrincipalKind::FederatedUser { arn } => {
                        groups.push(groups.iter().max().map_or(0, |g| g + 1));
                        patterns.push(CharPattern::literal(arn, false));
                        partitions.extend(arn.split(':').nth(1).map(str::to_string));
                    }
                    _ => {}
                }
            }
        }
        for c in conditions {
            for v in &c.values {
                if let Some(p) = v
                    .text
                    .split(':')
                    .nth(1)
                    .filter(|p| !p.is_empty() && !p.contains(['*', '?', '$']))
                {
                    partitions.push(p.to_string());
                }
            }
        }
        if let Some(other) = ["aws-cn", "aws-us-gov", "aws-iso"]
            .iter()
            .find(|p| !partitions.iter().any(|q| q == *p))
        {
            partitions.push(other.to_string());
        }
        dedup(&mut partitions);
        let accounts = mentioned_accounts(all, self.property.resource_account.as_deref());
        let mut domain = Vec::new();
        for partition in &partitions {
            for (service, tail, name) in [
                ("iam", "root", None),
                ("iam", "user/", Some((Sym::AnyChar, Sym::AnyRun))),
                ("iam", "role/", Some((Sym::AnyChar, Sym::AnyRun))),
                ("sts", "federated-user/", Some((Sym::SegmentChar, Sym::SegmentRun))),
            ] {
                // The accounts searched: every one a literal names, and the fresh one
                // standing for all others (so each caller's account is also a
                // resource account, and same-account access is searched).
                for account in &accounts {
                    let mut syms: Vec<Sym> = format!("arn:{partition}:{service}::{account}:")
                        .chars()
                        .map(Sym::Char)
                        .collect();
                    syms.extend(tail.chars().map(Sym::Char));
                    if let Some((one, run)) = name {
                        syms.extend([one, run]);
                    }
                    domain.push(CharPattern::from_syms(syms));
                }
            }
        }
        let mut out = Vec::new();
        for witness in self.class_witnesses("aws:PrincipalArn", &patterns, &groups, &domain, &[])? {
            match Caller::parse(&witness) {
                Ok(c) if c.is_iam_principal() => out.push(witness),
                _ => {
                    return Err(Unknown(format!(
                        "unknown: no caller has the aws:PrincipalArn `{witness}` that stands for one class of the patterns on it"
                    )))
                }
            }
        }
        Ok(out)
    }

    /// Resource accounts: the property's, or every account a principal entry names,
    /// the fresh account callers come from, and one more that no caller is in (so a
    /// cross-account request, which also needs the caller's identity policies, is
    /// always among the candidates).
    fn accounts(&self, all: &[&Statement]) -> Vec<String> {
        match (&self.property.resource_account, &self.goal) {
            (Some(a), _) => vec![a.clone()],
            // Public access: the resource belongs to an account no caller is in.
            (None, Goal::Public) => vec![self.unreached_account.clone()],
            (None, _) => {
                let mut accounts = mentioned_accounts(all, None);
                accounts.push(self.unreached_account.clone());
                accounts
            }
        }
    }

    /// Catalog actions the property admits, grouped by everything the search can
    /// tell apart: which action patterns match, the ARN formats, whether it assumes
    /// a role, and which mentioned keys it can carry.
    fn action_groups(&self, all: &[&Statement], atoms: &[ResourceAtom]) -> Found<Vec<ActionGroup<'a>>> {
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

    /// Resource patterns, grouped: the patterns of statements that differ in
    /// nothing but their Resource (same set, policy, effect, principal, action and
    /// conditions) contribute alike, so only whether *any* of them matches counts.
    /// That keeps many overlapping wildcard resources of one shape from
    /// multiplying the resource classes.
    fn resource_atoms(&self, tagged: &[Tagged], principals: &[String]) -> Vec<ResourceAtom> {
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
            let conditions: Vec<String> = s
                .conditions
                .iter()
                .map(|c| {
                    let values: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
                    format!("{:?}|{}|{values:?}", c.operator, c.key_lower)
                })
                .collect();
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
    fn resource_classes(
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

    /// Instants for aws:CurrentTime / aws:EpochTime: around every date or epoch constant.
    fn instants(&self, keys: &HashMap<String, Vec<&Condition>>) -> Found<Vec<i128>> {
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
    fn domain(&self, key: &str, conditions: &[&Condition]) -> Found<Vec<Option<ContextValue>>> {
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
fn string_patterns(key: &str, conditions: &[&Condition]) -> Found<(Vec<CharPattern>, Vec<usize>)> {
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

struct ActionGroup<'c> {
    representative: (&'c Service, &'c Action),
    /// One resource per class.
    resources: Vec<String>,
}

struct ResourceAtom {
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

/// Every account the principal entries name, `extra`, and one fresh account.
fn mentioned_accounts(all: &[&Statement], extra: Option<&str>) -> Vec<String> {
    let mut accounts: Vec<String> = Vec::new();
    for s in all {
        for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
            match &e.kind {
                PrincipalKind::Account { account } | PrincipalKind::Role { account, .. } => {
                    accounts.push(account.clone())
                }
                PrincipalKind::User { arn }
                | PrincipalKind::RoleSession { arn }
                | PrincipalKind::FederatedUser { arn } => accounts.extend(account_of_arn(arn).map(str::to_string)),
                _ => {}
            }
        }
    }
    // Accounts the conditions on account-valued keys name: a caller there has them.
    for s in all {
        for c in s
            .conditions
            .iter()
            .filter(|c| ACCOUNT_KEYS.contains(&c.key_lower.as_str()))
        {
            for v in &c.values {
                accounts.extend(account_ids_in(&v.text));
            }
        }
    }
    accounts.extend(extra.map(str::to_string));
    accounts.push(fresh_account(&accounts));
    dedup(&mut accounts);
    accounts
}

/// Per restricting key ([`derived::RESTRICTING`]), the condition values that fix
/// it: literals, patterns without wildcards, and ARN patterns with a literal
/// account. A wildcard such as `vpce-*` or `arn:aws:iam::*:role/R` fixes nothing.
fn fixing_patterns(all: &[&Statement]) -> Vec<(String, Vec<CharPattern>)> {
    let mut out: Vec<(String, Vec<CharPattern>)> = Vec::new();
    for s in all {
        for c in s
            .conditions
            .iter()
            .filter(|c| derived::RESTRICTING.contains(&c.key_lower.as_str()))
        {
            let fold = c.operator.base.string_match() == Some(veto_iam::operator::StringMatch::IgnoreCase);
            let mut patterns = Vec::new();
            for v in &c.values {
                let t = v.text.as_str();
                let wild = t.contains(['*', '?']);
                let arn_account_fixed = t.starts_with("arn:")
                    && t.split(':')
                        .nth(4)
                        .is_some_and(|a| account_ids_in(a).len() == 1 && a.len() == 12);
                if !wild {
                    patterns.push(CharPattern::literal(t, fold));
                } else if arn_account_fixed {
                    patterns.push(CharPattern::arn_like(t));
                }
            }
            if patterns.is_empty() {
                continue;
            }
            match out.iter_mut().find(|(k, _)| *k == c.key_lower) {
                Some((_, p)) => p.extend(patterns),
                None => out.push((c.key_lower.clone(), patterns)),
            }
        }
    }
    out
}

/// Keys whose values name accounts (or carry one in an ARN).
const ACCOUNT_KEYS: &[&str] = &[
    "aws:principalaccount",
    "kms:calleraccount",
    "aws:principalarn",
    "aws:userid",
    "aws:resourceaccount",
];

/// Every run of exactly 12 digits in `text`.
fn account_ids_in(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|run| run.len() == 12)
        .map(str::to_string)
        .collect()
}

/// Every account any literal of the policies names: principal entries,
/// condition values and resources.
fn named_accounts(all: &[&Statement]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for s in all {
        for e in s.principal.iter().flat_map(|p| p.entries.iter()) {
            out.extend(account_ids_in(&e.text));
        }
        for c in &s.conditions {
            for v in &c.values {
                out.extend(account_ids_in(&v.text));
            }
        }
        for p in s.resource.iter().flat_map(|r| r.patterns.iter()) {
            out.extend(account_ids_in(&p.text));
        }
    }
    out
}

fn fresh_account(used: &[String]) -> String {
    (0..1000u32)
        .map(|i| format!("{:012}", 999_999_999_999u64 - i as u64))
        .find(|a| !used.contains(a))
        .unwrap_or_else(|| "999999999999".into())
}

fn dedup(v: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(x.clone()));
}

fn names(decisions: &[Decision]) -> String {
    let n: Vec<&str> = decisions.iter().map(|d| d.as_str()).collect();
    n.join(" or ")
}
