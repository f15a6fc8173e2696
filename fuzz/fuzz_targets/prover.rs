//! The prover against the evaluator: every counterexample and witness replays to
//! the claimed decision and lies in the set; a `holds` for *every* survives the
//! fuzzer's own requests.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veto_iam::generate::{ArbitraryPolicySet, ArbitraryRequest, ACTIONS, CONDITIONS, RESOURCES};
use veto_iam::StatementOutcome;
use veto_prove::{property::read_property, prove, Limits, Quantifier, Verdict};

fuzz_target!(|input: (ArbitraryPolicySet, u8, u8, u8, u8, bool, Vec<ArbitraryRequest>)| {
    let (policies, action, resource, condition, decisions, every, requests) = input;
    let set = policies.load();
    let condition = if condition as usize % (CONDITIONS.len() + 1) == 0 {
        String::new()
    } else {
        format!(r#","Condition":{{{}}}"#, CONDITIONS[condition as usize % CONDITIONS.len()])
    };
    let accepted: Vec<&str> = ["Allow", "ExplicitDeny", "ImplicitDeny"]
        .iter()
        .enumerate()
        .filter(|(i, _)| decisions & (1 << i) != 0)
        .map(|(_, d)| *d)
        .collect();
    if accepted.is_empty() {
        return;
    }
    let text = format!(
        r#"{{"quantifier":"{}","request":{{"Action":"{}","Resource":"{}"{condition}}},"decision":[{}]}}"#,
        if every { "every" } else { "some" },
        ACTIONS[action as usize % ACTIONS.len()],
        RESOURCES[resource as usize % RESOURCES.len()],
        accepted.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(",")
    );
    let Ok(value) = veto_iam::json::parse(&text) else { return };
    let Ok(property) = read_property(&value) else { return };
    let limits = Limits { time_budget: std::time::Duration::from_secs(5), ..Limits::default() };
    let answer = prove(&set, &property, &limits);
    let in_set = |r: &veto_iam::Request| matches!(property.request.evaluate(r, !set.boundary.is_empty()), StatementOutcome::Matched(_));
    if let Some(r) = &answer.request {
        assert!(in_set(r), "returned request outside the set");
        assert_eq!(Some(set.evaluate(r)), answer.decision, "returned request does not replay");
    }
    let holds_for_all = matches!((property.quantifier, answer.verdict), (Quantifier::Every, Verdict::Holds));
    let none_exists = matches!((property.quantifier, answer.verdict), (Quantifier::Some, Verdict::Fails));
    for r in requests.iter().filter_map(|r| r.for_set(&set)).filter(|r| in_set(r)) {
        let d = set.evaluate(&r);
        if holds_for_all {
            assert!(property.decisions.contains(&d), "holds, but {r:?} gets {d}");
        }
        if none_exists {
            assert!(!property.decisions.contains(&d), "fails, but {r:?} gets {d}");
        }
    }
});
