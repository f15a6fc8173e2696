//! The prover's public vocabulary: properties, limits and answers.

use std::time::Duration;
use veto_iam::policy::Statement;
use veto_iam::{Decision, Request};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    Every,
    Some,
}

/// A property: a set of requests described like an IAM statement, and the
/// decisions accepted for them.
#[derive(Debug, Clone)]
pub struct Property {
    pub quantifier: Quantifier,
    /// The request set: its Principal/NotPrincipal, Action/NotAction,
    /// Resource/NotResource and Condition (an element left out is unconstrained).
    pub request: Statement,
    pub resource_account: Option<String>,
    pub decisions: Vec<Decision>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Holds,
    Fails,
    Unknown,
    /// The property's request set holds no request AWS could send: a vacuous
    /// `holds` would say nothing, so this is an input error.
    Empty,
}

impl Verdict {
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
    pub verdict: Verdict,
    pub request: Option<Request>,
    pub decision: Option<Decision>,
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
    pub max_statements: usize,
    pub max_conditions: usize,
    /// Candidate requests evaluated, in all.
    pub max_candidates: usize,
    /// States of one product automaton.
    pub max_automaton_states: usize,
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
