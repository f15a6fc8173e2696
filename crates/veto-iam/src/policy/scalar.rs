//! The policy's `Version` and the literal values of conditions: leaf types that the
//! condition compiler reads and that depend on nothing of the policy model.

use crate::span::Span;

/// A policy's `Version` element (spec §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Version {
    /// `2012-10-17`: policy variables are interpreted.
    V2012,
    /// `2008-10-17`: `${…}` is literal text.
    V2008,
    /// No `Version`: treated as 2008-10-17, with a warning.
    Missing,
}

impl Version {
    pub(crate) fn interprets_variables(self) -> bool {
        self == Version::V2012
    }
}

/// The JSON type a condition value was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    /// A JSON string.
    String,
    /// A JSON number.
    Number,
    /// A JSON boolean.
    Bool,
}

/// One value of a condition, as written in the policy (spec §1.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionValue {
    /// The value as text: booleans become `true`/`false`, numbers keep their source text.
    pub text: String,
    /// The JSON type it was written with.
    pub kind: ScalarKind,
    /// Where it was written.
    pub span: Span,
}
