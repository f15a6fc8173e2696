//! Byte spans into a source text, and the mapping from byte offsets to line:column.

/// A half-open byte range `start..end` into the text a value was parsed from.
/// Equality is real: two spans are equal when they cover the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// `start..end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A 1-based line and 1-based column (counted in characters, as editors do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl std::fmt::Display for LineCol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Maps byte offsets of one text to line:column, and gives back source lines.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    len: usize,
    /// The number of characters before each multiple of [`BLOCK`] bytes, so a
    /// column costs at most one block of counting, not the whole line (a batch
    /// line is one long line with many positions in it). Empty for ASCII text,
    /// where columns are byte distances.
    chars_before_block: Vec<usize>,
}

const BLOCK: usize = 256;

/// Characters in `bytes`: every byte that is not a UTF-8 continuation byte starts one.
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

impl LineIndex {
    /// Indexes the line starts of `text` (one pass).
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        let chars_before_block = if text.is_ascii() {
            Vec::new()
        } else {
            let mut total = 0;
            let mut counts = Vec::with_capacity(text.len() / BLOCK + 1);
            for block in text.as_bytes().chunks(BLOCK) {
                counts.push(total);
                total += char_count(block);
            }
            counts
        };
        LineIndex {
            line_starts,
            len: text.len(),
            chars_before_block,
        }
    }

    /// Characters before byte `offset` of `text`.
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.chars_before_block.is_empty() {
            return offset;
        }
        let block = offset / BLOCK;
        self.chars_before_block.get(block).copied().unwrap_or(0)
            + char_count(text.as_bytes().get(block * BLOCK..offset).unwrap_or_default())
    }

    /// The line:column of `offset` (clamped into the text).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        LineCol { line: line + 1, column }
    }

    /// The text of 1-based `line`, without its line break.
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.line_starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.line_starts.get(line).map_or(self.len, |&e| e);
        text.get(start..end).unwrap_or("").trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_lines_and_columns() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, column: 1 });
        assert_eq!(index.line_col(text, 7), LineCol { line: 2, column: 4 });
        assert_eq!(index.line_col(text, 8), LineCol { line: 3, column: 1 });
        assert_eq!(index.line_text(text, 2), "cdé");
        assert_eq!(index.line_text(text, 9), "");
    }

    #[test]
    fn counts_columns_in_characters_across_blocks() {
        let text = format!("{}\n{}x", "é".repeat(300), "aé".repeat(200));
        let index = LineIndex::new(&text);
        let second = 600 + 1;
        assert_eq!(index.line_col(&text, 600), LineCol { line: 1, column: 301 });
        assert_eq!(index.line_col(&text, second), LineCol { line: 2, column: 1 });
        assert_eq!(index.line_col(&text, second + 600), LineCol { line: 2, column: 401 });
        assert_eq!(index.line_col(&text, text.len()), LineCol { line: 2, column: 402 });
    }
}
