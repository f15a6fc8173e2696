//! Load-time findings about a policy: errors (the policy is refused) and warnings.

use crate::span::Span;

pub use veto_source::Severity;

/// One finding, pointing at the element it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The element's path, e.g. `Statement[1].Condition`.
    pub path: String,
    pub message: String,
    pub span: Span,
    /// Other places the message refers to (the first of two duplicate keys).
    pub related: Vec<(Span, String)>,
    /// A stable ID for findings tools filter on, e.g. `IAM-UNKNOWN-KEY`. Every warning has
    /// one (its constructor requires it), so a linter can report every warning; load errors
    /// have none, since they stop the policy from loading at all.
    pub code: Option<&'static str>,
    /// A likely fix, e.g. "did you mean `s3:x-amz-server-side-encryption`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(path: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            message: message.into(),
            span,
            related: Vec::new(),
            code: None,
            help: None,
        }
    }

    pub fn warning(code: &'static str, path: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: Some(code),
            ..Diagnostic::error(path, message, span)
        }
    }

    pub fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}
