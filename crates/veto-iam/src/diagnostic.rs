//! Load-time findings about a policy: errors (the policy is refused) and warnings.

use crate::span::Span;

pub use veto_source::Severity;

/// One finding, pointing at the element it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error (the policy is refused) or warning.
    pub severity: Severity,
    /// The element's path, e.g. `Statement[1].Condition`.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
    /// Where the element is in the source.
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
    /// A load error: the policy is refused (spec §1.8).
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

    /// A warning with its stable code (one listed in [`CODES`]).
    pub fn warning(code: &'static str, path: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: Some(code),
            ..Diagnostic::error(path, message, span)
        }
    }

    pub(crate) fn with_related(mut self, span: Span, note: impl Into<String>) -> Self {
        self.related.push((span, note.into()));
        self
    }

    pub(crate) fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// Whether this is an error rather than a warning.
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

/// A warning code and what it means, for tools' rule tables (SARIF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The code, e.g. `IAM-UNKNOWN-KEY`.
    pub id: &'static str,
    /// What the code means, in one sentence.
    pub title: &'static str,
}

/// Every warning code this crate reports. A test reads the crate's sources and
/// fails when a code is used that this table does not list.
pub const CODES: &[Code] = &[
    Code {
        id: "IAM-MISSING-VERSION",
        title: "The policy has no Version: policy variables are read as literal text.",
    },
    Code {
        id: "IAM-ID-IN-IDENTITY",
        title: "An Id in an identity policy is ignored by IAM.",
    },
    Code {
        id: "IAM-NOTPRINCIPAL-EXEMPTS-NOBODY",
        title: "A NotPrincipal that exempts nobody it seems to exempt.",
    },
    Code {
        id: "IAM-LITERAL-VARIABLE",
        title: "A `${…}` that is not a policy variable here, read as literal text.",
    },
    Code {
        id: "IAM-LITERAL-WILDCARD",
        title: "A `*` or `?` in an operator that does not match wildcards.",
    },
    Code {
        id: "IAM-VALUE-NEVER-MATCHES",
        title: "A condition value that no request can match.",
    },
    Code {
        id: "IAM-NULL-QUALIFIER",
        title: "A set qualifier on the Null operator.",
    },
    Code {
        id: "IAM-HOST-BITS",
        title: "A CIDR block with host bits set.",
    },
    Code {
        id: "IAM-PRIVATE-SOURCE-IP",
        title: "aws:SourceIp compared with a private address range, which it never carries.",
    },
    Code {
        id: "IAM-UNKNOWN-SERVICE",
        title: "A service prefix the AWS catalog does not know.",
    },
    Code {
        id: "IAM-UNKNOWN-ACTION",
        title: "An action the AWS catalog does not know.",
    },
    Code {
        id: "IAM-UNKNOWN-KEY",
        title: "A condition key the AWS catalog does not know.",
    },
    Code {
        id: "IAM-KEY-NOT-APPLICABLE",
        title: "A condition key that applies to none of the statement's actions.",
    },
    Code {
        id: "IAM-OPERATOR-TYPE",
        title: "A condition operator of the wrong type for its key.",
    },
    Code {
        id: "IAM-MISSING-QUALIFIER",
        title: "A multi-valued key compared without ForAllValues or ForAnyValue.",
    },
    Code {
        id: "IAM-RESOURCE-MISMATCH",
        title: "A resource that fits no resource type of the statement's actions.",
    },
];

#[cfg(test)]
mod codes_tests {
    /// Every `"IAM-…"` literal in this crate's sources is listed in [`super::CODES`].
    #[test]
    fn every_code_is_listed() {
        let mut files = Vec::new();
        let mut dirs = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        assert!(files.len() > 10, "the sources were not found");
        let mut missing = Vec::new();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("source is readable");
            for (i, _) in text.match_indices("\"IAM-") {
                let rest = &text[i + 1..];
                let code = &rest[..rest.find('"').unwrap_or(rest.len())];
                // Only whole codes (`IAM-` then capitals and dashes), not this test's own pattern.
                if code.len() <= 4 || !code.chars().all(|c| c.is_ascii_uppercase() || c == '-') {
                    continue;
                }
                if !super::CODES.iter().any(|c| c.id == code) {
                    missing.push(format!("{}: {code}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "codes not in CODES: {missing:?}");
    }
}
