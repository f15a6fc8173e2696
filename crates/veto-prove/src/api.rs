//! The public entry points: a property, new access (diff), public access.

use crate::answer::{Answer, Limits, Property, Quantifier};
use crate::prover::{Goal, Prover};
use veto_catalog::Catalog;
use veto_iam::{Decision, Policy, PolicySet};

/// Proves `property` of `policies` against the embedded catalog.
pub fn prove(policies: &PolicySet, property: &Property, limits: &Limits) -> Answer {
    prove_with(policies, property, limits, veto_catalog::catalog())
}

/// Proves `property` of `policies` against `catalog`.
pub(crate) fn prove_with(policies: &PolicySet, property: &Property, limits: &Limits, catalog: &Catalog) -> Answer {
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
