//! The canonical layout. Every comment is kept: a comment on its own line stays
//! before the entry that follows it, a comment after code stays at the end of
//! that line. Entries keep their order; one blank line between entries in the
//! source stays one blank line. Formatting is idempotent.

use crate::ast::*;

/// A `//` comment in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Comment {
    start: usize,
    /// The comment text from `//`, without the line break and trailing spaces.
    text: String,
    /// Whether code precedes it on its line.
    trailing: bool,
}

fn comments(text: &str) -> Vec<Comment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut code_on_line = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                code_on_line = false;
                i += 1;
            }
            b'"' => {
                code_on_line = true;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                out.push(Comment {
                    start,
                    text: text[start..i.min(text.len())].trim_end().to_string(),
                    trailing: code_on_line,
                });
            }
            b' ' | b'\t' | b'\r' => i += 1,
            _ => {
                code_on_line = true;
                i += 1;
            }
        }
    }
    out
}

/// Longer `require` lines are broken before their top-level operators.
const MAX_LINE: usize = 100;

struct Printer<'s> {
    source: Option<&'s str>,
    comments: Vec<Comment>,
    next_comment: usize,
    lines: Vec<String>,
    indent: usize,
    /// Where the last printed entry or comment of the current block ends in the
    /// source; `None` right after a block opens. A blank source line between it
    /// and the next comment or entry is kept as one blank line.
    last_end: Option<usize>,
}

/// Formats a parsed file with its source text (for comments and blank lines).
pub fn format(file: &File, source: &str) -> String {
    Printer::new(Some(source)).print(file)
}

/// Formats a tree that has no source text (generated trees, for instance).
pub fn format_tree(file: &File) -> String {
    Printer::new(None).print(file)
}

impl<'s> Printer<'s> {
    fn new(source: Option<&'s str>) -> Self {
        Printer {
            source,
            comments: source.map(comments).unwrap_or_default(),
            next_comment: 0,
            lines: Vec::new(),
            indent: 0,
            last_end: None,
        }
    }

    fn print(mut self, file: &File) -> String {
        self.file(file);
        self.finish()
    }
}

impl Printer<'_> {
    fn line(&mut self, text: impl AsRef<str>) {
        let text = text.as_ref();
        if text.is_empty() {
            self.lines.push(String::new());
        } else {
            self.lines.push(format!("{}{text}", "  ".repeat(self.indent)));
        }
    }

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    /// Appends to their lines the trailing comments that come before `pos`, so a
    /// blank line printed next does not separate them from their code.
    fn trailing_before(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= pos || !c.trailing {
                break;
            }
            let c = c.clone();
            match self.lines.last_mut() {
                Some(last) if !last.trim().is_empty() && !last.trim_start().starts_with("//") => {
                    last.push(' ');
                    last.push_str(&c.text);
                    self.next_comment += 1;
                    self.last_end = Some(c.start + c.text.len());
                }
                _ => break,
            }
        }
    }

    /// Emits the comments that start before `pos`.
    fn comments_before(&mut self, pos: usize) {
        while let Some(c) = self.comments.get(self.next_comment) {
            if c.start >= pos {
                break;
            }
            let c = c.clone();
            self.next_comment += 1;
            match self.lines.last_mut() {
                Some(last) if c.trailing && !last.trim().is_empty() && !last.trim_start().starts_with("//") => {
                    last.push(' ');
                    last.push_str(&c.text);
                }
                // Own-line comments, and trailing ones whose code is a brace printed elsewhere.
                _ => {
                    self.gap(c.start);
                    self.line(&c.text);
                }
            }
            self.last_end = Some(c.start + c.text.len());
        }
    }

    /// Keeps one blank line if the source had one between the last printed thing and `start`.
    fn gap(&mut self, start: usize) {
        if self.last_end.is_some_and(|end| self.blank_between(end, start)) {
            self.blank();
        }
    }

    /// Prints the opening line of a block.
    fn open(&mut self, text: impl AsRef<str>) {
        self.line(text);
        self.indent += 1;
        self.last_end = None;
    }

    /// Prints the comments before an entry at `start`, then keeps a source blank line before it.
    fn before_entry(&mut self, start: usize) {
        self.comments_before(start);
        self.gap(start);
    }

    /// Was there a blank line in the source between `a` and `b`?
    fn blank_between(&self, a: usize, b: usize) -> bool {
        let Some(src) = self.source else { return false };
        let segments: Vec<&str> = src.get(a..b.max(a)).unwrap_or("").split('\n').collect();
        segments.len() > 2 && segments[1..segments.len() - 1].iter().any(|l| l.trim().is_empty())
    }

    fn finish(mut self) -> String {
        self.comments_before(usize::MAX);
        while self.lines.last().is_some_and(|l| l.is_empty()) {
            self.lines.pop();
        }
        let mut out = self.lines.join("\n");
        out.push('\n');
        out
    }

    fn file(&mut self, file: &File) {
        for (i, item) in file.items.iter().enumerate() {
            self.trailing_before(item.span().start);
            if i > 0 {
                self.blank();
            }
            self.before_entry(item.span().start);
            match item {
                Item::Rule(r) => self.rule(r),
                Item::Suite(s) => self.suite(s),
            }
            self.last_end = Some(item.span().end);
        }
    }

    fn block_end(&mut self, end: usize) {
        self.comments_before(end.saturating_sub(1));
        self.indent -= 1;
        self.line("}");
    }

    fn rule(&mut self, rule: &Rule) {
        self.open(format!("rule {} {{", rule.id.node));
        for entry in &rule.entries {
            let span = entry.span();
            self.trailing_before(span.start);
            self.before_entry(span.start);
            match entry {
                RuleEntry::Title(t) => self.line(format!("title {}", quote(&t.node))),
                RuleEntry::Severity(s) => self.line(format!("severity {}", s.node)),
                RuleEntry::Rationale(r) => self.line(format!("rationale {}", quote(&r.node))),
                RuleEntry::Applies(a) => {
                    let filter = a
                        .filter
                        .as_ref()
                        .map(|f| format!(" {}", quote(&f.node)))
                        .unwrap_or_default();
                    self.line(format!("applies {}{filter} as {}", a.kind.node, a.binding.node));
                }
                RuleEntry::Check(Check::DenyEvery(set)) => self.request_set("deny every request", set),
                RuleEntry::Check(Check::AllowSome(set)) => self.request_set("allow some request", set),
                RuleEntry::Check(Check::Require(e)) => self.require(&e.node),
            }
            self.last_end = Some(span.end);
        }
        self.block_end(rule.span.end);
    }

    /// `require`, with a long top-level `and`/`or`/`implies` broken before each operator.
    fn require(&mut self, e: &Expr) {
        let one_line = format!("require {}", expr(e, 0));
        if one_line.len() + 2 * self.indent <= MAX_LINE {
            return self.line(one_line);
        }
        let (operands, keyword, min): (Vec<&Expr>, &str, u8) = match e {
            Expr::And(es) => (es.iter().map(|x| &x.node).collect(), "and", 3),
            Expr::Or(es) => (es.iter().map(|x| &x.node).collect(), "or", 2),
            Expr::Implies(a, b) => (vec![&a.node, &b.node], "implies", 1),
            _ => return self.line(one_line),
        };
        self.line(format!("require {}", expr(operands[0], min)));
        self.indent += 1;
        for o in &operands[1..] {
            self.line(format!("{keyword} {}", expr(o, min)));
        }
        self.indent -= 1;
    }

    fn request_set(&mut self, head: &str, set: &RequestSet) {
        let comment_inside = self
            .comments
            .get(self.next_comment)
            .is_some_and(|c| c.start < set.span.end);
        if set.constraints.is_empty() && !comment_inside {
            return self.line(format!("{head} {{}}"));
        }
        self.open(format!("{head} {{"));
        for c in &set.constraints {
            self.trailing_before(c.span().start);
            self.comments_before(c.span().start);
            let text = match c {
                Constraint::Principal(v) => format!("principal {}", value_list(&v.node)),
                Constraint::Action(v) => format!("action {}", value_list(&v.node)),
                Constraint::NotAction(v) => format!("action not {}", value_list(&v.node)),
                Constraint::Resource(v) => format!("resource {}", value_list(&v.node)),
                Constraint::When(w) => {
                    let test = match &w.test {
                        KeyTest::Absent => "absent".to_string(),
                        KeyTest::Present => "present".to_string(),
                        KeyTest::Compare(op, v) => format!("{} {}", op.node.text(), value_list(&v.node)),
                    };
                    format!("when {} {test}", quote(&w.key.node))
                }
            };
            self.line(text);
            self.last_end = Some(c.span().end);
        }
        self.block_end(set.span.end);
    }

    fn suite(&mut self, suite: &Suite) {
        self.open(format!("suite {} {{", quote(&suite.name.node)));
        let mut previous_was_case: Option<bool> = None;
        for entry in &suite.entries {
            let span = entry.span();
            let is_case = matches!(entry, SuiteEntry::Case(_));
            self.trailing_before(span.start);
            // Cases always stand apart; other entries keep the source's blank lines.
            if previous_was_case.is_some_and(|was_case| is_case || was_case) {
                self.blank();
            }
            self.before_entry(span.start);
            match entry {
                SuiteEntry::Document(d) => {
                    let paths: Vec<String> = d.paths.iter().map(|p| quote(&p.node)).collect();
                    self.line(format!("{} {}", d.kind.keyword(), paths.join(" ")));
                }
                SuiteEntry::Case(c) => self.case(c),
                SuiteEntry::ExpectRule(e) => self.line(format!(
                    "expect rule {} {}",
                    e.rule.node,
                    if e.pass { "pass" } else { "fail" }
                )),
            }
            self.last_end = Some(span.end);
            previous_was_case = Some(is_case);
        }
        self.block_end(suite.span.end);
    }

    fn case(&mut self, c: &Case) {
        self.open(format!("case {} {{", quote(&c.name.node)));
        self.comments_before(c.request.span.start);
        self.open("request {");
        let r = &c.request;
        let fields = [
            ("principal", &r.principal),
            ("action", &r.action),
            ("resource", &r.resource),
            ("resource_account", &r.resource_account),
        ];
        let mut items: Vec<(usize, usize, String)> = fields
            .iter()
            .filter_map(|(name, v)| {
                v.as_ref()
                    .map(|v| (v.span.start, v.span.end, format!("{name} {}", quote(&v.node))))
            })
            .collect();
        if r.has_context {
            let start = r.context.first().map_or(r.span.end, |e| e.key.span.start);
            let end = r.context.last().map_or(start, |e| e.value.span.end);
            let entries: Vec<String> = r
                .context
                .iter()
                .map(|e| format!("{}: {}", quote(&e.key.node), context_value(&e.value.node)))
                .collect();
            let body = if entries.is_empty() {
                "{}".to_string()
            } else {
                format!("{{ {} }}", entries.join(", "))
            };
            items.push((start, end, format!("context {body}")));
        }
        items.sort_by_key(|(start, _, _)| *start);
        for (start, end, text) in items {
            self.trailing_before(start);
            self.comments_before(start);
            self.line(text);
            self.last_end = Some(end);
        }
        self.block_end(r.span.end);
        self.last_end = Some(r.span.end);
        self.comments_before(c.expect.span.start);
        let by = c
            .expect
            .by
            .as_ref()
            .map(|b| format!(" by {}", quote(&b.node)))
            .unwrap_or_default();
        self.line(format!("expect {}{by}", c.expect.decision.node.keyword()));
        self.last_end = Some(c.expect.span.end);
        self.block_end(c.span.end);
    }
}

/// A string literal in the language's syntax.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(
            s,
            "and" | "or" | "not" | "implies" | "missing" | "present" | "matches" | "in" | "true" | "false"
        )
}

fn path(p: &Path) -> String {
    let mut out = p.root.node.clone();
    for s in &p.segments {
        match s {
            PathSegment::Field(f) if is_ident(f) => {
                out.push('.');
                out.push_str(f);
            }
            PathSegment::Field(f) => {
                out.push('.');
                out.push_str(&quote(f));
            }
            PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

fn value(v: &Value) -> String {
    let terms: Vec<String> = v
        .terms
        .iter()
        .map(|t| match &t.node {
            Term::Str(s) => quote(s),
            Term::Number(n) => n.clone(),
            Term::Bool(b) => b.to_string(),
            Term::Path(p) => path(p),
        })
        .collect();
    terms.join(" + ")
}

fn value_list(v: &ValueList) -> String {
    match v {
        ValueList::One(v) => value(v),
        ValueList::AnyOf(vs) => {
            let items: Vec<String> = vs.iter().map(|v| value(&v.node)).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

fn context_value(v: &ContextValue) -> String {
    match v {
        ContextValue::Str(s) => quote(s),
        ContextValue::Number(n) => n.clone(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::List(items) => {
            let items: Vec<String> = items.iter().map(context_value).collect();
            format!("[{}]", items.join(", "))
        }
    }
}

/// Binding strength: `implies` 0, `or` 1, `and` 2, `not` 3, operands 4.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Implies(..) => 0,
        Expr::Or(_) => 1,
        Expr::And(_) => 2,
        Expr::Not(_) => 3,
        _ => 4,
    }
}

/// Prints `e`, parenthesised when it binds looser than `min` requires.
fn expr(e: &Expr, min: u8) -> String {
    let text = match e {
        Expr::Implies(a, b) => format!("{} implies {}", expr(&a.node, 1), expr(&b.node, 1)),
        Expr::Or(es) => es.iter().map(|x| expr(&x.node, 2)).collect::<Vec<_>>().join(" or "),
        Expr::And(es) => es.iter().map(|x| expr(&x.node, 3)).collect::<Vec<_>>().join(" and "),
        Expr::Not(x) => format!("not {}", expr(&x.node, 3)),
        Expr::Missing(p) => format!("missing {}", path(&p.node)),
        Expr::Present(p) => format!("present {}", path(&p.node)),
        Expr::Truthy(v) => value(&v.node),
        Expr::Compare(l, op, r) => format!("{} {} {}", value(&l.node), op.node.text(), value_list(&r.node)),
    };
    if precedence(e) < min {
        format!("({text})")
    } else {
        text
    }
}
