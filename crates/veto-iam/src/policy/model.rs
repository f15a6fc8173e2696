//! The policy model: a policy, its statements and their elements, each element
//! compiled into matchers when read and keeping its span.

use super::scalar::{ConditionValue, Version};
use crate::condition::ConditionMatcher;
use crate::diagnostic::Diagnostic;
use crate::operator::ConditionOperator;
use crate::span::Span;
use crate::template::GlobValue;
use crate::wildcard;
/// A value read from the policy together with the source span it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where the value was written.
    pub span: Span,
}

/// A statement's `Effect` (spec §1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `"Allow"`: the statement grants the matched requests.
    Allow,
    /// `"Deny"`: the statement explicitly denies the matched requests (overrides any allow, spec §4.1).
    Deny,
}

/// The kind of policy a document is used as; it decides which elements it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// Attached to a user, group or role.
    Identity,
    /// Attached to a resource (bucket, key, …); names principals.
    Resource,
    /// An organizations service control policy: caps what an account's principals may do.
    Scp,
    /// An organizations resource control policy: caps what may be done to an account's resources.
    Rcp,
    /// A permissions boundary: caps what an identity policy may grant.
    Boundary,
    /// A session policy passed when assuming a role: caps the session's permissions.
    Session,
}

impl PolicyKind {
    /// The kind with its article, for messages (`"an SCP"`).
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

/// A policy document (spec §1.1), read with every element compiled into matchers.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// The `Version` element (spec §1.2); it decides whether policy variables are interpreted.
    pub version: Version,
    pub(crate) version_span: Option<Span>,
    /// The optional `Id` element.
    pub id: Option<Spanned<String>>,
    /// The statements, in document order.
    pub statements: Vec<Statement>,
    /// Whether `Statement` was written as an array (kept for writing the policy back).
    pub statement_is_array: bool,
    /// The whole document.
    pub span: Span,
    /// Non-fatal findings from reading (e.g. a missing `Version`).
    pub warnings: Vec<Diagnostic>,
}

/// One statement of a policy (spec §1.3).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// `Statement[2]`, or `Statement` when the policy has a single statement object.
    pub path: String,
    /// The optional `Sid` element.
    pub sid: Option<Spanned<String>>,
    /// Allow or Deny.
    pub effect: Effect,
    pub(crate) effect_span: Span,
    /// `Principal`/`NotPrincipal`; present only in resource-based and trust policies (spec §1.4).
    pub principal: Option<PrincipalElement>,
    /// `Action`/`NotAction`.
    pub action: ActionElement,
    /// `None` only in trust policies, which have no resource element.
    pub resource: Option<ResourceElement>,
    /// The `Condition` block flattened: one entry per operator and key, all of which must hold (spec §3.1).
    pub conditions: Vec<Condition>,
    pub(crate) condition_span: Option<Span>,
    /// The whole statement object.
    pub span: Span,
}

/// A statement's `Principal` or `NotPrincipal` element (spec §1.4).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipalElement {
    /// `NotPrincipal`.
    pub negated: bool,
    /// The principals named, one entry per value.
    pub entries: Vec<PrincipalEntry>,
    /// Written as the bare string `"*"`.
    pub bare_star: bool,
    /// The whole element.
    pub span: Span,
}

/// One principal named in a `Principal` element, under one of its keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalEntry {
    /// `AWS`, `Service`, `Federated` or `CanonicalUser`.
    pub key: String,
    /// The value as written.
    pub text: String,
    /// What the value names, as classified when read.
    pub kind: PrincipalKind,
    /// Where the value was written.
    pub span: Span,
}

/// What one principal entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalKind {
    /// `"*"` (or `{"AWS": "*"}`): every principal, including anonymous ones.
    Everyone,
    /// An account (its ID or its `:root` ARN): any authenticated principal of it.
    Account {
        /// The 12-digit account ID.
        account: String,
    },
    /// An IAM user, by ARN.
    User {
        /// The user's ARN.
        arn: String,
    },
    /// An IAM role, by ARN; it also matches the role's sessions (spec §2.6).
    Role {
        /// The ARN's partition (`aws`, `aws-cn`, …).
        partition: String,
        /// The account that owns the role.
        account: String,
        /// The role's name, without its path.
        name: String,
        /// The role's ARN as written.
        arn: String,
    },
    /// An assumed-role session (`arn:…:sts::…:assumed-role/…`).
    RoleSession {
        /// The session's ARN.
        arn: String,
    },
    /// An STS federated user (`arn:…:sts::…:federated-user/…`).
    FederatedUser {
        /// The federated user's ARN.
        arn: String,
    },
    /// An AWS service principal (`Service` key), e.g. `cloudtrail.amazonaws.com`.
    Service(String),
    /// A web identity or SAML provider (`Federated` key).
    Federated(String),
    /// An S3 canonical user ID (`CanonicalUser` key).
    CanonicalUser(String),
    /// `AIDA…`/`AROA…`: a deleted principal's unique ID; matches no new principal.
    UniqueId(String),
}

/// A statement's `Action` or `NotAction` element (spec §1.5, §2.1).
#[derive(Debug, Clone, PartialEq)]
pub struct ActionElement {
    /// `NotAction`.
    pub negated: bool,
    /// The action patterns, one per value.
    pub patterns: Vec<ActionPattern>,
    /// The whole element.
    pub span: Span,
}

/// One action pattern (`s3:Get*`) with its compiled matcher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionPattern {
    /// The pattern as written.
    pub text: String,
    /// Where the pattern was written.
    pub span: Span,
    /// The compiled matcher.
    pub matcher: ActionMatcher,
}

/// A compiled action pattern: matches actions case-insensitively (spec §2.1, §2.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatcher {
    /// `"*"`: every action of every service.
    Any,
    /// Service prefix and name pattern, both lower case.
    Service {
        /// The service prefix (`s3`).
        service: String,
        /// The action-name glob (`get*`).
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

/// A statement's `Resource` or `NotResource` element (spec §1.5, §2.3).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceElement {
    /// `NotResource`.
    pub negated: bool,
    /// The resource patterns, one per value.
    pub patterns: Vec<ResourcePattern>,
    /// The whole element.
    pub span: Span,
}

/// One resource ARN pattern with its compiled matcher (spec §2.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePattern {
    /// The pattern as written.
    pub text: String,
    /// Where the pattern was written.
    pub span: Span,
    /// The compiled glob, with policy variables when the version interprets them (spec §3.12).
    pub matcher: GlobValue,
}

/// One operator–key pair of a `Condition` block with its values (spec §1.6, §3.1).
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The operator, with its qualifiers (`ForAnyValue:`, `…IfExists`).
    pub operator: ConditionOperator,
    pub(crate) operator_span: Span,
    /// The key as written.
    pub key: String,
    /// The key in ASCII lower case, for look-ups.
    pub key_lower: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The values to compare with; any one may match (spec §3.1).
    pub values: Vec<ConditionValue>,
    /// Whether the values were written as an array.
    pub values_are_array: bool,
    /// The compiled test of the values against a request's context.
    pub matcher: ConditionMatcher,
    /// The operator's whole block.
    pub span: Span,
}

/// Why a policy could not be read: every error found, plus warnings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct PolicyError {
    /// Every error and warning found in the document.
    pub diagnostics: Vec<Diagnostic>,
}

impl PolicyError {
    /// The errors only, without the warnings.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}
