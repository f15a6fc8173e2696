//! Running rules against targets: proofs for `deny every` / `allow some`, and
//! three-valued evaluation of `require` over the target's document tree.

use crate::doc::{Node, Pos, Value};
use crate::targets::Target;
use veto_iam::{Decision, PolicySet, Request};
use veto_lang::ast::{self, Check, CompareOp, Constraint, Expr, KeyTest, PathSegment, Term, ValueList, WhenOp};
use veto_prove::{Limits, Verdict};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn parse(text: &str) -> Severity {
        match text {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing wrong with one input.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub pos: Pos,
    pub message: String,
    /// The counterexample of a failed proof, replayable with `veto eval`.
    pub request: Option<Request>,
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
                if let Some((pos, message, request)) = run_check(check, &applies.binding.node, target) {
                    out.push(Finding {
                        rule: rule.id.node.clone(),
                        severity,
                        pos,
                        message,
                        request,
                    });
                }
            }
        }
    }
    out
}

type Failure = (Pos, String, Option<Request>);

fn run_check(check: &Check, binding: &str, target: &Target) -> Option<Failure> {
    match check {
        Check::DenyEvery(set) => prove(set, true, binding, target),
        Check::AllowSome(set) => prove(set, false, binding, target),
        Check::Require(expr) => require(&expr.node, binding, target),
    }
}

/// The tree a rule's binding reads: the target's node, plus `bucket` for bucket policies.
fn binding_node(target: &Target) -> Node {
    match target {
        Target::BucketPolicy { bucket_arn, node, .. } => {
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
            return Lookup::Unknown(d.clone());
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
        Value::Symbolic(d) => Lookup::Unknown(d.clone()),
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

/// A value as text, for constraints (`p.bucket + "/*"`).
fn value_text(value: &ast::Value, root: &Node) -> Result<String, String> {
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
                    _ => return Err(format!("`{}` is not a single value", path_text(p))),
                },
                Lookup::Missing => return Err(format!("`{}` is missing", path_text(p))),
                Lookup::Unknown(d) => return Err(format!("`{}` is not known ({d})", path_text(p))),
            },
        }
    }
    Ok(out)
}

fn values_json(list: &ValueList, root: &Node) -> Result<Vec<serde_json::Value>, String> {
    list.values()
        .into_iter()
        .map(|v| match v.terms.as_slice() {
            [t] if matches!(t.node, Term::Bool(_)) => Ok(serde_json::Value::String(value_text(v, root)?)),
            _ => value_text(v, root).map(serde_json::Value::String),
        })
        .collect()
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

/// The property a request set describes, as the prover's JSON.
pub fn property_json(set: &ast::RequestSet, every: bool, root: &Node) -> Result<serde_json::Value, String> {
    let mut request = serde_json::Map::new();
    let mut conditions: serde_json::Map<String, serde_json::Value> = serde_json::Map::new();
    for c in &set.constraints {
        match c {
            Constraint::Principal(v) => {
                let values = values_json(&v.node, root)?;
                if values.iter().any(|v| v == "*") {
                    request.insert("Principal".into(), "*".into());
                } else {
                    let (services, aws): (Vec<_>, Vec<_>) = values
                        .into_iter()
                        .partition(|v| v.as_str().is_some_and(|s| s.ends_with(".amazonaws.com")));
                    if aws.iter().any(|v| v == "anonymous") {
                        return Err("`principal \"anonymous\"` cannot be described to the prover; use \"*\"".into());
                    }
                    let mut p = serde_json::Map::new();
                    if !aws.is_empty() {
                        p.insert("AWS".into(), aws.into());
                    }
                    if !services.is_empty() {
                        p.insert("Service".into(), services.into());
                    }
                    request.insert("Principal".into(), p.into());
                }
            }
            Constraint::Action(v) => {
                request.insert("Action".into(), values_json(&v.node, root)?.into());
            }
            Constraint::NotAction(v) => {
                request.insert("NotAction".into(), values_json(&v.node, root)?.into());
            }
            Constraint::Resource(v) => {
                request.insert("Resource".into(), values_json(&v.node, root)?.into());
            }
            Constraint::When(w) => {
                let key = w.key.node.as_str();
                let (op, values): (&str, serde_json::Value) = match &w.test {
                    KeyTest::Absent => ("Null", "true".into()),
                    KeyTest::Present => ("Null", "false".into()),
                    KeyTest::Compare(op, v) => {
                        let name = operator(op.node, key);
                        let mut values = values_json(&v.node, root)?;
                        if name == "Bool" && op.node == WhenOp::Ne {
                            // `!= true` is `false` for a key that is always true or false.
                            values = values
                                .into_iter()
                                .map(|v| if v == "true" { "false".into() } else { "true".into() })
                                .collect();
                        }
                        (name, values.into())
                    }
                };
                let block = conditions
                    .entry(op.to_string())
                    .or_insert_with(|| serde_json::json!({}));
                if block.get(key).is_some() {
                    return Err(format!(
                        "two `when` tests compare `{key}` the same way; combine them into one list"
                    ));
                }
                block[key] = values;
            }
        }
    }
    if !conditions.is_empty() {
        request.insert("Condition".into(), conditions.into());
    }
    // IAM has no statement with both Action and NotAction: list the catalog's
    // actions the one admits and the other does not.
    if let (Some(include), Some(exclude)) = (request.get("Action").cloned(), request.get("NotAction").cloned()) {
        let patterns = |v: &serde_json::Value| -> Vec<veto_iam::policy::ActionMatcher> {
            let text = serde_json::json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": v, "Resource": "*"}}).to_string();
            veto_iam::Policy::parse(&text)
                .map(|p| {
                    p.statements[0]
                        .action
                        .patterns
                        .iter()
                        .map(|a| a.matcher.clone())
                        .collect()
                })
                .unwrap_or_default()
        };
        let (include, exclude) = (patterns(&include), patterns(&exclude));
        let actions: Vec<serde_json::Value> = veto_catalog::catalog()
            .actions()
            .filter_map(|(s, a)| {
                let (prefix, name) = (s.prefix.to_ascii_lowercase(), a.name.to_ascii_lowercase());
                let parts = (prefix.as_str(), name.as_str());
                (include.iter().any(|m| m.matches(parts)) && !exclude.iter().any(|m| m.matches(parts)))
                    .then(|| format!("{}:{}", s.prefix, a.name).into())
            })
            .collect();
        if actions.is_empty() {
            return Err("no catalog action is left once `action not` is taken out of `action`".into());
        }
        request.insert("Action".into(), actions.into());
        request.remove("NotAction");
    }
    let decisions: &[&str] = if every {
        &["ExplicitDeny"]
    } else {
        &["Allow", "ImplicitDeny"]
    };
    Ok(
        serde_json::json!({"quantifier": if every { "every" } else { "some" }, "request": request, "decision": decisions}),
    )
}

fn prove(set: &ast::RequestSet, every: bool, binding: &str, target: &Target) -> Option<Failure> {
    let _ = binding;
    let policy = match target {
        Target::BucketPolicy { policy, .. } | Target::Policy { policy, .. } => policy,
        Target::UndecidedPolicy { reason, .. } => {
            return Some((target.pos(), format!("could not be decided: {reason}"), None))
        }
        _ => {
            return Some((
                target.pos(),
                format!("a proof needs a policy, and {} is a {}", target.name(), target.kind()),
                None,
            ));
        }
    };
    let root = binding_node(target);
    let pos = policy_pos(target);
    let property = match property_json(set, every, &root) {
        Ok(p) => p,
        Err(e) => return Some((pos, format!("could not be checked: {e}"), None)),
    };
    let text = property.to_string();
    // The property text is ours, so this cannot fail unless lowering is wrong; if it
    // ever does, the rule is reported as not checked, never passed.
    let value = match veto_iam::json::parse(&text) {
        Ok(v) => v,
        Err(e) => return Some((pos, format!("could not be checked: {}", e.message), None)),
    };
    let property = match veto_prove::property::read_property(&text, &value) {
        Ok(p) => p,
        Err((e, _)) => return Some((pos, format!("could not be checked: {e}"), None)),
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
                return Some((pos, "the proof failed but produced no counterexample".into(), None));
            };
            let decision = answer.decision.unwrap_or(Decision::ImplicitDeny);
            Some((
                pos,
                format!("this request is not denied: {} (decision {decision})", words(&r)),
                Some(r),
            ))
        }
        (Verdict::Fails, false) => Some((
            pos,
            "every such request is explicitly denied: the policy leaves no way to do it".to_string(),
            None,
        )),
        (Verdict::Unknown, _) => Some((pos, format!("could not be decided: {}", answer.reason), None)),
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
        match lookup(&root, p) {
            Lookup::Found(n) => {
                if pos == target.pos() {
                    pos = n.pos;
                }
                facts.push(format!("{text} = {}", n.to_json()));
            }
            Lookup::Missing => facts.push(format!("{text} is missing")),
            Lookup::Unknown(d) => facts.push(format!("{text} is not known ({d})")),
        }
    }
    let facts = facts.join(", ");
    Some(match truth {
        Truth::Unknown => (pos, format!("{}: could not be decided: {facts}", target.name()), None),
        _ => (pos, format!("{}: {facts}", target.name()), None),
    })
}
