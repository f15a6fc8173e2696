//! Findings a reviewer acts on: for a failed proof, a counterexample a person
//! believes, the statement that comes closest to covering it with the element
//! that fails, and the statement that would make the proof hold.
//!
//! The prover finds *a* request that breaks the property; which one is its own
//! business (it may be an anonymous caller doing `s3:ListMultipartUploadParts`).
//! This module does not change the prover: it builds requests a reviewer would
//! write themselves, in a fixed preference order, and keeps the first one that is
//! inside the property's request set and breaks the property, checked through the
//! evaluator. Only when none does is the prover's own request shown.
//!
//! Preference order (the first difference decides; every list is fixed, so the
//! choice is deterministic):
//! 1. the caller: a role of the bucket's own account ([`OWN_ROLE`] in the account
//!    the policy names, else [`EXAMPLE_ACCOUNT`]), then an anonymous caller, then a
//!    role of another account ([`FOREIGN_ACCOUNT`]);
//! 2. the action: the actions the rule names literally, then those the policy's
//!    statements name literally, then the catalog's actions of the rule's services:
//!    everyday actions first ([`EVERYDAY`]), then by access level (Read, Write,
//!    List, Tagging, Permissions management), shorter names first, then by name;
//!    only actions whose resource types fit the resource;
//! 3. the resource: the rule's own resources with each `*` read as [`OBJECT_KEY`]
//!    (so `bucket/*` becomes `bucket/object-key`), then the prover's;
//! 4. the context: only the keys the property tests (values taken from the
//!    prover's request) plus `aws:SecureTransport` (`true` unless the property
//!    tests it), then the prover's full context.
//!
//! Longer than 600 lines on purpose: near-miss scoring, the believable-request
//! order and the fix statement all read the same replayed trace and the same rule
//! request set; they are one explanation.

use crate::doc::{Node, Pos, Value};
use crate::targets::Target;
use veto_iam::build::{PrincipalWho, StatementSpec};
use veto_iam::policy::{ActionMatcher, Condition, Statement};
use veto_iam::{Context, ContextValue, Decider, Decision, Effect, Element, Policy, PolicySet, Request};
use veto_lang::ast;
use veto_prove::{Property, Quantifier};

/// The role a believable counterexample is made by.
pub const OWN_ROLE: &str = "pipeline";
/// The bucket's account when the policy names none (AWS's documentation account).
pub const EXAMPLE_ACCOUNT: &str = "111122223333";
/// Another account, for when only a foreign caller breaks the property.
pub const FOREIGN_ACCOUNT: &str = "444455556666";
/// What a `*` in the rule's resource becomes in a counterexample.
pub const OBJECT_KEY: &str = "object-key";
/// Everyday actions per service, tried before the rest of the catalog.
pub const EVERYDAY: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "s3:ListBucket",
    "s3:DeleteObject",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
];

/// A failed proof, explained.
#[derive(Debug, Clone)]
pub struct Explained {
    /// The element at fault, or the policy's `Statement` when no statement comes close.
    pub pos: Pos,
    /// What is wrong at `pos`, in a few words.
    pub label: String,
    pub message: String,
    pub request: Option<Request>,
    /// The statement that would make the proof hold, as a JSON object.
    pub fix: Option<serde_json::Value>,
}

/// The policy and its document tree, when the target is one.
fn policy_of(target: &Target) -> Option<&Policy> {
    match target {
        Target::BucketPolicy { policy, .. } | Target::Policy { policy, .. } => Some(policy),
        _ => None,
    }
}

/// The account the bucket lives in: the first account the policy's principals name.
fn bucket_account(policy: &Policy) -> String {
    use veto_iam::policy::PrincipalKind as K;
    policy
        .statements
        .iter()
        .filter_map(|s| s.principal.as_ref())
        .flat_map(|p| p.entries.iter())
        .find_map(|e| match &e.kind {
            K::Account { account } | K::Role { account, .. } => Some(account.clone()),
            K::User { arn } => arn.split(':').nth(4).map(str::to_string),
            _ => None,
        })
        .filter(|a| veto_iam::request::is_account_id(a))
        .unwrap_or_else(|| EXAMPLE_ACCOUNT.to_string())
}

fn is_literal(text: &str) -> bool {
    !text.contains(['*', '?', '$'])
}

fn access_rank(level: veto_catalog::AccessLevel) -> usize {
    use veto_catalog::AccessLevel as L;
    match level {
        L::Read => 0,
        L::Write => 1,
        L::List => 2,
        L::Tagging => 3,
        L::PermissionsManagement => 4,
    }
}

/// Does the catalog let `action` name `resource`? Unknown actions are let through.
fn fits(action: &str, resource: &str) -> bool {
    let catalog = veto_catalog::catalog();
    let Some((service, a)) = catalog.action(action) else {
        return true;
    };
    let mut formats = catalog.arn_formats(service, a).peekable();
    if formats.peek().is_none() {
        return resource == "*";
    }
    let slashes = resource.matches('/').count();
    formats.any(|f| {
        let mut pattern = String::new();
        let mut rest = f;
        while let Some(start) = rest.find("${") {
            pattern.push_str(&rest[..start]);
            pattern.push('*');
            rest = rest[start..].find('}').map_or("", |end| &rest[start + end + 1..]);
        }
        pattern.push_str(rest);
        pattern.matches('/').count() == slashes && veto_iam::wildcard::naive_matches(&pattern, resource)
    })
}

/// The actions a rule's request set names in its `action` constraints, as written
/// (the lowered property may list the whole catalog instead, for `action not`).
fn rule_actions(set: &ast::RequestSet, root: &Node) -> Vec<String> {
    let mut out = Vec::new();
    for c in &set.constraints {
        if let ast::Constraint::Action(v) = c {
            if let Ok(values) = crate::lower::value_texts(&v.node, root) {
                out.extend(values);
            }
        }
    }
    out
}

/// Candidate actions in preference order.
fn actions(property: &Property, policy: &Policy, named: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let push = |a: &str, out: &mut Vec<String>| {
        if !out.iter().any(|x| x.eq_ignore_ascii_case(a)) {
            out.push(a.to_string());
        }
    };
    for a in named {
        if is_literal(a) && a.contains(':') {
            push(a, &mut out);
        }
    }
    for s in &policy.statements {
        if s.action.negated {
            continue;
        }
        for p in &s.action.patterns {
            if is_literal(&p.text) && p.text.contains(':') {
                push(&p.text, &mut out);
            }
        }
    }
    // The services the property's actions belong to.
    let services: Vec<String> = property
        .request
        .action
        .patterns
        .iter()
        .filter_map(|p| match &p.matcher {
            ActionMatcher::Service { service, .. } => Some(service.clone()),
            ActionMatcher::Any => None,
        })
        .collect();
    let mut catalog: Vec<(usize, usize, usize, String)> = veto_catalog::catalog()
        .services
        .iter()
        .filter(|s| services.iter().any(|x| x.eq_ignore_ascii_case(s.prefix)))
        .flat_map(|s| {
            s.actions.iter().map(move |a| {
                let name = format!("{}:{}", s.prefix, a.name);
                let everyday = EVERYDAY
                    .iter()
                    .position(|e| e.eq_ignore_ascii_case(&name))
                    .unwrap_or(EVERYDAY.len());
                (everyday, access_rank(a.access), a.name.len(), name)
            })
        })
        .collect();
    catalog.sort();
    for (_, _, _, name) in catalog {
        push(&name, &mut out);
    }
    out
}

/// Candidate resources in preference order.
fn resources(property: &Property, prover: &Request) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(r) = property.request.resource.as_ref().filter(|r| !r.negated) {
        for p in &r.patterns {
            let concrete = p.text.replace('*', OBJECT_KEY).replace('?', "x");
            if !concrete.contains('$') && !out.contains(&concrete) {
                out.push(concrete);
            }
        }
    }
    if !out.iter().any(|r| r == prover.resource()) {
        out.push(prover.resource().to_string());
    }
    out
}

/// Candidate contexts in preference order: the property's keys only, then the prover's.
fn contexts(property: &Property, prover: &Request) -> Vec<Context> {
    let tested = |key: &str| {
        property
            .request
            .conditions
            .iter()
            .any(|c| c.key_lower.eq_ignore_ascii_case(key))
    };
    let mut needed = Context::new();
    for (k, v) in prover.context().iter() {
        if tested(k) {
            let _ = needed.insert(k, v.clone());
        }
    }
    if !tested("aws:SecureTransport") {
        let _ = needed.insert("aws:SecureTransport", ContextValue::Single("true".into()));
    }
    let mut full = Context::new();
    for (k, v) in prover.context().iter() {
        let _ = full.insert(k, v.clone());
    }
    vec![needed, full]
}

/// The first believable request inside the property's set that `keep` accepts.
fn believable(
    lowered: &Lowered,
    named: &[String],
    policy: &Policy,
    prover: &Request,
    keep: impl Fn(Decision) -> bool,
) -> Option<Request> {
    let policies = PolicySet {
        resource: Some(policy.clone()),
        ..PolicySet::default()
    };
    let account = bucket_account(policy);
    let property = &lowered.property;
    let callers = [
        format!("arn:aws:iam::{account}:role/{OWN_ROLE}"),
        "anonymous".to_string(),
        format!("arn:aws:iam::{FOREIGN_ACCOUNT}:role/{OWN_ROLE}"),
    ];
    let (actions, resources, contexts) = (
        actions(property, policy, named),
        resources(property, prover),
        contexts(property, prover),
    );
    // The catalog check does not depend on the caller: each pair is checked once,
    // when first reached (the search usually stops within the first few actions).
    let mut fit: Vec<Option<bool>> = vec![None; actions.len() * resources.len()];
    for caller in &callers {
        for (a, action) in actions.iter().enumerate() {
            for (r, resource) in resources.iter().enumerate() {
                let known = &mut fit[a * resources.len() + r];
                if !*known.get_or_insert_with(|| fits(action, resource)) {
                    continue;
                }
                for context in &contexts {
                    let Ok(request) = Request::new(caller, action, resource, Some(&account), context.clone()) else {
                        continue;
                    };
                    if lowered.contains(&request) && keep(policies.evaluate(&request)) {
                        return Some(request);
                    }
                }
            }
        }
    }
    None
}

/// "a role of the bucket's account (`arn:…`)"
fn who(request: &Request, policy: &Policy) -> String {
    use veto_iam::Caller;
    let own = bucket_account(policy);
    match request.caller() {
        Caller::Anonymous => "an anonymous caller".into(),
        Caller::Service(s) => format!("the service `{s}`"),
        c => {
            let whose = if c.account() == Some(own.as_str()) {
                "the bucket's account"
            } else {
                "another account"
            };
            let what = match c {
                Caller::Role { .. } | Caller::RoleSession { .. } => "a role",
                Caller::Root { .. } => "the root user",
                Caller::User { .. } => "a user",
                _ => "a principal",
            };
            format!("{what} of {whose} (`{}`)", c.to_text())
        }
    }
}

/// "`s3:GetObject` on `arn:…` with aws:SecureTransport=false"
fn doing(request: &Request) -> String {
    format!(
        "`{}` on `{}`{}",
        request.action(),
        request.resource(),
        crate::wording::context_words(request)
    )
}

/// A statement's node in the policy's document tree.
fn statement_node<'n>(root: &'n Node, statement: &Statement) -> Option<&'n Node> {
    let list = root.get("Statement")?;
    match &list.value {
        Value::List(items) => {
            let index: usize = statement
                .path
                .strip_prefix("Statement[")?
                .strip_suffix(']')?
                .parse()
                .ok()?;
            items.get(index)
        }
        Value::Map(_) => Some(list),
        _ => None,
    }
}

/// The item of a string-or-list element whose text is `text`, else the element.
fn item<'n>(element: &'n Node, text: &str) -> &'n Node {
    element
        .as_list()
        .iter()
        .find(|n| scalar(n).as_deref() == Some(text))
        .unwrap_or(element)
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The node of a condition's values (`{"StringNotEquals": {"key": VALUES}}`).
fn condition_values<'n>(statement: &'n Node, condition: &Condition) -> Option<&'n Node> {
    statement
        .get("Condition")?
        .entries()
        .iter()
        .filter(|(op, _)| op.eq_ignore_ascii_case(&condition.operator.name()))
        .find_map(|(_, block)| {
            block
                .entries()
                .iter()
                .find(|(k, _)| *k == condition.key)
                .map(|(_, v)| v)
        })
}

/// Every element of a statement that does not match the request.
fn failing(statement: &Statement, request: &Request) -> Vec<Element> {
    let mut out = Vec::new();
    let action_hit = statement
        .action
        .patterns
        .iter()
        .any(|p| p.matcher.matches(request.action_parts_lower()));
    if action_hit == statement.action.negated {
        out.push(if statement.action.negated {
            Element::NotAction
        } else {
            Element::Action
        });
    }
    if let Some(r) = &statement.resource {
        let hit = r
            .patterns
            .iter()
            .any(|p| p.matcher.matches(request.context(), request.resource()) == Some(true));
        if hit == r.negated {
            out.push(if r.negated {
                Element::NotResource
            } else {
                Element::Resource
            });
        }
    }
    if let Some(p) = &statement.principal {
        if p.applies_to(request.caller(), false).is_none() {
            out.push(if p.negated {
                Element::NotPrincipal
            } else {
                Element::Principal
            });
        }
    }
    for (i, c) in statement.conditions.iter().enumerate() {
        if !c.matcher.evaluate(c.operator, &c.key_lower, request.context()) {
            out.push(Element::Condition(i));
        }
    }
    out
}

/// The Deny statement that comes closest to denying `request`: the fewest failing
/// elements, among statements that test a key the property tests (a TLS Deny is no
/// near miss for an encryption rule), earliest first.
fn closest<'p>(policy: &'p Policy, property: &Property, request: &Request) -> Option<(&'p Statement, Vec<Element>)> {
    let keys: Vec<&str> = property
        .request
        .conditions
        .iter()
        .map(|c| c.key_lower.as_str())
        .collect();
    policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Deny)
        .filter_map(|s| {
            let relevance = s
                .conditions
                .iter()
                .filter(|c| keys.contains(&c.key_lower.as_str()))
                .count();
            if !keys.is_empty() && relevance == 0 {
                return None;
            }
            let f = failing(s, request);
            (!f.is_empty()).then_some((f.len(), std::cmp::Reverse(relevance), s, f))
        })
        .min_by_key(|(n, r, s, _)| (*n, *r, s.span.start))
        .map(|(_, _, s, f)| (s, f))
}

fn quoted(items: &[String]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

/// Where the failing element is and what to say about it.
fn label(
    root: &Node,
    statement: &Statement,
    element: Element,
    property: &Property,
    request: &Request,
) -> (Pos, String) {
    let Some(node) = statement_node(root, statement) else {
        return (root.pos, "this statement comes closest".into());
    };
    let at = |name: &str| node.get(name).unwrap_or(node);
    match element {
        Element::Action => {
            let texts: Vec<String> = statement.action.patterns.iter().map(|p| p.text.clone()).collect();
            let pos = match texts.as_slice() {
                [one] => item(at("Action"), one).pos,
                _ => at("Action").pos,
            };
            let verb = if texts.len() == 1 { "does" } else { "do" };
            (
                pos,
                format!("{} {verb} not cover `{}`", quoted(&texts), request.action()),
            )
        }
        Element::NotAction => {
            let hit = statement
                .action
                .patterns
                .iter()
                .find(|p| p.matcher.matches(request.action_parts_lower()));
            match hit {
                Some(p) => (
                    item(at("NotAction"), &p.text).pos,
                    format!(
                        "`NotAction` leaves out `{}`, so `{}` is not denied",
                        p.text,
                        request.action()
                    ),
                ),
                None => (at("NotAction").pos, "`NotAction` leaves this action out".into()),
            }
        }
        Element::Resource => {
            let texts: Vec<String> = statement
                .resource
                .iter()
                .flat_map(|r| r.patterns.iter().map(|p| p.text.clone()))
                .collect();
            let bucket = request.resource().starts_with("arn:aws:s3:::") && !request.resource().contains('/');
            let text = if bucket && texts.iter().all(|t| t.contains('/')) {
                format!("names {}, not the bucket ARN itself", quoted(&texts))
            } else {
                format!("{} does not cover `{}`", quoted(&texts), request.resource())
            };
            (at("Resource").pos, text)
        }
        Element::NotResource => (
            at("NotResource").pos,
            format!("`NotResource` leaves out `{}`", request.resource()),
        ),
        Element::Principal => (
            at("Principal").pos,
            format!("does not name {}", request.caller().to_text()),
        ),
        Element::NotPrincipal => (
            at("NotPrincipal").pos,
            format!("`NotPrincipal` exempts {}", request.caller().to_text()),
        ),
        Element::Condition(i) => {
            let Some(c) = statement.conditions.get(i) else {
                return (at("Condition").pos, "this condition does not hold".into());
            };
            let values: Vec<String> = c.values.iter().map(|v| v.text.clone()).collect();
            let has = request.context().get(&c.key).map(|v| match v {
                ContextValue::Single(s) => s.clone(),
                ContextValue::Multi(items) => items.join(", "),
            });
            let needs = property
                .request
                .conditions
                .iter()
                .find(|p| p.key_lower == c.key_lower)
                .map(|p| p.values.iter().map(|v| v.text.clone()).collect::<Vec<_>>());
            let values_node = condition_values(node, c);
            let needs_text = needs.map_or(String::new(), |n| format!("; the rule needs {}", quoted(&n)));
            match (&has, c.operator.base.is_negated(), values_node) {
                (Some(v), true, Some(vn)) if values.contains(v) => {
                    (item(vn, v).pos, format!("requires `{v}`{needs_text}"))
                }
                _ => {
                    let request_has = has.map_or("has no `".to_string() + &c.key + "`", |v| format!("has `{v}`"));
                    (
                        values_node.map_or(c_pos(node), |n| n.pos),
                        format!(
                            "`{}` `{}` {}: this request {request_has}{needs_text}",
                            c.operator.name(),
                            c.key,
                            quoted(&values)
                        ),
                    )
                }
            }
        }
    }
}

fn c_pos(statement: &Node) -> Pos {
    statement.get("Condition").map_or(statement.pos, |n| n.pos)
}

/// A rule's request set, lowered for explaining: the property, its statement, and the
/// `action not` patterns kept apart. The prover gets `action` minus `action not`
/// as every catalog action that is left (IAM has no statement with both); listing
/// them costs more than all the rest of an explanation, so here the set is lowered
/// without `action not` and those patterns are tested on their own.
struct Lowered {
    property: Property,
    /// The request set as a statement, elements it leaves open left out.
    spec: StatementSpec,
    /// `action not` patterns, lower case.
    excluded: Vec<String>,
}

impl Lowered {
    fn new(set: &ast::RequestSet, every: bool, root: &Node) -> Option<Lowered> {
        let has_action = set.constraints.iter().any(|c| matches!(c, ast::Constraint::Action(_)));
        let mut excluded = Vec::new();
        let mut kept = set.clone();
        if has_action {
            kept.constraints.retain(|c| match c {
                ast::Constraint::NotAction(v) => {
                    if let Ok(values) = crate::lower::value_texts(&v.node, root) {
                        excluded.extend(values.iter().map(|v| v.to_ascii_lowercase()));
                    }
                    false
                }
                _ => true,
            });
        }
        let spec = crate::lower::lower_request(&kept, root).ok()?;
        let property = crate::lower::lower_property(&kept, every, root).ok()?;
        Some(Lowered {
            property,
            spec,
            excluded,
        })
    }

    /// Is the request one of the set's?
    fn contains(&self, request: &Request) -> bool {
        let action = request.action().to_ascii_lowercase();
        matches!(
            self.property.request.evaluate(request, false),
            veto_iam::StatementOutcome::Matched(_)
        ) && !self
            .excluded
            .iter()
            .any(|p| veto_iam::wildcard::naive_matches(p, &action))
    }
}

/// The statement that makes an `every … explicitly denied` proof hold: a Deny for
/// everyone on the rule's actions, resources and conditions, in the bucket's ARNs.
/// A rule with both `action` and `action not` gets a Deny on its `action` alone (a
/// wider Deny, which never grants anything). A wildcard-action Deny on a bucket or
/// its objects covers both ARNs, as the AWS examples write it.
fn fix_statement(rule: &str, set: &ast::RequestSet, root: &Node, lowered: &Lowered) -> Option<serde_json::Value> {
    let request = &lowered.spec;
    let mut actions: Vec<serde_json::Value> = Vec::new();
    for c in &set.constraints {
        if let ast::Constraint::Action(v) = c {
            actions.extend(
                crate::lower::value_texts(&v.node, root)
                    .ok()?
                    .into_iter()
                    .map(Into::into),
            );
        }
    }
    let sid: String = std::iter::once("Deny".to_string())
        .chain(
            rule.split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let lower = w.to_ascii_lowercase();
                    let mut chars = lower.chars();
                    chars
                        .next()
                        .map_or(String::new(), |f| f.to_ascii_uppercase().to_string() + chars.as_str())
                }),
        )
        .collect();
    let mut out = serde_json::Map::new();
    out.insert("Sid".into(), sid.into());
    out.insert("Effect".into(), "Deny".into());
    let principal = match request.principal.as_ref().map(|p| &p.who) {
        None | Some(PrincipalWho::Anyone) => "*".into(),
        Some(PrincipalWho::Entries(entries)) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(kind, values)| (kind.clone(), list(values)))
                .collect(),
        ),
    };
    out.insert("Principal".into(), principal);
    if actions.is_empty() {
        if let Some(a) = &request.action {
            let key = if a.negated { "NotAction" } else { "Action" };
            out.insert(key.into(), list(a.entries.iter().map(|(t, _)| t)));
        }
    } else {
        out.insert("Action".into(), one_or_many(actions.clone()));
    }
    let mut resources: Vec<serde_json::Value> = request
        .resource
        .iter()
        .flat_map(|r| r.entries.iter().map(|(t, _)| serde_json::Value::from(t.as_str())))
        .collect();
    let wide = actions.iter().any(|a| a.as_str().is_some_and(|a| a.ends_with('*')));
    if wide {
        let extra: Vec<serde_json::Value> = resources
            .iter()
            .filter_map(|r| r.as_str())
            .filter(|r| r.starts_with("arn:aws:s3:::"))
            .map(|r| match r.strip_suffix("/*") {
                Some(bucket) => bucket.to_string(),
                None if !r.contains('/') => format!("{r}/*"),
                None => r.to_string(),
            })
            .map(serde_json::Value::from)
            .collect();
        for e in extra {
            if !resources.contains(&e) {
                resources.push(e);
            }
        }
        resources.sort_by_key(|r| r.as_str().map(str::len));
    }
    if !resources.is_empty() {
        out.insert("Resource".into(), one_or_many(resources));
    }
    if !request.conditions.is_empty() {
        let mut blocks = serde_json::Map::new();
        for c in &request.conditions {
            let block = blocks
                .entry(c.operator.clone())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let Some(block) = block.as_object_mut() {
                block.insert(
                    c.key.clone(),
                    one_or_many(c.values.iter().map(|v| v.as_str().into()).collect()),
                );
            }
        }
        out.insert("Condition".into(), serde_json::Value::Object(blocks));
    }
    Some(serde_json::Value::Object(out))
}

/// A JSON list of strings.
fn list<'s>(items: impl IntoIterator<Item = &'s String>) -> serde_json::Value {
    serde_json::Value::Array(items.into_iter().map(|s| s.as_str().into()).collect())
}

fn one_or_many(mut items: Vec<serde_json::Value>) -> serde_json::Value {
    if items.len() == 1 {
        items.remove(0)
    } else {
        serde_json::Value::Array(items)
    }
}

/// Explains a failed `deny every` proof whose counterexample is `prover`.
pub fn failed_every(
    rule: &str,
    set: &ast::RequestSet,
    target: &Target,
    root: &Node,
    prover: &Request,
) -> Option<Explained> {
    let policy = policy_of(target)?;
    let lowered = Lowered::new(set, true, root)?;
    let property = &lowered.property;
    let named = rule_actions(set, root);
    let request = believable(&lowered, &named, policy, prover, |d| !property.decisions.contains(&d))
        .unwrap_or_else(|| prover.clone());
    let policies = PolicySet {
        resource: Some(policy.clone()),
        ..PolicySet::default()
    };
    let decision = policies.evaluate(&request);
    let consequence = match decision {
        Decision::Allow => "gets Allow from this policy".to_string(),
        d => format!("gets only {d} from this policy, so any identity policy that allows it lets it through"),
    };
    let fix = fix_statement(rule, set, root, &lowered);
    let doc = target.node();
    let (pos, label, near) = match closest(policy, property, &request) {
        Some((statement, mut elements)) => {
            elements.sort_by_key(|e| display_rank(*e));
            let (pos, label) = label(doc, statement, elements[0], property, &request);
            let name = statement_name(statement);
            let more: Vec<String> = elements[1..]
                .iter()
                .map(|e| format!("`{}`", element_name(statement, *e)))
                .collect();
            let more = if more.is_empty() {
                String::new()
            } else {
                format!(" (its {} does not match either)", more.join(" and "))
            };
            (pos, label, format!("; statement {name} comes closest{more}"))
        }
        None => (
            doc.get("Statement").map_or(doc.pos, |n| n.pos),
            "no Deny statement in this policy comes close".to_string(),
            "; no Deny statement in the policy comes close".to_string(),
        ),
    };
    Some(Explained {
        pos,
        label,
        message: format!(
            "not explicitly denied: {} calling {} {consequence}{near}",
            who(&request, policy),
            doing(&request)
        ),
        request: Some(request),
        fix,
    })
}

/// Which failing element to point at when several fail: the resource first (the
/// bucket-versus-objects slip is the common one), then conditions, then the action,
/// then the principal.
fn display_rank(e: Element) -> usize {
    match e {
        Element::Resource | Element::NotResource => 0,
        Element::Condition(i) => 1 + i,
        Element::Action | Element::NotAction => 1_000,
        Element::Principal | Element::NotPrincipal => 1_001,
    }
}

fn element_name(statement: &Statement, e: Element) -> String {
    match e {
        Element::Principal => "Principal".into(),
        Element::NotPrincipal => "NotPrincipal".into(),
        Element::Action => "Action".into(),
        Element::NotAction => "NotAction".into(),
        Element::Resource => "Resource".into(),
        Element::NotResource => "NotResource".into(),
        Element::Condition(i) => statement
            .conditions
            .get(i)
            .map_or("Condition".into(), |c| format!("{} {}", c.operator.name(), c.key)),
    }
}

/// `` `DenyInsecureConnections` `` or `Statement[1]`.
fn statement_name(statement: &Statement) -> String {
    match &statement.sid {
        Some(sid) => format!("`{}`", sid.value),
        None => format!("`{}`", statement.path),
    }
}

/// Explains a failed `allow some` proof: every such request is explicitly denied.
/// Names the statement that denies a believable one.
pub fn failed_some(set: &ast::RequestSet, target: &Target, root: &Node) -> Option<Explained> {
    let policy = policy_of(target)?;
    let lowered = Lowered::new(set, false, root)?;
    let property = &lowered.property;
    if property.quantifier != Quantifier::Some {
        return None;
    }
    // Any request of the set will do as a template: its context gives the keys.
    let template = Request::new(
        "anonymous",
        "s3:PutObject",
        "arn:aws:s3:::example/object-key",
        None,
        property_context(property),
    )
    .ok()?;
    let request = believable(&lowered, &rule_actions(set, root), policy, &template, |d| {
        d == Decision::ExplicitDeny
    })?;
    let policies = PolicySet {
        resource: Some(policy.clone()),
        ..PolicySet::default()
    };
    let Decider::Statement { index, .. } = policies.explain(&request).outcome.decider else {
        return None;
    };
    let statement = policy.statements.get(index)?;
    let doc = target.node();
    let pos = statement_node(doc, statement).map_or(doc.pos, |n| n.get("Effect").map_or(n.pos, |e| e.pos));
    Some(Explained {
        pos,
        label: "denies every such request".into(),
        message: format!(
            "every such request is explicitly denied, by statement {}: no caller can do it (for example, {} calling {} gets ExplicitDeny)",
            statement_name(statement),
            who(&request, policy),
            doing(&request)
        ),
        request: Some(request),
        fix: None,
    })
}

/// A context that satisfies the property's `Bool`/`String…Equals` tests, for
/// building candidates of an `allow some` set.
fn property_context(property: &Property) -> Context {
    let mut context = Context::new();
    for c in &property.request.conditions {
        if !c.operator.base.is_negated() {
            if let Some(v) = c.values.first() {
                let _ = context.insert(c.key.clone(), ContextValue::Single(v.text.clone()));
            }
        }
    }
    context
}

/// Replaces a failed proof's finding with its explanation, where there is one.
/// Other findings (undecided, not checked, `require`) are left as they are.
pub fn refine(finding: &mut crate::finding::Finding, check: &ast::Check, target: &Target) {
    let root = crate::binding::binding_node(target);
    let explained = match check {
        ast::Check::DenyEvery(set) => match &finding.request {
            Some(prover) => failed_every(&finding.rule, set, target, &root, prover),
            None => None,
        },
        ast::Check::AllowSome(set) if finding.message == crate::finding::ALL_DENIED => failed_some(set, target, &root),
        _ => None,
    };
    if let Some(e) = explained {
        finding.pos = e.pos;
        finding.label = Some(e.label);
        finding.message = e.message;
        finding.request = e.request;
        finding.fix = e.fix;
    }
}

#[cfg(test)]
mod tests {
    use crate::finding::Finding;
    use crate::input::{self, Loaded};
    use crate::ruleset::{RuleSet, SourceFile};

    fn pack() -> RuleSet {
        RuleSet::load(
            veto_rules::PACK
                .iter()
                .map(|(name, text)| SourceFile {
                    name: name.to_string(),
                    text: text.to_string(),
                })
                .collect(),
        )
    }

    fn lint(text: &str) -> Vec<Finding> {
        let set = pack();
        let rules: Vec<_> = set.rules().collect();
        match input::load("policy.json", text) {
            Loaded::Input(i) => crate::run::check(&rules, &i.targets),
            _ => panic!("the policy loads"),
        }
    }

    fn policy(statements: &str) -> String {
        format!(r#"{{"Version": "2012-10-17", "Statement": [{statements}]}}"#)
    }

    const SSE: &str = r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*",
        "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}"#;

    fn finding<'f>(findings: &'f [Finding], rule: &str) -> &'f Finding {
        findings
            .iter()
            .find(|f| f.rule == rule)
            .unwrap_or_else(|| panic!("no {rule}: {findings:?}"))
    }

    /// `NotAction` that exempts the action: the label names the exempting pattern.
    #[test]
    fn not_action_near_miss() {
        let tls = r#"{"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#;
        let findings = lint(&policy(&format!("{SSE}, {tls}")));
        let f = finding(&findings, "CP-S3-TLS");
        assert_eq!(
            f.label.as_deref(),
            Some("`NotAction` leaves out `s3:GetObject`, so `s3:GetObject` is not denied")
        );
        assert_eq!(f.request.as_ref().map(|r| r.action()), Some("s3:GetObject"));
    }

    /// A Deny naming one principal: the counterexample is another caller, and the
    /// label says the principal does not name it.
    #[test]
    fn principal_near_miss() {
        let tls = r#"{"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::123456789012:role/ci"}, "Action": "s3:*",
            "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#;
        let findings = lint(&policy(&format!("{SSE}, {tls}")));
        let f = finding(&findings, "CP-S3-TLS");
        let request = f.request.as_ref().expect("a counterexample");
        // The bucket's account is the one the policy names; its other roles are not denied.
        assert_eq!(request.caller().to_text(), "arn:aws:iam::123456789012:role/pipeline");
        assert_eq!(
            f.label.as_deref(),
            Some("does not name arn:aws:iam::123456789012:role/pipeline")
        );
    }

    /// The choice is deterministic: the same policy gives the same finding twice.
    #[test]
    fn counterexample_is_deterministic() {
        let text = policy(SSE);
        let (a, b) = (lint(&text), lint(&text));
        let show = |fs: &[Finding]| {
            fs.iter()
                .map(|f| format!("{} {:?} {} {:?}", f.rule, f.pos, f.message, f.label))
                .collect::<Vec<_>>()
        };
        assert_eq!(show(&a), show(&b));
    }

    /// The fix statement for CP-S3-TLS covers the bucket and its objects, in the
    /// bucket's own ARNs, with `Bool` written as one value.
    #[test]
    fn fix_statement_shape() {
        let findings = lint(&policy(SSE));
        let f = finding(&findings, "CP-S3-TLS");
        assert_eq!(
            f.fix,
            Some(serde_json::json!({
                "Sid": "DenyCpS3Tls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }))
        );
        // The SSE Deny tests no TLS key, so it is no near miss for the TLS rule.
        assert_eq!(f.label.as_deref(), Some("no Deny statement in this policy comes close"));
    }
}
