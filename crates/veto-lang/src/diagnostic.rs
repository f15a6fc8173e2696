//! Diagnostics: what went wrong, where, and how to fix it; rendered like rustc's
//! or as JSON for tools.

use crate::ast::Span;
pub use veto_source::Severity;

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Index of the file in the set that was checked.
    pub file: usize,
    pub message: String,
    pub span: Span,
    /// A short note under the caret.
    pub label: String,
    /// A likely fix: "did you mean `severity`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: usize, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file,
            message: message.into(),
            span,
            label: String::new(),
            help: None,
        }
    }

    pub fn warning(file: usize, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, span, message)
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

pub use veto_source::render::{line_col, render_snippet, SnippetLevel};

/// Renders a language diagnostic against its file.
pub fn render(d: &Diagnostic, name: &str, text: &str) -> String {
    let level = if d.is_error() {
        SnippetLevel::Error
    } else {
        SnippetLevel::Warning
    };
    render_snippet(
        name,
        text,
        0,
        level,
        None,
        &d.message,
        d.span,
        &d.label,
        d.help.as_deref(),
    )
}

/// The diagnostic as a JSON object for tools.
pub fn to_json(d: &Diagnostic, name: &str, text: &str) -> serde_json::Value {
    let (line, column) = line_col(text, d.span.start);
    let (end_line, end_column) = line_col(text, d.span.end);
    serde_json::json!({
        "severity": if d.is_error() { "error" } else { "warning" },
        "file": name,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": d.message,
        "label": d.label,
        "help": d.help,
    })
}
