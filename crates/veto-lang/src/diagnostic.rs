//! Diagnostics: what went wrong, where, and how to fix it; rendered like rustc's
//! or as JSON for tools.

use crate::ast::Span;
use annotate_snippets::{Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

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

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..offset].chars().count() + 1)
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i.min(text.len())
}

/// How a rendered message is headed: `error`, `warning` or `note`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnippetLevel {
    Error,
    Warning,
    Note,
}

/// Renders a message with the source lines under `span` and a caret, rustc-style.
/// `line_offset` is added to line numbers (for text that is one line of a larger file).
#[allow(clippy::too_many_arguments)]
pub fn render_snippet(
    name: &str,
    text: &str,
    line_offset: usize,
    level: SnippetLevel,
    id: Option<&str>,
    message: &str,
    span: Span,
    label: &str,
    help: Option<&str>,
) -> String {
    let level = match level {
        SnippetLevel::Error => Level::Error,
        SnippetLevel::Warning => Level::Warning,
        SnippetLevel::Note => Level::Note,
    };
    // Cut the snippet down to the lines the span covers (at most five), so a huge
    // file costs nothing to render.
    // A span at the very end, after the last line break, points at the last line's end.
    let last = text.trim_end().len();
    let span = if span.start >= last && last < text.len() {
        Span::new(last, last)
    } else {
        span
    };
    let start = floor_char(text, span.start.min(text.len()));
    let end = floor_char(text, span.end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let full_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let shown_end = text[line_start..full_end]
        .match_indices('\n')
        .nth(4)
        .map_or(full_end, |(i, _)| line_start + i);
    let snippet_text = &text[line_start..shown_end];
    let first_line = line_col(text, line_start).0 + line_offset;
    let mut range = (start - line_start)..(end.min(shown_end) - line_start);
    if range.is_empty() && range.end < snippet_text.len() {
        range.end = ceil_char(snippet_text, range.start + 1);
    }
    let snippet = Snippet::source(snippet_text)
        .line_start(first_line)
        .origin(name)
        .annotation(level.span(range).label(label));
    let mut msg = level.title(message).snippet(snippet);
    if let Some(id) = id {
        msg = msg.id(id);
    }
    if let Some(help) = help {
        msg = msg.footer(Level::Help.title(help));
    }
    Renderer::plain().render(msg).to_string()
}

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
