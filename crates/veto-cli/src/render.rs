//! rustc-style rendering of positioned messages, via annotate-snippets.

use veto_iam::{LineIndex, Span};

/// A text with a name, for pointing into.
pub struct Source<'t> {
    pub name: &'t str,
    pub text: &'t str,
    pub index: LineIndex,
    /// Added to every line number (a batch line's own number minus one).
    pub line_offset: usize,
}

impl<'t> Source<'t> {
    pub fn new(name: &'t str, text: &'t str) -> Self {
        Source {
            name,
            text,
            index: LineIndex::new(text),
            line_offset: 0,
        }
    }

    /// `name:line:col` of a byte offset.
    pub fn location(&self, offset: usize) -> (usize, usize) {
        let lc = self.index.line_col(self.text, offset);
        (lc.line + self.line_offset, lc.column)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Error,
    Warning,
    Note,
}

/// Renders `message` with the source lines under `span` and a caret under it.
pub fn render(source: &Source, kind: Kind, message: &str, span: Span, label: &str, help: Option<&str>) -> String {
    render_with_id(source, kind, None, message, span, label, help)
}

/// [`render`] with a finding ID shown as `warning[ID]`.
pub fn render_with_id(
    source: &Source,
    kind: Kind,
    id: Option<&str>,
    message: &str,
    span: Span,
    label: &str,
    help: Option<&str>,
) -> String {
    use veto_source::render::{render_snippet, SnippetLevel};
    let level = match kind {
        Kind::Error => SnippetLevel::Error,
        Kind::Warning => SnippetLevel::Warning,
        Kind::Note => SnippetLevel::Note,
    };
    render_snippet(
        source.name,
        source.text,
        source.line_offset,
        level,
        id,
        message,
        span,
        label,
        help,
    )
}
