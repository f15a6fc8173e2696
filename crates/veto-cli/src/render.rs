//! rustc-style rendering of positioned messages, via annotate-snippets.

use annotate_snippets::{Level, Renderer, Snippet};
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
    let level = match kind {
        Kind::Error => Level::Error,
        Kind::Warning => Level::Warning,
        Kind::Note => Level::Note,
    };
    // Cut the snippet down to the lines the span covers, so a huge file costs nothing.
    let text = source.text;
    let start = floor_char(text, span.start.min(text.len()));
    let end = floor_char(text, span.end.clamp(start, text.len()));
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let mut line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    // Keep at most a few lines of a long span.
    let shown_end = text[line_start..line_end]
        .match_indices('\n')
        .nth(4)
        .map_or(line_end, |(i, _)| line_start + i);
    let (span_end, truncated) = if end > shown_end {
        (shown_end, true)
    } else {
        (end, false)
    };
    line_end = line_end.min(shown_end);
    let snippet_text = &text[line_start..line_end];
    let first_line = source.index.line_col(text, line_start).line + source.line_offset;
    let mut range = (start - line_start)..(span_end - line_start);
    if range.is_empty() && range.end < snippet_text.len() {
        range.end = ceil_char(snippet_text, range.start + 1);
    }
    let _ = truncated;
    let mut snippet = Snippet::source(snippet_text).line_start(first_line).origin(source.name);
    snippet = snippet.annotation(level.span(range).label(label));
    let mut msg = level.title(message).snippet(snippet);
    if let Some(id) = id {
        msg = msg.id(id);
    }
    if let Some(help) = help {
        msg = msg.footer(Level::Help.title(help));
    }
    Renderer::plain().render(msg).to_string()
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
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
