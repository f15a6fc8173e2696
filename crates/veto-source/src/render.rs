//! rustc-style rendering of a positioned message (via annotate-snippets): the one
//! renderer behind every text diagnostic veto prints.

use crate::Span;
use annotate_snippets::{Level, Renderer, Snippet};

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
    /// `error[ID]: …`
    Error,
    /// `warning[ID]: …`
    Warning,
    /// `note: …`
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
