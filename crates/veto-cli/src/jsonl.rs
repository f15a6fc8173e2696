//! The JSON Lines driver `eval --batch` and `prove --batch` share: one JSON
//! object out per non-blank line in, a bad line answered with
//! `{"id", "error", "line", "column"}` and the run carrying on, exit 2 if any
//! line was bad.
//!
//! Memory is bounded by the line limit, not by the input: a line is held only up
//! to [`max_line_bytes`] (the rest of a longer one is read and dropped), and lines
//! are answered a chunk at a time (at most [`CHUNK_LINES`] lines or
//! [`CHUNK_BYTES`] bytes plus one line), in input order. With `parallel`, the
//! lines of a chunk are answered on every core while the next chunk is read.

use crate::render::Source;
use crate::EXIT_INPUT;
use crate::MAX_INPUT_BYTES;
use rayon::prelude::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

/// Lines answered together: enough to keep every core busy, few enough to stream.
pub const CHUNK_LINES: usize = 2048;
/// Bytes of line text a chunk holds before it is answered (plus one line at most).
pub const CHUNK_BYTES: usize = 8 << 20;

/// The longest line read: 64 MiB, the limit on every `veto eval` input. The
/// environment variable `VETO_MAX_LINE_BYTES` can lower it (never raise it), so
/// tests can cross it without writing 64 MiB.
pub fn max_line_bytes() -> usize {
    let limit = MAX_INPUT_BYTES as usize;
    std::env::var("VETO_MAX_LINE_BYTES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .map_or(limit, |v| v.min(limit))
}

/// One output line: the case's `id` exactly as written in the input (its JSON
/// text, echoed byte for byte, so `12345678901234567890123` stays that number),
/// and the other fields.
pub struct Answer {
    id_json: Option<String>,
    body: Value,
}

impl Answer {
    /// `body` is a JSON object; its `id` field, if any, is where the id is written
    /// (first when it has none).
    pub fn new(id_json: Option<&str>, body: Value) -> Answer {
        Answer {
            id_json: id_json.map(str::to_string),
            body,
        }
    }

    pub fn is_error(&self) -> bool {
        self.body.get("error").is_some()
    }

    /// The line, without its line break.
    fn render(&self) -> String {
        let id = self.id_json.as_deref().unwrap_or("null");
        let Value::Object(fields) = &self.body else {
            return self.body.to_string();
        };
        let mut out = String::with_capacity(64);
        out.push('{');
        if !fields.contains_key("id") {
            out.push_str("\"id\":");
            out.push_str(id);
            if !fields.is_empty() {
                out.push(',');
            }
        }
        for (i, (key, value)) in fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&Value::from(key.as_str()).to_string());
            out.push(':');
            if key == "id" {
                out.push_str(id);
            } else {
                out.push_str(&value.to_string());
            }
        }
        out.push('}');
        out
    }
}

/// A line as read: its text, or only its length when it is over the limit.
enum RawLine {
    Text(Vec<u8>),
    TooLong(usize),
}

/// Reads one line (without its `\n`), keeping at most `limit` bytes of it.
/// `None` at the end of the input.
fn read_line(input: &mut dyn BufRead, limit: usize) -> std::io::Result<Option<RawLine>> {
    let mut line = Vec::new();
    let (mut length, mut any) = (0usize, false);
    loop {
        let buffer = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buffer.is_empty() {
            break;
        }
        any = true;
        let (piece, used, done) = match memchr::memchr(b'\n', buffer) {
            Some(i) => (&buffer[..i], i + 1, true),
            None => (buffer, buffer.len(), false),
        };
        length += piece.len();
        if length <= limit {
            line.extend_from_slice(piece);
        } else if !line.is_empty() {
            // Over the limit: drop what was kept and only count the rest.
            line = Vec::new();
        }
        input.consume(used);
        if done {
            break;
        }
    }
    Ok(match (any, length <= limit) {
        (false, _) => None,
        (true, true) => Some(RawLine::Text(line)),
        (true, false) => Some(RawLine::TooLong(length)),
    })
}

/// The next chunk of non-blank lines with their 1-based numbers; empty at the end.
fn read_chunk(input: &mut dyn BufRead, limit: usize, next_line: &mut usize) -> std::io::Result<Vec<(usize, RawLine)>> {
    let (mut chunk, mut bytes) = (Vec::new(), 0usize);
    while chunk.len() < CHUNK_LINES && bytes < CHUNK_BYTES {
        let Some(line) = read_line(input, limit)? else {
            break;
        };
        *next_line += 1;
        if let RawLine::Text(t) = &line {
            if t.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            bytes += t.len();
        }
        chunk.push((*next_line, line));
    }
    Ok(chunk)
}

/// Runs `answer` on every non-blank line of `path` (`-` reads stdin). `answer`
/// gets the line's text and a [`Source`] whose line numbers are the file's.
/// With `parallel`, lines are answered on every core; output stays in input order.
pub fn run(path: &str, parallel: bool, answer: impl Fn(&str, &Source) -> Answer + Sync) -> ExitCode {
    let mut input: Box<dyn BufRead + Send> = if path == "-" {
        Box::new(std::io::BufReader::with_capacity(1 << 16, std::io::stdin()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("error: cannot read {path}: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    };
    let limit = max_line_bytes();
    let answer_line = |(number, line): &(usize, RawLine)| -> (String, bool) {
        let result = match line {
            RawLine::TooLong(length) => error_line(
                None,
                &format!(
                    "the line is {length} bytes; veto reads batch lines up to {limit} bytes ({} MiB)",
                    limit >> 20
                ),
                *number,
                1,
            ),
            RawLine::Text(bytes) => match std::str::from_utf8(bytes) {
                Err(e) => error_line(None, "the line is not valid UTF-8", *number, e.valid_up_to() + 1),
                Ok(text) => {
                    let source = Source {
                        line_offset: number - 1,
                        ..Source::new(path, text)
                    };
                    answer(text, &source)
                }
            },
        };
        (result.render(), result.is_error())
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut any_failed, mut cases, mut next_line) = (false, 0usize, 0usize);
    let mut chunk = match read_chunk(&mut *input, limit, &mut next_line) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {path}: reading line {}: {e}", next_line + 1);
            return ExitCode::from(EXIT_INPUT);
        }
    };
    while !chunk.is_empty() {
        let (next, answers) = if parallel {
            rayon::join(
                || read_chunk(&mut *input, limit, &mut next_line),
                || chunk.par_iter().map(answer_line).collect::<Vec<_>>(),
            )
        } else {
            let answers = chunk.iter().map(answer_line).collect::<Vec<_>>();
            (read_chunk(&mut *input, limit, &mut next_line), answers)
        };
        cases += answers.len();
        for (line, failed) in answers {
            any_failed |= failed;
            if writeln!(out, "{line}").is_err() {
                return ExitCode::from(EXIT_INPUT);
            }
        }
        chunk = match next {
            Ok(c) => c,
            Err(e) => {
                let _ = out.flush();
                eprintln!("error: {path}: reading line {}: {e}", next_line + 1);
                return ExitCode::from(EXIT_INPUT);
            }
        };
    }
    if out.flush().is_err() {
        return ExitCode::from(EXIT_INPUT);
    }
    if cases == 0 {
        eprintln!("error: {path}: no cases: expected one JSON object per line");
        return ExitCode::from(EXIT_INPUT);
    }
    if any_failed {
        ExitCode::from(EXIT_INPUT)
    } else {
        ExitCode::SUCCESS
    }
}

/// The answer to a line that could not be read as a case.
pub fn error_line(id_json: Option<&str>, message: &str, line: usize, column: usize) -> Answer {
    Answer::new(
        id_json,
        json!({"id": null, "error": message, "line": line, "column": column}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str, limit: usize) -> Vec<String> {
        let mut reader = std::io::BufReader::with_capacity(4, input.as_bytes());
        let mut out = Vec::new();
        while let Some(line) = read_line(&mut reader, limit).unwrap() {
            out.push(match line {
                RawLine::Text(t) => String::from_utf8(t).unwrap(),
                RawLine::TooLong(n) => format!("<{n} bytes>"),
            });
        }
        out
    }

    #[test]
    fn reads_lines_up_to_the_limit_and_skips_the_rest() {
        assert_eq!(lines("ab\n\ncdefgh\nij", 5), ["ab", "", "<6 bytes>", "ij"]);
        assert_eq!(lines("abcde\nabcdef", 5), ["abcde", "<6 bytes>"]);
        assert!(lines("", 5).is_empty());
    }

    #[test]
    fn echoes_the_id_as_written() {
        let answer = Answer::new(
            Some("12345678901234567890123"),
            json!({"id": null, "decision": "Allow"}),
        );
        assert_eq!(answer.render(), r#"{"id":12345678901234567890123,"decision":"Allow"}"#);
        let answer = Answer::new(None, json!({"error": "x"}));
        assert_eq!(answer.render(), r#"{"id":null,"error":"x"}"#);
    }
}
