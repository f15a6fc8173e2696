//! Running rules against targets: proofs for `deny every` / `allow some`, and
//! three-valued evaluation of `require` over the target's document tree.

use crate::doc::{Node, Pos, Value};
use crate::targets::Target;
use veto_iam::build::{ConditionSpec, ElementSpec, PrincipalSpec, PrincipalWho, StatementSpec};
use veto_iam::Effect;
use veto_iam::{Decision, PolicySet, Request};
use veto_lang::ast::{self, Check, CompareOp, Constraint, Expr, KeyTest, PathSegment, Term, ValueList, WhenOp};
use veto_prove::{Limits, Property, Quantifier, Verdict};

pub use veto_source::Severity;

/// What a rule's check came to on one target, when it did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule does not hold.
    Fails,
    /// The answer depends on what the input does not fix (a parameter without
    /// a value, a condition, an unmodelled attribute, a prover limit): neither
    /// a pass nor a failure. It fails a run only with `--fail-on undecided`.
    Undecided,
}

/// One thing wrong (or undecidable) with one input.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub outcome: Outcome,
    pub pos: Pos,
    pub message: String,
    /// The counterexample of a failed proof, replayable with `veto eval`.
    pub request: Option<Request>,
    /// What is wrong at `pos`, in a few words (the element a failed proof points at).
    pub label: Option<String>,
    /// The statement that would make a failed proof hold, as a JSON object.
    pub fix: Option<serde_json::Value>,
}

/// Whether `rule` applies to `target` (its `applies to` kind and filter).
pub fn rule_applies(rule: &ast::Rule, target: &Target) -> bool {
    rule.applies().is_some_and(|a| applies_to(a, target))
}

fn applies_to(applies: &ast::Applies, target: &Target) -> bool {
    match (applies.kind.node.as_str(), target) {
        ("resource", Target::Resource { type_name, .. }) => {
            applies.filter.as_ref().is_some_and(|f| &f.node == type_name)
        }
        (kind, t) => kind == t.kind() && kind != "resource",
    }
}

/// Runs every rule on every target it applies to.
pub fn check(rules: &[&ast::Rule], targets: &[Target]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules {
        let Some(applies) = rule.applies() else { continue };
        let severity = Severity::parse(rule.severity().map_or("error", |s| s.node.as_str()));
        for target in targets.iter().filter(|t| applies_to(applies, t)) {
            for check in rule.checks() {
                if let Some(f) = run_check(check, &applies.binding.node, target) {
                    let mut finding = Finding {
                        rule: rule.id.node.clone(),
                        severity,
                        outcome: f.outcome,
                        pos: f.pos,
                        message: f.message,
                        request: f.request,
                        label: None,
                        fix: None,
                    };
                    crate::explain::refine(&mut finding, check, target);
                    out.push(finding);
                }
            }
        }
    }
    out
}

/// A check that did not pass: where, why, and the counterexample if any.
struct Failure {
    outcome: Outcome,
    pos: Pos,
    message: String,
    request: Option<Request>,
}

fn fails(pos: Pos, message: String) -> Failure {
    Failure {
        outcome: Outcome::Fails,
        pos,
        message,
        request: None,
    }
}

fn undecided(pos: Pos, message: String) -> Failure {
    Failure {
        outcome: Outcome::Undecided,
        pos,
        message,
        request: None,
    }
}

fn run_check(check: &Check, binding: &str, target: &Target) -> Option<Failure> {
    match check {
        Check::DenyEvery(set) => prove(set, true, binding, target),
        Check::AllowSome(set) => prove(set, false, binding, target),
        Check::Require(expr) => require(&expr.node, binding, target),
    }
}

/// The tree a rule's binding reads: the target's node, plus `bucket` for bucket policies.
pub(crate) fn binding_node(target: &Target) -> Node {
    match target {
        Target::BucketPolicy { bucket_arn, node, .. } | Target::BranchedPolicy { bucket_arn, node, .. } => {
            let mut n = node.clone();
            if let Value::Map(entries) = &mut n.value {
                entries.push(("bucket".into(), Node::new(Value::Str(bucket_arn.clone()), node.pos)));
            } else {
                n = Node::new(
                    Value::Map(vec![(
                        "bucket".into(),
                        Node::new(Value::Str(bucket_arn.clone()), node.pos),
                    )]),
                    node.pos,
                );
            }
            n
        }
        t => t.node().clone(),
    }
}

/// Where a proof's finding points: the policy's Statement element.
fn policy_pos(target: &Target) -> Pos {
    target.node().get("Statement").map_or(target.pos(), |n| n.pos)
}

enum Lookup<'n> {
    Found(&'n Node),
    Missing,
    Unknown(String),
}

fn lookup<'n>(root: &'n Node, path: &ast::Path) -> Lookup<'n> {
    let mut node = root;
    for segment in &path.segments {
        if let Value::Symbolic(d) = &node.value {
            return Lookup::Unknown(d.to_string());
        }
        let next = match segment {
            PathSegment::Field(f) => node.get(f),
            PathSegment::Index(i) => node.as_list().get(*i),
        };
        match next {
            Some(n) => node = n,
            None => return Lookup::Missing,
        }
    }
    match &node.value {
        Value::Symbolic(d) => Lookup::Unknown(d.to_string()),
        Value::Null => Lookup::Missing,
        _ => Lookup::Found(node),
    }
}

fn path_text(p: &ast::Path) -> String {
    let mut out = p.root.node.clone();
    for s in &p.segments {
        match s {
            PathSegment::Field(f) => {
                out.push('.');
                out.push_str(f);
            }
            PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

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

/// A failed `allow some` proof, before [`crate::explain`] names the statement that denies.
pub(crate) const ALL_DENIED: &str = "every such request is explicitly denied: the policy leaves no way to do it";

/// A proof on every branch of a policy shaped by undecided conditions: it fails
/// when it fails on every branch, and is undecided when the branches disagree.
fn prove_branches(
    set: &ast::RequestSet,
    every: bool,
    binding: &str,
    bucket_arn: &str,
    branches: &[(String, veto_iam::Policy)],
    node: &Node,
) -> Option<Failure> {
    let mut failing: Vec<(&str, Failure)> = Vec::new();
    let mut holding: Vec<&str> = Vec::new();
    for (assignment, policy) in branches {
        let branch = Target::BucketPolicy {
            bucket_arn: bucket_arn.to_string(),
            policy: policy.clone(),
            node: node.clone(),
        };
        match prove(set, every, binding, &branch) {
            Some(f) => failing.push((assignment, f)),
            None => holding.push(assignment),
        }
    }
    if failing.is_empty() {
        return None;
    }
    let (assignment, first) = failing.remove(0);
    if holding.is_empty() {
        return Some(Failure {
            message: format!("{} (on every branch; shown for {assignment})", first.message),
            ..first
        });
    }
    Some(undecided(
        first.pos,
        format!(
            "could not be decided: holds when {}, not when {assignment}: {}",
            holding.join(" or "),
            first.message
        ),
    ))
}

fn prove(set: &ast::RequestSet, every: bool, binding: &str, target: &Target) -> Option<Failure> {
    let policy = match target {
        Target::BranchedPolicy {
            bucket_arn,
            branches,
            node,
        } => return prove_branches(set, every, binding, bucket_arn, branches, node),
        Target::BucketPolicy { policy, .. } | Target::Policy { policy, .. } => policy,
        Target::UndecidedPolicy { reason, .. } => {
            return Some(undecided(target.pos(), format!("could not be decided: {reason}")))
        }
        _ => {
            return Some(fails(
                target.pos(),
                format!("a proof needs a policy, and {} is a {}", target.name(), target.kind()),
            ));
        }
    };
    let root = binding_node(target);
    let pos = policy_pos(target);
    let property = match lower_property(set, every, &root) {
        Ok(p) => p,
        Err(PropertyError::Unknown(e)) => return Some(undecided(pos, format!("could not be decided: {e}"))),
        Err(PropertyError::Invalid(e)) => return Some(fails(pos, format!("could not be checked: {e}"))),
    };
    let policies = PolicySet {
        resource: Some(policy.clone()),
        ..PolicySet::default()
    };
    let answer = veto_prove::prove(&policies, &property, &Limits::default());
    match (answer.verdict, every) {
        // An empty set: the rule's requests cannot reach this target, so it does not apply.
        (Verdict::Holds, true) | (Verdict::Holds, false) | (Verdict::Empty, _) => None,
        (Verdict::Fails, true) => {
            let Some(r) = answer.request else {
                // A failed proof always carries its counterexample; without one the
                // failure is still reported.
                return Some(fails(pos, "the proof failed but produced no counterexample".into()));
            };
            let decision = answer.decision.unwrap_or(Decision::ImplicitDeny);
            Some(Failure {
                outcome: Outcome::Fails,
                pos,
                message: format!("not explicitly denied: {} (decision {decision})", words(&r)),
                request: Some(r),
            })
        }
        (Verdict::Fails, false) => Some(fails(pos, ALL_DENIED.to_string())),
        (Verdict::Unknown, _) => Some(undecided(pos, format!("could not be decided: {}", answer.reason))),
    }
}

/// "s3:ListBucket on arn:aws:s3:::b by anonymous with aws:SecureTransport=false"
pub fn words(r: &Request) -> String {
    use veto_iam::ContextValue;
    let context: Vec<String> = r
        .context()
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("aws:CurrentTime") && !k.eq_ignore_ascii_case("aws:EpochTime"))
        .map(|(k, v)| match v {
            ContextValue::Single(s) => format!("{k}={s}"),
            ContextValue::Multi(items) => format!("{k}=[{}]", items.join(", ")),
        })
        .collect();
    let with = if context.is_empty() {
        String::new()
    } else {
        format!(" with {}", context.join(", "))
    };
    format!("{} on {} by {}{with}", r.action(), r.resource(), r.caller().to_text())
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

fn not(t: Truth) -> Truth {
    match t {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

/// A scalar for comparison: strings, numbers and booleans (YAML's "true" included).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

enum Eval {
    Value(String),
    Missing,
    Unknown,
}

fn eval_value(v: &ast::Value, root: &Node, binding: &str) -> Eval {
    let mut out = String::new();
    for t in &v.terms {
        match &t.node {
            Term::Str(s) => out.push_str(s),
            Term::Number(n) => out.push_str(n),
            Term::Bool(b) => out.push_str(&b.to_string()),
            Term::Path(p) if p.root.node == binding => match lookup(root, p) {
                Lookup::Found(n) => match scalar(n) {
                    Some(s) => out.push_str(&s),
                    None => return Eval::Unknown,
                },
                Lookup::Missing => return Eval::Missing,
                Lookup::Unknown(_) => return Eval::Unknown,
            },
            Term::Path(_) => return Eval::Unknown,
        }
    }
    Eval::Value(out)
}

fn same(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("true") && b == "true") || (a.eq_ignore_ascii_case("false") && b == "false")
}

fn eval(e: &Expr, root: &Node, binding: &str) -> Truth {
    match e {
        Expr::Implies(a, b) => match eval(&a.node, root, binding) {
            Truth::False => Truth::True,
            Truth::True => eval(&b.node, root, binding),
            Truth::Unknown => match eval(&b.node, root, binding) {
                Truth::True => Truth::True,
                _ => Truth::Unknown,
            },
        },
        Expr::Or(es) => {
            let mut result = Truth::False;
            for x in es {
                match eval(&x.node, root, binding) {
                    Truth::True => return Truth::True,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::False => {}
                }
            }
            result
        }
        Expr::And(es) => {
            let mut result = Truth::True;
            for x in es {
                match eval(&x.node, root, binding) {
                    Truth::False => return Truth::False,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::True => {}
                }
            }
            result
        }
        Expr::Not(x) => not(eval(&x.node, root, binding)),
        Expr::Missing(p) | Expr::Present(p) => {
            let missing = match lookup(root, &p.node) {
                Lookup::Found(_) => Truth::False,
                Lookup::Missing => Truth::True,
                Lookup::Unknown(_) => Truth::Unknown,
            };
            if matches!(e, Expr::Missing(_)) {
                missing
            } else {
                not(missing)
            }
        }
        Expr::Truthy(v) => match eval_value(&v.node, root, binding) {
            Eval::Value(s) => {
                if same(&s, "true") {
                    Truth::True
                } else {
                    Truth::False
                }
            }
            Eval::Missing => Truth::False,
            Eval::Unknown => Truth::Unknown,
        },
        Expr::Compare(left, op, right) => {
            let left = match eval_value(&left.node, root, binding) {
                Eval::Value(s) => Some(s),
                Eval::Missing => None,
                Eval::Unknown => return Truth::Unknown,
            };
            let mut rights = Vec::new();
            for v in right.node.values() {
                match eval_value(v, root, binding) {
                    Eval::Value(s) => rights.push(s),
                    Eval::Missing => {}
                    Eval::Unknown => return Truth::Unknown,
                }
            }
            let hit = match (&left, op.node) {
                (None, _) => false,
                (Some(l), CompareOp::Matches) => rights.iter().any(|p| veto_iam::wildcard::naive_matches(p, l)),
                (Some(l), _) => rights.iter().any(|r| same(l, r)),
            };
            let truth = match op.node {
                CompareOp::Eq | CompareOp::In | CompareOp::Matches => hit,
                CompareOp::Ne | CompareOp::NotIn => !hit,
            };
            if truth {
                Truth::True
            } else {
                Truth::False
            }
        }
    }
}

/// Every path an expression reads, for the finding's message and position.
fn paths<'e>(e: &'e Expr, out: &mut Vec<&'e ast::Path>) {
    let value_paths = |v: &'e ast::Value, out: &mut Vec<&'e ast::Path>| {
        for t in &v.terms {
            if let Term::Path(p) = &t.node {
                out.push(p);
            }
        }
    };
    match e {
        Expr::Implies(a, b) => {
            paths(&a.node, out);
            paths(&b.node, out);
        }
        Expr::Or(es) | Expr::And(es) => es.iter().for_each(|x| paths(&x.node, out)),
        Expr::Not(x) => paths(&x.node, out),
        Expr::Missing(p) | Expr::Present(p) => out.push(&p.node),
        Expr::Truthy(v) => value_paths(&v.node, out),
        Expr::Compare(l, _, r) => {
            value_paths(&l.node, out);
            for v in r.node.values() {
                value_paths(v, out);
            }
        }
    }
}

/// A path a rule reads, in the user's words: `Properties.` and the binding go,
/// derived fields say what they stand for.
fn field_words(p: &ast::Path) -> String {
    let fields: Vec<String> = p
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Field(f) => f.clone(),
            PathSegment::Index(i) => format!("[{i}]"),
        })
        .collect();
    let joined = |parts: &[String]| parts.join(".").replace(".[", "[");
    match fields.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["artifact_bucket"] => "the artifact bucket (`ArtifactStore.Location`)".into(),
        ["artifact_bucket", "policy", ..] => "a bucket policy for the artifact bucket".into(),
        ["artifact_bucket", "name"] => "the artifact bucket's name".into(),
        ["artifact_key"] => "`ArtifactStore.EncryptionKey`".into(),
        ["cross_account"] => "an action role in another account".into(),
        ["Properties", rest @ ..] if !rest.is_empty() => format!("`{}`", joined(&fields[1..])),
        _ => format!("`{}`", joined(&fields)),
    }
}

/// "pipeline `Pipeline`", "key `ArtifactKey`".
fn target_words(target: &Target) -> String {
    let kind = match target {
        Target::BucketPolicy { .. } | Target::UndecidedPolicy { .. } | Target::BranchedPolicy { .. } => {
            "the bucket policy of"
        }
        Target::Policy { .. } => return "the policy".into(),
        Target::Resource { .. } => "resource",
        Target::Pipeline { .. } => "pipeline",
        Target::KmsKey { .. } => "key",
    };
    format!("{kind} `{}`", target.name())
}

fn require(expr: &Expr, binding: &str, target: &Target) -> Option<Failure> {
    let root = binding_node(target);
    let truth = eval(expr, &root, binding);
    if truth == Truth::True {
        return None;
    }
    let mut read = Vec::new();
    paths(expr, &mut read);
    let mut seen: Vec<String> = Vec::new();
    let mut facts = Vec::new();
    let mut pos = target.pos();
    for p in read {
        let text = path_text(p);
        if seen.contains(&text) {
            continue;
        }
        seen.push(text.clone());
        let words = field_words(p);
        match lookup(&root, p) {
            Lookup::Found(n) => {
                if pos == target.pos() {
                    pos = n.pos;
                }
                match &n.value {
                    Value::Bool(b) if text.ends_with(".symmetric") => facts.push(
                        if *b {
                            "the key is symmetric"
                        } else {
                            "the key is not symmetric"
                        }
                        .into(),
                    ),
                    Value::Map(_) if text.ends_with(".artifact_bucket") => match n.get("name").and_then(Node::as_str) {
                        Some(name) => facts.push(format!("the artifact bucket is `{name}`")),
                        None => facts.push(format!("{words} is set")),
                    },
                    Value::Bool(true) if words.starts_with("an ") => facts.push(format!("there is {words}")),
                    Value::Bool(false) if words.starts_with("an ") => facts.push(format!("there is no {words}")),
                    Value::Map(_) | Value::List(_) => facts.push(format!("{words} is set")),
                    _ => facts.push(format!("{words} is {}", n.to_json())),
                }
            }
            Lookup::Missing => facts.push(format!("{words} is not set")),
            Lookup::Unknown(d) => facts.push(format!("{words} depends on {d}")),
        }
    }
    let facts = facts.join(", ");
    let who = target_words(target);
    Some(match truth {
        Truth::Unknown => undecided(pos, format!("could not be decided for {who}: {facts}")),
        _ => fails(pos, format!("{who}: {facts}")),
    })
}
