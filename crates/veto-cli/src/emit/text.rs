//! rustc-style text: each finding with its source line, the element at fault
//! labelled, the suggested statement, and the counterexample as a replayable request.

use super::{Emitter, Output, Report};
use veto_check::doc::Pos;
use veto_check::run::{Outcome, Severity};

pub struct Text;

/// The byte offset of a 1-based line and column.
pub fn offset(text: &str, pos: Pos) -> usize {
    let line_start = text
        .split_inclusive('\n')
        .take(pos.line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let line = &text[line_start.min(text.len())..];
    line_start
        + line
            .chars()
            .take(pos.column.saturating_sub(1))
            .map(char::len_utf8)
            .sum::<usize>()
}

/// How many bytes the token at `at` takes: a whole quoted string, a YAML plain
/// scalar up to the end of its line (or the flow punctuation that ends it), else
/// one character (`{`, `[`).
fn token_len(text: &str, at: usize) -> usize {
    let rest = &text[at.min(text.len())..];
    if rest.starts_with(|c: char| c.is_alphanumeric() || "!*$-_./:".contains(c)) {
        let end = rest.find(['\n', ',', ']', '}']).unwrap_or(rest.len());
        let end = rest[..end].find(" #").unwrap_or(end);
        // A mapping key ends at its `: `.
        let end = rest[..end].find(": ").unwrap_or(end);
        return rest[..end].trim_end().len();
    }
    if let Some(body) = rest.strip_prefix('"') {
        let mut escaped = false;
        for (i, c) in body.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => return i + 2,
                '\n' => break,
                _ => escaped = false,
            }
        }
    }
    rest.chars().next().map_or(0, char::len_utf8)
}

/// One message to render at a position of a file.
struct Shown<'a> {
    pos: Pos,
    severity: Severity,
    /// Headed `undecided[ID]`, whatever the severity.
    undecided: bool,
    id: Option<&'a str>,
    message: &'a str,
    label: &'a str,
    help: Option<&'a str>,
}

fn render(path: &str, text: &str, shown: Shown) -> String {
    let Shown {
        pos,
        severity,
        undecided,
        id,
        message,
        label,
        help,
    } = shown;
    use veto_source::render::SnippetLevel;
    let at = offset(text, pos).min(text.len());
    let level = match severity {
        _ if undecided => SnippetLevel::Warning,
        Severity::Error => SnippetLevel::Error,
        Severity::Warning => SnippetLevel::Warning,
        Severity::Info => SnippetLevel::Note,
    };
    let out = veto_source::render::render_snippet(
        path,
        text,
        0,
        level,
        id,
        message,
        veto_source::Span::new(at, at + token_len(text, at).max(1)),
        label,
        help,
    );
    if undecided {
        out.replacen("warning[", "undecided[", 1)
    } else if severity == Severity::Info {
        out.replacen("note[", "info[", 1)
    } else {
        out
    }
}

impl Emitter for Text {
    fn emit(&self, report: &Report) -> Output {
        let mut out = Output::default();
        let (mut findings, mut undecided, mut errors) = (0, 0, 0);
        for r in report.files {
            for (pos, message) in &r.errors {
                errors += 1;
                if r.text.is_empty() {
                    out.stderr
                        .push_str(&format!("error: {}:{}:{}: {message}\n", r.path, pos.line, pos.column));
                } else {
                    out.stderr.push_str(&render(
                        &r.path,
                        &r.text,
                        Shown {
                            pos: *pos,
                            severity: Severity::Error,
                            undecided: false,
                            id: None,
                            message,
                            label: "",
                            help: None,
                        },
                    ));
                    out.stderr.push('\n');
                }
            }
            for f in &r.findings {
                if f.outcome == Outcome::Undecided {
                    undecided += 1;
                } else {
                    findings += 1;
                }
                let help = super::help(f);
                out.stdout.push_str(&render(
                    &r.path,
                    &r.text,
                    Shown {
                        pos: f.pos,
                        severity: f.severity,
                        undecided: f.outcome == Outcome::Undecided,
                        id: Some(&f.rule),
                        message: &f.message,
                        label: f.label.as_deref().unwrap_or(""),
                        help: help.as_deref(),
                    },
                ));
                out.stdout.push('\n');
                if let Some(request) = &f.request {
                    out.stdout
                        .push_str(&format!("  replay: {}\n\n", crate::prove::request_json(request)));
                }
            }
        }
        let undecided = if undecided > 0 {
            format!(", {undecided} undecided")
        } else {
            String::new()
        };
        let skipped = report.files.iter().filter(|r| r.skipped).count();
        let skipped = if skipped > 0 {
            format!(", {skipped} skipped (neither a policy, a template nor a plan)")
        } else {
            String::new()
        };
        out.stderr.push_str(&format!(
            "{} file(s) checked{skipped}: {findings} finding(s){undecided}, {errors} input error(s)\n",
            report.checked()
        ));
        out
    }
}
