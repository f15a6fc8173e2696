//! The policy's `Version` and the literal values of conditions: leaf types that the
//! condition compiler reads and that depend on nothing of the policy model.

use crate::span::Span;

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
    pub fn interprets_variables(self) -> bool {
        self == Version::V2012
    }
}

/// The JSON type a condition value was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    String,
    Number,
    Bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionValue {
    /// The value as text: booleans become `true`/`false`, numbers keep their source text.
    pub text: String,
    pub kind: ScalarKind,
    pub span: Span,
}
