//! Running rules against targets, the driver: which rule applies to which target,
//! proofs for `deny every` / `allow some` (lowered by [`crate::lower`]), `require`
//! (evaluated by [`crate::require`]), and the findings they come to.

use crate::binding::binding_node;
use crate::doc::{Node, Pos};
use crate::lower::{lower_property, PropertyError};
use crate::targets::{Target, TargetKind};
use crate::wording::words;
use veto_iam::{Decision, PolicySet, Request};
use veto_lang::ast::{self, Check};
use veto_prove::{Limits, Verdict};

pub use crate::finding::{Finding, Outcome, Severity, ALL_DENIED};

/// Whether `rule` applies to `target` (its `applies to` kind and filter).
pub fn rule_applies(rule: &ast::Rule, target: &Target) -> bool {
    rule.applies().is_some_and(|a| applies_to(a, target))
}

fn applies_to(applies: &ast::Applies, target: &Target) -> bool {
    match (applies.target_kind(), target) {
        (Some(TargetKind::Resource), Target::Resource { type_name, .. }) => {
            applies.filter.as_ref().is_some_and(|f| &f.node == type_name)
        }
        (Some(kind), t) => kind == t.kind() && kind != TargetKind::Resource,
        // A word the checker rejects binds nothing.
        (None, _) => false,
    }
}

/// Runs every rule on every target it applies to.
pub fn check(rules: &[&ast::Rule], targets: &[Target]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in rules {
        let Some(applies) = rule.applies() else { continue };
        let severity = rule.severity_level();
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
        Check::Require(expr) => crate::require::require(&expr.node, binding, target).map(|u| Failure {
            outcome: if u.undecided {
                Outcome::Undecided
            } else {
                Outcome::Fails
            },
            pos: u.pos,
            message: u.message,
            request: None,
        }),
    }
}

/// Where a proof's finding points: the policy's Statement element.
fn policy_pos(target: &Target) -> Pos {
    target.node().get("Statement").map_or(target.pos(), |n| n.pos)
}

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
