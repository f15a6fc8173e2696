//! The prover corpus: each line of `tests/prove/corpus.jsonl` is a `veto prove
//! --batch` case plus the expected result. Every counterexample or witness is
//! replayed through the evaluator and checked to lie in the property's set.

mod common;

use libtest_mimic::{Arguments, Failed};
use veto_iam::StatementOutcome;
use veto_prove::{property, prove, Limits, Quantifier, Verdict};

fn run(line: &str) -> Result<(), Failed> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let expected = value["expected"].as_str().ok_or("no `expected`")?;
    let case = property::parse_line(line).map_err(|e| format!("case does not load: {}", e.message))?;
    let answer = prove(&case.policies, &case.property, &Limits::default());
    if answer.verdict.as_str() != expected {
        return Err(format!(
            "expected {expected}, got {} ({})\nrequest: {:?}",
            answer.verdict.as_str(),
            answer.reason,
            answer.request
        )
        .into());
    }
    if let Some(request) = &answer.request {
        let decision = case.policies.evaluate(request);
        if Some(decision) != answer.decision {
            return Err(format!("the returned request replays to {decision}, not {:?}", answer.decision).into());
        }
        // The property's NotPrincipal describes requests: no boundary rule applies to it.
        if !matches!(
            case.property.request.evaluate(request, false),
            StatementOutcome::Matched(_)
        ) {
            return Err("the returned request is not in the property's set".into());
        }
        let accepted = case.property.decisions.contains(&decision);
        let consistent = match (case.property.quantifier, answer.verdict) {
            (Quantifier::Every, Verdict::Fails) => !accepted,
            (Quantifier::Some, Verdict::Holds) => accepted,
            _ => false,
        };
        if !consistent {
            return Err(format!(
                "a {:?} answer came with a request whose decision {decision} contradicts it",
                answer.verdict
            )
            .into());
        }
        for v in [request.action(), request.resource()] {
            if v != "*" && v.contains(['*', '?']) {
                return Err(format!("returned value `{v}` holds a wildcard").into());
            }
        }
        if veto_catalog::catalog().action(request.action()).is_none() {
            return Err(format!("`{}` is not a catalog action", request.action()).into());
        }
    } else if matches!(
        (case.property.quantifier, answer.verdict),
        (Quantifier::Every, Verdict::Fails) | (Quantifier::Some, Verdict::Holds)
    ) {
        return Err("the answer has no request".into());
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let trials = common::jsonl_trials(include_str!("prove/corpus.jsonl"), "tests/prove/corpus.jsonl", "", run);
    libtest_mimic::run(&args, trials).exit();
}
