//! `.tf.json` files: terraform's JSON syntax, rewritten as HCL text that the
//! HCL reader then reads, with every line of the rewrite mapped back to the
//! line of the JSON it came from (positions point into the `.tf.json` file).
//!
//! JSON strings are templates in terraform's JSON syntax (`"${var.x}"`), so they
//! are written as HCL strings with their `${…}` kept. Which keys of a resource
//! are nested blocks is schema knowledge: the block names veto reads are listed;
//! any other object is an attribute holding an object.

use veto_iam::json::{JsonKind, JsonValue};
use veto_iam::LineIndex;

/// Nested block names in the resources and data sources veto reads.
const BLOCKS: &[&str] = &[
    "statement",
    "principals",
    "not_principals",
    "condition",
    "artifact_store",
    "encryption_key",
    "stage",
    "action",
    "rule",
    "apply_server_side_encryption_by_default",
    "server_side_encryption_configuration",
    "inline_policy",
    "content",
    "lifecycle",
];

/// Top-level blocks and how many labels their keys give.
const TOP: &[(&str, usize)] = &[
    ("resource", 2),
    ("data", 2),
    ("variable", 1),
    ("module", 1),
    ("output", 1),
    ("locals", 0),
];

/// The rewrite: HCL text, and for each of its lines the JSON line and column it came from.
pub(super) struct Rewrite {
    pub text: String,
    pub lines: Vec<(usize, usize)>,
}

struct Writer<'t> {
    source: &'t str,
    index: LineIndex,
    out: String,
    lines: Vec<(usize, usize)>,
}

fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Writer<'_> {
    fn line_of(&self, v: &JsonValue) -> (usize, usize) {
        let lc = self.index.line_col(self.source, v.span.start);
        (lc.line, lc.column)
    }

    /// Writes one line of HCL, from the JSON at `line`.
    fn line(&mut self, line: (usize, usize), text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
        self.lines.push(line);
    }

    /// An expression on one line.
    fn expr(&self, v: &JsonValue) -> String {
        match &v.kind {
            JsonKind::Null => "null".into(),
            JsonKind::Bool(b) => b.to_string(),
            JsonKind::Number(n) => n.clone(),
            JsonKind::String(s) => quote(s),
            JsonKind::Array(items) => format!(
                "[{}]",
                items.iter().map(|i| self.expr(i)).collect::<Vec<_>>().join(", ")
            ),
            JsonKind::Object(members) => format!(
                "{{ {} }}",
                members
                    .iter()
                    .map(|m| format!("{} = {}", quote(&m.key), self.expr(&m.value)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// A block's body: attributes, and nested blocks for the known block names.
    fn body(&mut self, v: &JsonValue) {
        let JsonKind::Object(members) = &v.kind else { return };
        for m in members {
            let line = self.line_of(&m.value);
            let nested = |v: &JsonValue| matches!(v.kind, JsonKind::Object(_));
            if m.key == "dynamic" {
                if let JsonKind::Object(kinds) = &m.value.kind {
                    for k in kinds {
                        for b in as_list(&k.value) {
                            let line = self.line_of(b);
                            self.line(line, &format!("dynamic {} {{", quote(&k.key)));
                            self.body(b);
                            self.line(line, "}");
                        }
                    }
                }
            } else if BLOCKS.contains(&m.key.as_str()) && as_list(&m.value).iter().all(|b| nested(b)) {
                for b in as_list(&m.value) {
                    let line = self.line_of(b);
                    self.line(line, &format!("{} {{", m.key));
                    self.body(b);
                    self.line(line, "}");
                }
            } else {
                let text = format!("{} = {}", m.key, self.expr(&m.value));
                self.line(line, &text);
            }
        }
    }

    fn top(&mut self, kind: &str, labels: usize, v: &JsonValue, prefix: &mut Vec<String>) {
        if kind == "locals" {
            for b in as_list(v) {
                let line = self.line_of(b);
                self.line(line, "locals {");
                if let JsonKind::Object(members) = &b.kind {
                    for m in members {
                        let text = format!("{} = {}", m.key, self.expr(&m.value));
                        let line = self.line_of(&m.value);
                        self.line(line, &text);
                    }
                }
                self.line(line, "}");
            }
            return;
        }
        if prefix.len() == labels {
            for b in as_list(v) {
                let line = self.line_of(b);
                let head: Vec<String> = std::iter::once(kind.to_string())
                    .chain(prefix.iter().map(|l| quote(l)))
                    .collect();
                self.line(line, &format!("{} {{", head.join(" ")));
                self.body(b);
                self.line(line, "}");
            }
            return;
        }
        if let JsonKind::Object(members) = &v.kind {
            for m in members {
                prefix.push(m.key.clone());
                self.top(kind, labels, &m.value, prefix);
                prefix.pop();
            }
        }
    }
}

fn as_list(v: &JsonValue) -> Vec<&JsonValue> {
    match &v.kind {
        JsonKind::Array(items) => items.iter().collect(),
        _ => vec![v],
    }
}

/// Rewrites a `.tf.json` text as HCL; `Err` is the JSON error's offset and message.
pub(super) fn rewrite(text: &str) -> Result<Rewrite, (usize, String)> {
    let root = veto_iam::json::parse(text).map_err(|e| (e.span.start, format!("not valid JSON: {}", e.message)))?;
    let JsonKind::Object(members) = &root.kind else {
        return Err((root.span.start, "a .tf.json file holds a JSON object".into()));
    };
    let mut w = Writer {
        source: text,
        index: LineIndex::new(text),
        out: String::new(),
        lines: Vec::new(),
    };
    for m in members {
        if let Some((kind, labels)) = TOP.iter().find(|(k, _)| *k == m.key) {
            w.top(kind, *labels, &m.value, &mut Vec::new());
        }
    }
    Ok(Rewrite {
        text: w.out,
        lines: w.lines,
    })
}
