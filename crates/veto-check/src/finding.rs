//! What a rule's check comes to on one target: a finding, failed or undecided. A
//! leaf module: the driver ([`crate::run`]) makes findings and the explainer
//! ([`crate::explain`]) refines them, and neither needs the other's types.

use crate::doc::Pos;
use veto_iam::Request;

pub use veto_source::Severity;

/// What a rule's check came to on one target, when it did not pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The rule does not hold.
    Fails,
    /// The answer depends on what the input does not fix (a parameter without
    /// a value, a condition, an unmodelled attribute, a prover limit): neither
    /// a pass nor a failure. It fails a run only with `--fail-on undecided`.
    Undecided,
}

/// One thing wrong (or undecidable) with one input.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub outcome: Outcome,
    pub pos: Pos,
    pub message: String,
    /// The counterexample of a failed proof, replayable with `veto eval`.
    pub request: Option<Request>,
    /// What is wrong at `pos`, in a few words (the element a failed proof points at).
    pub label: Option<String>,
    /// The statement that would make a failed proof hold, as a JSON object.
    pub fix: Option<serde_json::Value>,
}

/// A failed `allow some` proof, before [`crate::explain`] names the statement that denies.
pub const ALL_DENIED: &str = "every such request is explicitly denied: the policy leaves no way to do it";
