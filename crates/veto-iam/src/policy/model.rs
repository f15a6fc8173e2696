//! The policy model: a policy, its statements and their elements, each element
//! compiled into matchers when read and keeping its span.

use super::scalar::{ConditionValue, Version};
use crate::condition::ConditionMatcher;
use crate::diagnostic::Diagnostic;
use crate::operator::ConditionOperator;
use crate::span::Span;
use crate::template::GlobValue;
use crate::wildcard;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

/// The kind of policy a document is used as; it decides which elements it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    Identity,
    Resource,
    Scp,
    Rcp,
    Boundary,
    Session,
}

impl PolicyKind {
    pub fn name(self) -> &'static str {
        match self {
            PolicyKind::Identity => "an identity policy",
            PolicyKind::Resource => "a resource policy",
            PolicyKind::Scp => "an SCP",
            PolicyKind::Rcp => "an RCP",
            PolicyKind::Boundary => "a permissions boundary",
            PolicyKind::Session => "a session policy",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub version: Version,
    pub version_span: Option<Span>,
    pub id: Option<Spanned<String>>,
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as an array (kept for writing the policy back).
    pub statement_is_array: bool,
    pub span: Span,
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Statement[2]`, or `Statement` when the policy has a single statement object.
    pub path: String,
    pub sid: Option<Spanned<String>>,
    pub effect: Effect,
    pub effect_span: Span,
    pub principal: Option<PrincipalElement>,
    pub action: ActionElement,
    /// `None` only in trust policies, which have no resource element.
    pub resource: Option<ResourceElement>,
    pub conditions: Vec<Condition>,
    pub condition_span: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    pub negated: bool,
    pub entries: Vec<PrincipalEntry>,
    /// Written as the bare string `"*"`.
    pub bare_star: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub key: String,
    pub text: String,
    pub kind: PrincipalKind,
    pub span: Span,
}

/// What one principal entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    Everyone,
    /// An account (its ID or its `:root` ARN): any authenticated principal of it.
    Account {
        account: String,
    },
    User {
        arn: String,
    },
    Role {
        partition: String,
        account: String,
        name: String,
        arn: String,
    },
    RoleSession {
        arn: String,
    },
    FederatedUser {
        arn: String,
    },
    Service(String),
    Federated(String),
    CanonicalUser(String),
    /// `AIDA…`/`AROA…`: a deleted principal's unique ID; matches no new principal.
    UniqueId(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ActionElement {
    /// `NotAction`.
    pub negated: bool,
    pub patterns: Vec<ActionPattern>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    pub text: String,
    pub span: Span,
    pub matcher: ActionMatcher,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatcher {
    Any,
    /// Service prefix and name pattern, both lower case.
    Service {
        service: String,
        name: wildcard::Pattern,
    },
}

impl ActionMatcher {
    /// Matches an action already lower-cased and split at its colon.
    #[inline]
    pub fn matches(&self, (prefix, action_name): (&str, &str)) -> bool {
        match self {
            ActionMatcher::Any => true,
            ActionMatcher::Service { service, name } => {
                wildcard::bytes_eq(prefix.as_bytes(), service.as_bytes()) && name.matches(action_name, false)
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResourceElement {
    /// `NotResource`.
    pub negated: bool,
    pub patterns: Vec<ResourcePattern>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePattern {
    pub text: String,
    pub span: Span,
    pub matcher: GlobValue,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub operator: ConditionOperator,
    pub operator_span: Span,
    /// The key as written.
    pub key: String,
    /// The key in ASCII lower case, for look-ups.
    pub key_lower: String,
    pub key_span: Span,
    pub values: Vec<ConditionValue>,
    /// Whether the values were written as an array.
    pub values_are_array: bool,
    pub matcher: ConditionMatcher,
    pub span: Span,
}

/// Why a policy could not be read: every error found, plus warnings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct PolicyError {
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicyError {
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}
