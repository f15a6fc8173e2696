//! The prover's public vocabulary: properties, limits and answers.

use std::time::Duration;
use veto_iam::policy::Statement;
use veto_iam::{Decision, Request};

/// Whether a property speaks of every request of its set or of some request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    /// Every request of the set gets an accepted decision (a failure shows one
    /// that does not).
    Every,
    /// Some request of the set gets an accepted decision (a success shows one).
    Some,
}

/// A property: a set of requests described like an IAM statement, and the
/// decisions accepted for them.
#[derive(Debug, Clone)]
pub struct Property {
    /// Every or some request of the set.
    pub quantifier: Quantifier,
    /// The request set: its Principal/NotPrincipal, Action/NotAction,
    /// Resource/NotResource and Condition (an element left out is unconstrained).
    pub request: Statement,
    /// The account that owns the resources (`None`: every account the
    /// policies name and accounts they do not are searched).
    pub resource_account: Option<String>,
    /// The decisions accepted for the set's requests.
    pub decisions: Vec<Decision>,
}

/// What the prover concluded. For [`new_access`](crate::new_access) and
/// [`public_access`](crate::public_access), `Holds` means such access exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The property holds (for `Some`, with a witness request).
    Holds,
    /// The property fails (for `Every`, with a counterexample request).
    Fails,
    /// The prover could not decide; the answer's reason says why (a limit, or
    /// a construct it does not decide).
    Unknown,
    /// The property's request set holds no request AWS could send: a vacuous
    /// `holds` would say nothing, so this is an input error.
    Empty,
}

impl Verdict {
    /// The verdict as the CLI and corpora spell it.
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
    /// The conclusion.
    pub verdict: Verdict,
    /// The counterexample or witness, when the verdict has one; it replays to
    /// `decision` in the evaluator.
    pub request: Option<Request>,
    /// The decision `request` gets.
    pub decision: Option<Decision>,
    /// Why, in words (for `Unknown`, what the answer depends on).
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
    /// Statements, counting the property's own.
    pub max_statements: usize,
    /// Conditions over all statements.
    pub max_conditions: usize,
    /// Candidate requests evaluated, in all.
    pub max_candidates: usize,
    /// States of one product automaton.
    pub max_automaton_states: usize,
    /// Wall-clock time for one answer.
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
