//! The prover corpus: each line of `tests/prove/corpus.jsonl` is a `veto prove
//! --batch` case plus the expected result. Every counterexample or witness is
//! replayed through the evaluator and checked to lie in the property's set.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

mod common;

use libtest_mimic::{Arguments, Failed};
use veto_iam::{Policy, Request, StatementOutcome};
use veto_prove::{derived, property, prove, public_access, Limits, Quantifier, Verdict};

/// The law: no returned request carries a principal-derived key that
/// contradicts its caller (an anonymous caller with `aws:PrincipalOrgID`…).
fn possible(request: &Request) -> Result<(), Failed> {
    let keys: Vec<String> = request.context().iter().map(|(k, _)| k.to_ascii_lowercase()).collect();
    // Keys no policy mentions are left out of returned requests; present ones must fit.
    for key in keys.iter().map(String::as_str) {
        let value = request.context().get_lower(key);
        if derived::contradicts(key, value, request.caller(), request.resource_account()) {
            return Err(format!("{key}={value:?} contradicts the caller {}", request.caller().to_text()).into());
        }
    }
    Ok(())
}

fn run(line: &str) -> Result<(), Failed> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let expected = value["expected"].as_str().ok_or("no `expected`")?;
    // `"expected": "error"`: an empty request set is refused with `error_contains`.
    let refused = |message: &str| match value["error_contains"].as_str() {
        Some(want) if !message.contains(want) => Err(Failed::from(format!("error `{message}` lacks `{want}`"))),
        _ => Ok(()),
    };
    let case = match (property::parse_line(line), expected) {
        (Err(e), "error") => return refused(&e.message),
        (Err(e), _) => return Err(format!("case does not load: {}", e.message).into()),
        (Ok(case), _) => case,
    };
    let answer = prove(&case.policies, &case.property, &Limits::default());
    if expected == "error" {
        return match answer.verdict {
            Verdict::Empty => refused(&answer.reason),
            v => Err(format!("expected an empty-set error, got {}", v.as_str()).into()),
        };
    }
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
        possible(request)?;
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
        // Actions never hold a wildcard; resources may hold a literal `*` or `?`
        // (`${*}`), which the policies' own patterns name.
        for v in [request.action()] {
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

/// A `tests/prove/public.jsonl` line: a resource policy, `expected` ("public" or
/// "not public") and, when not public, `restricted_to` entries that must be reported.
fn run_public(line: &str) -> Result<(), Failed> {
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let policy = Policy::parse(&value["resource_policy"].to_string()).map_err(|e| e.to_string())?;
    let answer = public_access(&policy, &Limits::default());
    let got = match answer.verdict {
        Verdict::Holds => "public",
        Verdict::Fails => "not public",
        Verdict::Unknown | Verdict::Empty => {
            return Err(format!("{}: {}", answer.verdict.as_str(), answer.reason).into())
        }
    };
    if value["expected"] != got {
        return Err(format!(
            "expected {}, got {got} ({}): {:?}",
            value["expected"], answer.reason, answer.witnesses
        )
        .into());
    }
    for w in &answer.witnesses {
        possible(w)?;
        if w.caller().account().is_some_and(|a| value.to_string().contains(a)) {
            return Err(format!("witness caller {} is in a named account", w.caller().to_text()).into());
        }
    }
    for want in value["restricted_to"].as_array().into_iter().flatten() {
        let want = want.as_str().unwrap_or_default();
        if !answer.restricted_to.iter().any(|r| r.contains(want)) {
            return Err(format!("`{want}` not among who can get in: {:?}", answer.restricted_to).into());
        }
    }
    Ok(())
}

fn main() {
    let args = Arguments::from_args();
    let mut trials = common::jsonl_trials(include_str!("prove/corpus.jsonl"), "tests/prove/corpus.jsonl", "", run);
    // Written by hand (issue 14's wrong answers and empty sets), not by generate.py.
    trials.extend(common::jsonl_trials(
        include_str!("prove/round2.jsonl"),
        "tests/prove/round2.jsonl",
        "",
        run,
    ));
    trials.extend(common::jsonl_trials(
        include_str!("prove/public.jsonl"),
        "tests/prove/public.jsonl",
        "public/",
        run_public,
    ));
    libtest_mimic::run(&args, trials).exit();
}
