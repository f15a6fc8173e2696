//! The evaluator on generated policy sets and requests: no panic; shuffling
//! statements and policies changes nothing; adding a Deny never yields Allow; a
//! bare role ARN caller decides as a session of that role no policy names (spec §0).
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_iam::generate::{ArbitraryPolicySet, ArbitraryRequest};
use veto_iam::{Caller, Decision, Policy, Request};

fuzz_target!(|input: (ArbitraryPolicySet, ArbitraryRequest, u64, bool)| {
    let (policies, request, seed, deny_everything) = input;
    let set = policies.load();
    let Some(request) = request.for_set(&set) else { return };
    let decision = set.evaluate(&request);
    assert_eq!(decision, set.explain(&request).outcome.decision);

    if let Caller::Role { partition, account, name, .. } = request.caller() {
        // A session name no generated policy can name.
        let session = format!("arn:{partition}:sts::{account}:assumed-role/{name}/veto-fuzz-fresh-session");
        let as_session = Request::new(
            &session,
            request.action(),
            request.resource(),
            request.given_resource_account(),
            request.context().clone(),
        )
        .expect("a session ARN of a parsed role ARN parses");
        assert_eq!(decision, set.evaluate(&as_session), "bare role and session disagree");
    }

    let mut shuffled = set.clone();
    let mut rng = seed | 1;
    let mut next = |n: usize| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        (rng % n.max(1) as u64) as usize
    };
    for p in shuffled.identity.iter_mut().chain(shuffled.resource.iter_mut()) {
        for i in (1..p.statements.len()).rev() {
            p.statements.swap(i, next(i + 1));
        }
    }
    for i in (1..shuffled.identity.len()).rev() {
        shuffled.identity.swap(i, next(i + 1));
    }
    assert_eq!(decision, shuffled.evaluate(&request), "order changed the decision");

    let deny = if deny_everything {
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#
    } else {
        r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}}"#
    };
    let mut with_deny = set.clone();
    with_deny.identity.push(Policy::parse(deny).unwrap());
    let after = with_deny.evaluate(&request);
    assert!(after == decision || after == Decision::ExplicitDeny, "{decision} became {after}");
});
