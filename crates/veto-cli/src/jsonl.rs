//! The JSON Lines driver `eval --batch` and `prove --batch` share: one JSON
//! object out per non-blank line in, a bad line answered with
//! `{"id", "error", "line", "column"}` and the run carrying on, exit 2 if any
//! line was bad.

use crate::render::Source;
use crate::EXIT_INPUT;
use serde_json::{json, Value};
use std::io::{BufRead, BufWriter, Write};
use std::process::ExitCode;

/// Runs `answer` on every non-blank line of `path` (`-` reads stdin). `answer`
/// gets the line's text and a [`Source`] whose line numbers are the file's.
pub fn run(path: &str, mut answer: impl FnMut(&str, &Source) -> Value) -> ExitCode {
    let input: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin().lock()))
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("error: cannot read {path}: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        }
    };
    let mut out = BufWriter::new(std::io::stdout().lock());
    let (mut any_failed, mut cases) = (false, 0usize);
    for (n, line) in input.split(b'\n').enumerate() {
        let line_number = n + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: {path}: reading line {line_number}: {e}");
                return ExitCode::from(EXIT_INPUT);
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        cases += 1;
        let result = match std::str::from_utf8(&line) {
            Err(e) => error_line(None, "the line is not valid UTF-8", line_number, e.valid_up_to() + 1),
            Ok(text) => {
                let source = Source {
                    line_offset: n,
                    ..Source::new(path, text)
                };
                answer(text, &source)
            }
        };
        any_failed |= result.get("error").is_some();
        if writeln!(out, "{result}").is_err() {
            return ExitCode::from(EXIT_INPUT);
        }
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

/// A case's `id` as JSON (its source text), or null when it had none.
pub fn id_value(id_json: Option<&str>) -> Value {
    id_json
        .and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// The answer to a line that could not be read as a case.
pub fn error_line(id_json: Option<&str>, message: &str, line: usize, column: usize) -> Value {
    json!({"id": id_value(id_json), "error": message, "line": line, "column": column})
}
