//! A strict JSON reader that keeps the byte span of every value and key.
//!
//! serde_json forgets positions and keeps the last of two duplicate keys without a
//! word; a policy checker must point at both. This reader keeps object members as
//! a list in source order (duplicates included), numbers as their source text, and
//! bounds nesting depth so hostile input cannot overflow the stack.
//!
//! Slightly over 600 lines: the reader, its error messages and the span-only
//! skipping reader used by the batch cache share one tokenizer.

use crate::span::Span;

/// Deepest nesting of arrays and objects accepted. Real policies nest about six deep.
pub const MAX_DEPTH: usize = 128;

/// A JSON value with the byte span it was read from.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonValue {
    /// What the value is.
    pub kind: JsonKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum JsonKind {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// The number exactly as written, e.g. `1.10`.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array, in source order.
    Array(Vec<JsonValue>),
    /// An object's members, in source order, duplicates kept.
    Object(Vec<JsonMember>),
}

/// One member of a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonMember {
    /// The key, unescaped.
    pub key: String,
    /// Where the key was written.
    pub key_span: Span,
    /// The member's value.
    pub value: JsonValue,
}

/// Why a text is not JSON veto accepts, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonError {
    /// What is wrong, in words.
    pub message: String,
    /// Where the problem is.
    pub span: Span,
}

impl JsonValue {
    /// The members of an object, or `None` for any other kind.
    pub fn as_object(&self) -> Option<&[JsonMember]> {
        match &self.kind {
            JsonKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The string's text, or `None` for any other kind.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            JsonKind::String(s) => Some(s),
            _ => None,
        }
    }

    /// The first member named `key` (exact match).
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object()?.iter().find(|m| m.key == key).map(|m| &m.value)
    }

    /// A word for this value's JSON type, as used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            JsonKind::Null => "null",
            JsonKind::Bool(_) => "a boolean",
            JsonKind::Number(_) => "a number",
            JsonKind::String(_) => "a string",
            JsonKind::Array(_) => "an array",
            JsonKind::Object(_) => "an object",
        }
    }
}

/// Parses one JSON document; anything but whitespace after it is an error.
pub fn parse(text: &str) -> Result<JsonValue, JsonError> {
    parse_skipping(text, &[])
}

/// [`parse`], except that in a top-level object the values of the members named
/// in `skip` are only checked to be well-formed JSON, not built: each stands as
/// a `null` whose span is the value's text (see [`parse_span`] to build it later).
/// For a reader that may not need those values at all (a batch line whose
/// policies are already compiled). An error may differ in wording from
/// [`parse`]'s; re-parse with [`parse`] to report it.
pub fn parse_skipping(text: &str, skip: &[&str]) -> Result<JsonValue, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        skip,
    };
    reader.skip_whitespace();
    if reader.pos == reader.bytes.len() {
        return Err(reader.error_here("expected a JSON value, found the end of the input"));
    }
    let value = reader.value(0)?;
    reader.skip_whitespace();
    if reader.pos != reader.bytes.len() {
        return Err(reader.error_here("expected the end of the input after the JSON value"));
    }
    Ok(value)
}

/// Builds the value whose text is `text[span]`, nested `depth` levels deep (a
/// member of a top-level object is at depth 1); spans are into `text`.
pub fn parse_span(text: &str, span: Span, depth: usize) -> Result<JsonValue, JsonError> {
    let mut reader = Reader {
        text: &text[..span.end],
        bytes: &text.as_bytes()[..span.end],
        pos: span.start,
        skip: &[],
    };
    let value = reader.value(depth)?;
    if reader.pos != span.end {
        return Err(reader.error_here("expected the end of the value"));
    }
    Ok(value)
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    /// Top-level members whose values are skipped, not built.
    skip: &'t [&'t str],
}

impl<'t> Reader<'t> {
    fn error(&self, message: impl Into<String>, span: Span) -> JsonError {
        JsonError {
            message: message.into(),
            span,
        }
    }

    fn error_here(&self, message: impl Into<String>) -> JsonError {
        let end = (self.pos + self.char_len_at(self.pos)).min(self.bytes.len());
        self.error(message, Span::new(self.pos, end))
    }

    fn char_len_at(&self, pos: usize) -> usize {
        self.text
            .get(pos..)
            .and_then(|s| s.chars().next())
            .map_or(0, char::len_utf8)
    }

    fn found(&self) -> String {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => "the end of the input".to_string(),
            Some(c) => format!("`{}`", c.escape_debug()),
        }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(JsonValue {
                    kind: JsonKind::String(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", JsonKind::Bool(true)),
            Some(b'f') => self.literal("false", JsonKind::Bool(false)),
            Some(b'n') => self.literal("null", JsonKind::Null),
            _ => Err(self.error_here(format!("expected a JSON value, found {}", self.found()))),
        }
    }

    /// Checks one value like [`Reader::value`] without building it.
    fn skip_value(&mut self, depth: usize) -> Result<(), JsonError> {
        match self.bytes.get(self.pos) {
            Some(b'{') => {
                let depth = self.enter(depth)?;
                self.pos += 1;
                self.skip_whitespace();
                if self.bytes.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.skip_whitespace();
                    if self.bytes.get(self.pos) != Some(&b'"') {
                        return Err(self.error_here("expected a member name in double quotes"));
                    }
                    self.skip_string()?;
                    self.skip_whitespace();
                    if self.bytes.get(self.pos) != Some(&b':') {
                        return Err(self.error_here("expected `:` after the member name"));
                    }
                    self.pos += 1;
                    self.skip_whitespace();
                    self.skip_value(depth)?;
                    self.skip_whitespace();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.error_here("expected `,` or `}` after an object member")),
                    }
                }
            }
            Some(b'[') => {
                let depth = self.enter(depth)?;
                self.pos += 1;
                self.skip_whitespace();
                if self.bytes.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    return Ok(());
                }
                loop {
                    self.skip_whitespace();
                    self.skip_value(depth)?;
                    self.skip_whitespace();
                    match self.bytes.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Ok(());
                        }
                        _ => return Err(self.error_here("expected `,` or `]` after an array element")),
                    }
                }
            }
            Some(b'"') => self.skip_string(),
            _ => self.value(depth).map(drop),
        }
    }

    /// Checks a string like [`Reader::string`]; one with an escape is decoded by it.
    fn skip_string(&mut self) -> Result<(), JsonError> {
        let start = self.pos;
        self.pos += 1;
        while let Some(&b) = self.bytes.get(self.pos) {
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' | 0..0x20 => break,
                _ => self.pos += 1,
            }
        }
        self.pos = start;
        self.string().map(drop)
    }

    fn enter(&self, depth: usize) -> Result<usize, JsonError> {
        if depth >= MAX_DEPTH {
            Err(self.error_here(format!(
                "nesting deeper than {MAX_DEPTH} levels: veto refuses such input"
            )))
        } else {
            Ok(depth + 1)
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JsonValue {
                kind: JsonKind::Object(members),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.error_here(format!(
                    "expected a member name in double quotes, found {}",
                    self.found()
                )));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.error_here(format!("expected `:` after the member name, found {}", self.found())));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = if depth == 1 && self.skip.contains(&key.as_str()) {
                let value_start = self.pos;
                self.skip_value(depth)?;
                JsonValue {
                    kind: JsonKind::Null,
                    span: Span::new(value_start, self.pos),
                }
            } else {
                self.value(depth)?
            };
            members.push(JsonMember { key, key_span, value });
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonValue {
                        kind: JsonKind::Object(members),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => {
                    return Err(self.error_here(format!(
                        "expected `,` or `}}` after an object member, found {}",
                        self.found()
                    )))
                }
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonValue, JsonError> {
        let depth = self.enter(depth)?;
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JsonValue {
                kind: JsonKind::Array(items),
                span: Span::new(start, self.pos),
            });
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonValue {
                        kind: JsonKind::Array(items),
                        span: Span::new(start, self.pos),
                    });
                }
                _ => {
                    return Err(self.error_here(format!(
                        "expected `,` or `]` after an array element, found {}",
                        self.found()
                    )))
                }
            }
        }
    }

    fn literal(&mut self, word: &str, kind: JsonKind) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(JsonValue {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            Err(self.error_here(format!("expected a JSON value, found {}", self.found())))
        }
    }

    fn number(&mut self) -> Result<JsonValue, JsonError> {
        let start = self.pos;
        let digits = |r: &mut Self| {
            let from = r.pos;
            while let Some(b'0'..=b'9') = r.bytes.get(r.pos) {
                r.pos += 1;
            }
            r.pos - from
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let int_len = digits(self);
        if int_len == 0 {
            return Err(self.error_here("expected a digit in the number"));
        }
        if int_len > 1 && self.bytes[int_start] == b'0' {
            return Err(self.error("a JSON number cannot have leading zeros", Span::new(start, self.pos)));
        }
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.error_here("expected a digit in the exponent"));
            }
        }
        Ok(JsonValue {
            kind: JsonKind::Number(self.text[start..self.pos].to_string()),
            span: Span::new(start, self.pos),
        })
    }

    /// Reads a string starting at the opening quote; `self.pos` ends after the closing one.
    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.bytes.get(self.pos) {
                None => {
                    return Err(self.error(
                        "unterminated string: expected a closing `\"`",
                        Span::new(start, self.pos),
                    ))
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let c = match self.bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let unit = self.hex4(escape_start)?;
                            let c = if (0xD800..0xDC00).contains(&unit) {
                                if !self.bytes[self.pos..].starts_with(b"\\u") {
                                    return Err(self.error(
                                        "a high surrogate escape must be followed by a low surrogate `\\uDC00`..`\\uDFFF`",
                                        Span::new(escape_start, self.pos),
                                    ));
                                }
                                self.pos += 2;
                                let low = self.hex4(escape_start)?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error(
                                        "expected a low surrogate `\\uDC00`..`\\uDFFF`",
                                        Span::new(escape_start, self.pos),
                                    ));
                                }
                                char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                            } else {
                                char::from_u32(unit)
                            };
                            let Some(c) = c else {
                                return Err(self.error(
                                    "a lone low surrogate is not a character",
                                    Span::new(escape_start, self.pos),
                                ));
                            };
                            out.push(c);
                            continue;
                        }
                        _ => {
                            let end = (self.pos + self.char_len_at(self.pos)).min(self.bytes.len());
                            return Err(self.error(
                                "unknown escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                                Span::new(escape_start, end),
                            ));
                        }
                    };
                    self.pos += 1;
                    out.push(c);
                }
                Some(_) => {
                    return Err(self.error_here(
                        "control characters must be escaped inside a string (a line break ends no JSON string)",
                    ))
                }
            }
        }
    }

    fn hex4(&mut self, escape_start: usize) -> Result<u32, JsonError> {
        let digits = self.bytes.get(self.pos..self.pos + 4);
        let value = digits
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .and_then(|d| u32::from_str_radix(std::str::from_utf8(d).ok()?, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self.error(
                "expected four hex digits after `\\u`",
                Span::new(escape_start, (self.pos + 4).min(self.bytes.len())),
            )),
        }
    }
}

/// Checks that `bytes` are UTF-8, reporting the first bad byte's offset.
pub fn utf8(bytes: &[u8]) -> Result<&str, JsonError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        JsonError {
            message: "the input is not valid UTF-8".to_string(),
            span: Span::new(at, at + 1),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicates_and_spans() {
        let v = parse(r#"{"a": 1, "a": [true, null, "x\u00e9"]}"#).unwrap();
        let members = v.as_object().unwrap();
        assert_eq!(members.len(), 2);
        assert_eq!(members[0].key_span, Span::new(1, 4));
        assert_eq!(members[0].value.kind, JsonKind::Number("1".into()));
        let JsonKind::Array(items) = &members[1].value.kind else {
            panic!("expected an array")
        };
        assert_eq!(items[2].kind, JsonKind::String("xé".into()));
    }

    #[test]
    fn rejects_bad_input_with_positions() {
        for (text, at) in [
            ("", 0),
            ("{", 1),
            ("[1,]", 3),
            ("{\"a\" 1}", 5),
            ("01", 0),
            ("\"abc", 0),
            ("[1] x", 4),
            ("{'a': 1}", 1),
            ("\"\\x\"", 1),
        ] {
            let err = parse(text).unwrap_err();
            assert_eq!(err.span.start, at, "{text:?}: {err}");
        }
    }

    #[test]
    fn bounds_depth_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nesting"), "{err}");
        assert_eq!(err.span.start, MAX_DEPTH);
    }

    #[test]
    fn skipped_members_are_checked_and_can_be_built_later() {
        let text = r#"{"a": {"x": [1, "y\u00e9", null]}, "b": 2, "c": "\n"}"#;
        let lazy = parse_skipping(text, &["a", "c"]).unwrap();
        let full = parse(text).unwrap();
        let (lazy_members, full_members) = (lazy.as_object().unwrap(), full.as_object().unwrap());
        assert_eq!(lazy_members[0].value.kind, JsonKind::Null);
        assert_eq!(lazy_members[1], full_members[1]);
        for i in [0, 2] {
            let built = parse_span(text, lazy_members[i].value.span, 1).unwrap();
            assert_eq!(built, full_members[i].value);
        }
        for bad in [
            r#"{"a": [1,]}"#,
            r#"{"a": {"x" 1}}"#,
            "{\"a\": \"\u{1}\"}",
            r#"{"a": "\x"}"#,
            r#"{"a": tru}"#,
        ] {
            assert!(parse_skipping(bad, &["a"]).is_err(), "{bad}");
        }
        let deep = format!("{{\"a\": {}}}", "[".repeat(200));
        assert!(parse_skipping(&deep, &["a"]).unwrap_err().message.contains("nesting"));
    }

    #[test]
    fn decodes_surrogate_pairs() {
        let v = parse(r#""\ud83d\ude00""#).unwrap();
        assert_eq!(v.kind, JsonKind::String("😀".into()));
        assert!(parse(r#""\ud83d""#).is_err());
    }
}
