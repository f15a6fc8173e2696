//! Parsing: pest grammar → typed AST at once, with errors in a user's words.
//!
//! Longer than 600 lines on purpose: one function per grammar rule of
//! `grammar.pest`, in the grammar's order, so the two files read side by side.

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct VetoParser;

/// Largest `.veto` file accepted.
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of `(`, `[` and `{` accepted.
pub const MAX_DEPTH: usize = 64;

/// Parses one file. A syntax error stops the parse; it is returned positioned.
pub fn parse(file: usize, text: &str) -> Result<File, Diagnostic> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            file,
            Span::new(MAX_SOURCE_BYTES, MAX_SOURCE_BYTES),
            format!(
                "the file is {} bytes; veto reads rule files up to {MAX_SOURCE_BYTES} bytes",
                text.len()
            ),
        )
        .label("the limit is reached here"));
    }
    check_depth(file, text)?;
    // pest's switch is process-wide; it is only ever turned on, so parallel parses
    // cannot race each other into error messages without detail.
    pest::set_error_detail(true);
    let mut pairs = VetoParser::parse(Rule::file, text).map_err(|e| syntax_error(file, text, e))?;
    let root = pairs
        .next()
        .ok_or_else(|| Diagnostic::error(file, Span::default(), "empty parse"))?;
    let mut items = Vec::new();
    for pair in root.into_inner() {
        match pair.as_rule() {
            Rule::rule => items.push(Item::Rule(rule(pair))),
            Rule::suite => items.push(Item::Suite(suite(pair))),
            _ => {}
        }
    }
    Ok(File { items })
}

/// Rejects nesting deeper than [`MAX_DEPTH`] before pest recurses into it.
fn check_depth(file: usize, text: &str) -> Result<(), Diagnostic> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(Diagnostic::error(
                        file,
                        Span::new(i, i + 1),
                        format!("nesting deeper than {MAX_DEPTH} levels of brackets and braces"),
                    )
                    .label("too deep here"));
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

fn describe(grammar_rule: Rule) -> Option<&'static str> {
    Some(match grammar_rule {
        Rule::rule => "`rule`",
        Rule::suite => "`suite`",
        Rule::rule_id => "a rule ID such as CP-S3-TLS",
        Rule::title => "`title`",
        Rule::severity => "`severity`",
        Rule::rationale => "`rationale`",
        Rule::applies => "`applies`",
        Rule::deny_every => "`deny every request`",
        Rule::allow_some => "`allow some request`",
        Rule::require => "`require`",
        Rule::string | Rule::string_inner => "a string in double quotes",
        Rule::ident => "a name",
        Rule::constraints => "`{`",
        Rule::principal_c | Rule::req_principal => "`principal`",
        Rule::action_c | Rule::not_action_c | Rule::req_action => "`action`",
        Rule::resource_c | Rule::req_resource => "`resource`",
        Rule::when_c => "`when`",
        Rule::req_account => "`resource_account`",
        Rule::req_context => "`context`",
        Rule::key_test => "`absent` or `present`",
        Rule::when_op => "a comparison (==, !=, <, <=, >, >=, like, not like, in, not in)",
        Rule::compare_op => "a comparison (==, !=, in, not in, matches)",
        Rule::value_list | Rule::value => "a value",
        Rule::list => "a list `[…]`",
        Rule::path => "a path such as `p.bucket`",
        Rule::number => "a number",
        Rule::boolean => "true or false",
        Rule::expr | Rule::or_expr | Rule::and_expr | Rule::not_expr | Rule::comparison => "an expression",
        Rule::document | Rule::doc_kind => {
            "a document (identity_policy, resource_policy, scp, rcp, boundary, session_policy or template)"
        }
        Rule::case => "`case`",
        Rule::request => "`request {`",
        Rule::expect => "`expect`",
        Rule::decision => "a decision: allow, explicit_deny or implicit_deny",
        Rule::expect_rule => "`expect rule`",
        Rule::outcome => "`pass` or `fail`",
        Rule::context_entry => "a context entry `\"key\": value`",
        Rule::EOI => "the end of the file",
        Rule::missing_test | Rule::missing_kw => "`missing`",
        Rule::present_test | Rule::present_kw => "`present`",
        Rule::and_kw => "`and`",
        Rule::or_kw => "`or`",
        Rule::implies_kw => "`implies`",
        Rule::not_kw => "`not`",
        _ => return None,
    })
}

/// Keywords a misspelt word may have meant, by what the grammar expected.
fn keyword_candidates(expected: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    let all: &[(&str, &[&str])] = &[
        ("`rule`", &["rule"]),
        ("`suite`", &["suite"]),
        ("`title`", &["title"]),
        ("`severity`", &["severity"]),
        ("`rationale`", &["rationale"]),
        ("`applies`", &["applies"]),
        ("`deny every request`", &["deny"]),
        ("`allow some request`", &["allow"]),
        ("`require`", &["require"]),
        ("`principal`", &["principal"]),
        ("`action`", &["action"]),
        ("`resource`", &["resource"]),
        ("`when`", &["when"]),
        ("`case`", &["case"]),
        ("`expect`", &["expect"]),
        ("`expect rule`", &["expect"]),
        ("`resource_account`", &["resource_account"]),
        ("`context`", &["context"]),
        ("`absent` or `present`", &["absent", "present"]),
        ("`pass` or `fail`", &["pass", "fail"]),
        (
            "a decision: allow, explicit_deny or implicit_deny",
            &["allow", "explicit_deny", "implicit_deny"],
        ),
        (
            "a document (identity_policy, resource_policy, scp, rcp, boundary, session_policy or template)",
            &[
                "identity_policy",
                "resource_policy",
                "scp",
                "rcp",
                "boundary",
                "session_policy",
                "template",
            ],
        ),
    ];
    for (description, words) in all {
        if expected.iter().any(|e| e == description) {
            out.extend_from_slice(words);
        }
    }
    out
}

fn syntax_error(file: usize, text: &str, error: pest::error::Error<Rule>) -> Diagnostic {
    let pos = match error.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let mut expected: Vec<String> = Vec::new();
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &error.variant {
        for r in positives {
            if let Some(d) = describe(*r) {
                if !expected.iter().any(|e| e == d) {
                    expected.push(d.to_string());
                }
            }
        }
    }
    if let Some(attempts) = error.parse_attempts() {
        if attempts.max_position == pos || expected.is_empty() {
            for token in attempts.expected_tokens() {
                // Literal tokens only; character ranges and built-ins say nothing to a user.
                let text = token.to_string();
                if text.contains("..") || text == "BUILTIN_RULE" || text.trim().is_empty() || text == "//" {
                    continue;
                }
                // A keyword that a description already names (`allow` in "`allow some request`").
                let named = expected.iter().any(|e| {
                    e.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|w| w == text)
                        || e.contains(&format!("{text},"))
                        || e.contains(&format!("{text})"))
                });
                if named {
                    continue;
                }
                let t = format!("`{text}`");
                if !expected.contains(&t) && !expected.iter().any(|e| e.contains(&t)) {
                    expected.push(t);
                }
            }
        }
    }
    // An unterminated string: a quote with no closing quote before the line ends.
    if let Some(open) = unterminated_string(text, pos) {
        return Diagnostic::error(
            file,
            Span::new(open, open + 1),
            "unterminated string: expected a closing `\"` on the same line",
        )
        .label("this string is never closed");
    }
    let word: String = text[pos.min(text.len())..]
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    let found = if pos >= text.len() {
        "the end of the file".to_string()
    } else if !word.is_empty() {
        format!("`{word}`")
    } else {
        let c = text[pos..].chars().next().unwrap_or(' ');
        format!("`{}`", c.escape_debug())
    };
    let expectation = match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].clone(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    };
    let width = if word.is_empty() { 1 } else { word.len() };
    let help = if word.is_empty() {
        None
    } else {
        crate::suggest::closest(&word, keyword_candidates(&expected)).map(|k| format!("did you mean `{k}`?"))
    };
    let end = (pos + width).min(text.len());
    Diagnostic::error(
        file,
        Span::new(pos, end),
        format!("expected {expectation}, found {found}"),
    )
    .label("unexpected here")
    .help(help)
}

/// A pair's span without the trailing whitespace pest may include after a repetition.
/// The opening quote at or just before `pos` whose string never closes on its line.
fn unterminated_string(text: &str, pos: usize) -> Option<usize> {
    let pos = pos.min(text.len());
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
    let line = &text[line_start..line_end];
    // Walk the line's strings; report one still open at the end of the line.
    let bytes = line.as_bytes();
    let (mut i, mut open) = (0, None);
    while i < bytes.len() {
        match (bytes[i], open) {
            (b'/', None) if bytes.get(i + 1) == Some(&b'/') => break,
            (b'"', None) => open = Some(i),
            (b'"', Some(_)) => open = None,
            (b'\\', Some(_)) => i += 1,
            _ => {}
        }
        i += 1;
    }
    open.map(|o| line_start + o)
        .filter(|&o| o >= pos.saturating_sub(1) || o <= pos)
}

/// A pair's span without the trailing whitespace and comments pest may include
/// after a repetition or an optional part.
fn span(pair: &Pair<Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.start() + code_end(pair.as_str()))
}

/// The length of `text` up to its last character of code (not space, not comment).
fn code_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut end) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i = (i + 1).min(bytes.len());
                end = i;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => {
                i += 1;
                end = i;
            }
        }
    }
    end
}

fn spanned_str(pair: Pair<Rule>) -> Spanned<String> {
    let sp = span(&pair);
    let text = match pair.as_rule() {
        Rule::string => unescape(pair.into_inner().next().map_or("", |p| p.as_str())),
        _ => pair.as_str().to_string(),
    };
    Spanned::new(text, sp)
}

/// Decodes the escapes the grammar admits: `\" \\ \n \t \r \u{…}`.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(
                    u32::from_str_radix(&hex, 16)
                        .ok()
                        .and_then(char::from_u32)
                        .unwrap_or('\u{fffd}'),
                );
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn rule(pair: Pair<Rule>) -> crate::ast::Rule {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let id = inner
        .next()
        .map(spanned_str)
        .unwrap_or_else(|| Spanned::new(String::new(), sp));
    let mut entries = Vec::new();
    for p in inner {
        let entry_span = span(&p);
        entries.push(match p.as_rule() {
            Rule::title => RuleEntry::Title(first_str(p, entry_span)),
            Rule::severity => RuleEntry::Severity(first_str(p, entry_span)),
            Rule::rationale => RuleEntry::Rationale(first_str(p, entry_span)),
            Rule::applies => {
                let parts: Vec<Pair<Rule>> = p.into_inner().collect();
                let kind = spanned_str(parts[0].clone());
                let (filter, binding) = if parts.len() == 3 {
                    (Some(spanned_str(parts[1].clone())), spanned_str(parts[2].clone()))
                } else {
                    (None, spanned_str(parts[1].clone()))
                };
                RuleEntry::Applies(Applies {
                    kind,
                    filter,
                    binding,
                    span: entry_span,
                })
            }
            Rule::deny_every => RuleEntry::Check(Check::DenyEvery(request_set(p))),
            Rule::allow_some => RuleEntry::Check(Check::AllowSome(request_set(p))),
            Rule::require => {
                let e = p.into_inner().next().map(expr);
                RuleEntry::Check(Check::Require(
                    e.unwrap_or_else(|| Spanned::new(Expr::And(vec![]), entry_span)),
                ))
            }
            _ => continue,
        });
    }
    crate::ast::Rule { id, entries, span: sp }
}

fn first_str(pair: Pair<Rule>, fallback: Span) -> Spanned<String> {
    pair.into_inner()
        .next()
        .map(spanned_str)
        .unwrap_or_else(|| Spanned::new(String::new(), fallback))
}

fn request_set(pair: Pair<Rule>) -> RequestSet {
    let sp = span(&pair);
    let mut constraints = Vec::new();
    if let Some(block) = pair.into_inner().next() {
        for c in block.into_inner() {
            let csp = span(&c);
            match c.as_rule() {
                Rule::principal_c => constraints.push(Constraint::Principal(value_list_of(c, csp))),
                Rule::action_c => constraints.push(Constraint::Action(value_list_of(c, csp))),
                Rule::not_action_c => {
                    let list = c.into_inner().find(|p| p.as_rule() == Rule::value_list);
                    constraints.push(Constraint::NotAction(
                        list.map(value_list).unwrap_or_else(|| Spanned::new(empty_list(), csp)),
                    ))
                }
                Rule::resource_c => constraints.push(Constraint::Resource(value_list_of(c, csp))),
                Rule::when_c => {
                    let mut parts = c.into_inner();
                    let key = parts
                        .next()
                        .map(spanned_str)
                        .unwrap_or_else(|| Spanned::new(String::new(), csp));
                    let test = match parts.next() {
                        Some(t) if t.as_rule() == Rule::key_test => {
                            if t.as_str() == "absent" {
                                KeyTest::Absent
                            } else {
                                KeyTest::Present
                            }
                        }
                        Some(op) => {
                            let op_span = span(&op);
                            let op = when_op(op.as_str());
                            let values = parts
                                .next()
                                .map(value_list)
                                .unwrap_or_else(|| Spanned::new(empty_list(), csp));
                            KeyTest::Compare(Spanned::new(op, op_span), values)
                        }
                        None => KeyTest::Present,
                    };
                    constraints.push(Constraint::When(When { key, test, span: csp }));
                }
                _ => {}
            }
        }
    }
    RequestSet { constraints, span: sp }
}

fn empty_list() -> ValueList {
    ValueList::AnyOf(Vec::new())
}

fn when_op(text: &str) -> WhenOp {
    match text.split_whitespace().collect::<Vec<_>>().as_slice() {
        ["=="] => WhenOp::Eq,
        ["!="] => WhenOp::Ne,
        ["<"] => WhenOp::Lt,
        ["<="] => WhenOp::Le,
        [">"] => WhenOp::Gt,
        [">="] => WhenOp::Ge,
        ["like"] => WhenOp::Like,
        ["not", "like"] => WhenOp::NotLike,
        ["in"] => WhenOp::In,
        _ => WhenOp::NotIn,
    }
}

fn value_list_of(pair: Pair<Rule>, fallback: Span) -> Spanned<ValueList> {
    pair.into_inner()
        .next()
        .map(value_list)
        .unwrap_or_else(|| Spanned::new(empty_list(), fallback))
}

fn value_list(pair: Pair<Rule>) -> Spanned<ValueList> {
    let sp = span(&pair);
    let inner = pair.into_inner().next();
    let node = match inner {
        Some(p) if p.as_rule() == Rule::list => ValueList::AnyOf(
            p.into_inner()
                .map(|v| Spanned::new(value(v.clone()), span(&v)))
                .collect(),
        ),
        Some(p) => ValueList::One(value(p)),
        None => empty_list(),
    };
    Spanned::new(node, sp)
}

fn value(pair: Pair<Rule>) -> Value {
    Value {
        terms: pair
            .into_inner()
            .map(|t| {
                let sp = span(&t);
                let term = match t.as_rule() {
                    Rule::string => Term::Str(spanned_str(t).node),
                    Rule::number => Term::Number(t.as_str().to_string()),
                    Rule::boolean => Term::Bool(t.as_str() == "true"),
                    _ => Term::Path(path(t)),
                };
                Spanned::new(term, sp)
            })
            .collect(),
    }
}

fn path(pair: Pair<Rule>) -> Path {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let root = inner
        .next()
        .map(spanned_str)
        .unwrap_or_else(|| Spanned::new(String::new(), sp));
    let segments = inner
        .map(|s| match s.as_rule() {
            Rule::index => PathSegment::Index(s.as_str().parse().unwrap_or(usize::MAX)),
            _ => PathSegment::Field(spanned_str(s).node),
        })
        .collect();
    Path { root, segments }
}

fn expr(pair: Pair<Rule>) -> Spanned<Expr> {
    let sp = span(&pair);
    let kind = pair.as_rule();
    let mut parts: Vec<Pair<Rule>> = pair.into_inner().collect();
    let node = match kind {
        Rule::expr => {
            // or_expr (implies_kw or_expr)?
            let operands: Vec<Pair<Rule>> = parts.drain(..).filter(|p| p.as_rule() != Rule::implies_kw).collect();
            let mut it = operands.into_iter();
            let first = it.next().map(expr);
            match (first, it.next().map(expr)) {
                (Some(a), Some(b)) => Expr::Implies(Box::new(a), Box::new(b)),
                (Some(a), None) => return a,
                _ => Expr::And(vec![]),
            }
        }
        Rule::or_expr | Rule::and_expr => {
            let operands: Vec<Spanned<Expr>> = parts
                .into_iter()
                .filter(|p| !matches!(p.as_rule(), Rule::or_kw | Rule::and_kw))
                .map(expr)
                .collect();
            if operands.len() == 1 {
                return operands
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Spanned::new(Expr::And(vec![]), sp));
            }
            if kind == Rule::or_expr {
                Expr::Or(operands)
            } else {
                Expr::And(operands)
            }
        }
        Rule::not_expr => {
            let negated = parts.iter().any(|p| p.as_rule() == Rule::not_kw);
            let operand = parts.into_iter().find(|p| p.as_rule() != Rule::not_kw).map(expr);
            match operand {
                Some(e) if negated => Expr::Not(Box::new(e)),
                Some(e) => return e,
                None => Expr::And(vec![]),
            }
        }
        Rule::missing_test | Rule::present_test => {
            let p = parts.into_iter().find(|p| p.as_rule() == Rule::path);
            let p = p.map(|p| Spanned::new(path(p.clone()), span(&p))).unwrap_or_else(|| {
                Spanned::new(
                    Path {
                        root: Spanned::new(String::new(), sp),
                        segments: vec![],
                    },
                    sp,
                )
            });
            if kind == Rule::missing_test {
                Expr::Missing(p)
            } else {
                Expr::Present(p)
            }
        }
        Rule::comparison => {
            let mut it = parts.into_iter();
            let left = it.next().map(|v| Spanned::new(value(v.clone()), span(&v)));
            let Some(left) = left else {
                return Spanned::new(Expr::And(vec![]), sp);
            };
            match (it.next(), it.next()) {
                (Some(op), Some(right)) => {
                    let op_span = span(&op);
                    let op = match op.as_str().split_whitespace().collect::<Vec<_>>().as_slice() {
                        ["=="] => CompareOp::Eq,
                        ["!="] => CompareOp::Ne,
                        ["in"] => CompareOp::In,
                        ["matches"] => CompareOp::Matches,
                        _ => CompareOp::NotIn,
                    };
                    Expr::Compare(left, Spanned::new(op, op_span), value_list(right))
                }
                _ => Expr::Truthy(left),
            }
        }
        _ => Expr::And(vec![]),
    };
    Spanned::new(node, sp)
}

fn suite(pair: Pair<Rule>) -> Suite {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let name = inner
        .next()
        .map(spanned_str)
        .unwrap_or_else(|| Spanned::new(String::new(), sp));
    let mut entries = Vec::new();
    for p in inner {
        let esp = span(&p);
        match p.as_rule() {
            Rule::document => {
                let mut parts = p.into_inner();
                let kind = match parts.next().map(|k| k.as_str().to_string()).as_deref() {
                    Some("identity_policy") => DocumentKind::IdentityPolicy,
                    Some("resource_policy") => DocumentKind::ResourcePolicy,
                    Some("scp") => DocumentKind::Scp,
                    Some("rcp") => DocumentKind::Rcp,
                    Some("boundary") => DocumentKind::Boundary,
                    Some("session_policy") => DocumentKind::SessionPolicy,
                    _ => DocumentKind::Template,
                };
                entries.push(SuiteEntry::Document(Document {
                    kind,
                    paths: parts.map(spanned_str).collect(),
                    span: esp,
                }));
            }
            Rule::case => entries.push(SuiteEntry::Case(Box::new(case(p)))),
            Rule::expect_rule => {
                let mut parts = p.into_inner();
                let rule = parts
                    .next()
                    .map(spanned_str)
                    .unwrap_or_else(|| Spanned::new(String::new(), esp));
                let pass = parts.next().is_some_and(|o| o.as_str() == "pass");
                entries.push(SuiteEntry::ExpectRule(ExpectRule { rule, pass, span: esp }));
            }
            _ => {}
        }
    }
    Suite {
        name,
        entries,
        span: sp,
    }
}

fn case(pair: Pair<Rule>) -> Case {
    let sp = span(&pair);
    let mut inner = pair.into_inner();
    let name = inner
        .next()
        .map(spanned_str)
        .unwrap_or_else(|| Spanned::new(String::new(), sp));
    let mut request = RequestLiteral {
        principal: None,
        action: None,
        resource: None,
        resource_account: None,
        context: Vec::new(),
        has_context: false,
        span: sp,
    };
    let mut expect = Expectation {
        decision: Spanned::new(Decision::Allow, sp),
        by: None,
        span: sp,
    };
    for p in inner {
        match p.as_rule() {
            Rule::request => {
                request.span = span(&p);
                for f in p.into_inner() {
                    let fsp = span(&f);
                    match f.as_rule() {
                        Rule::req_principal => request.principal = Some(first_str(f, fsp)),
                        Rule::req_action => request.action = Some(first_str(f, fsp)),
                        Rule::req_resource => request.resource = Some(first_str(f, fsp)),
                        Rule::req_account => request.resource_account = Some(first_str(f, fsp)),
                        Rule::req_context => {
                            request.has_context = true;
                            for entry in f.into_inner() {
                                let mut kv = entry.into_inner();
                                let (Some(k), Some(v)) = (kv.next(), kv.next()) else {
                                    continue;
                                };
                                let vsp = span(&v);
                                request.context.push(ContextEntry {
                                    key: spanned_str(k),
                                    value: Spanned::new(context_value(v), vsp),
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            Rule::expect => {
                expect.span = span(&p);
                let mut parts = p.into_inner();
                if let Some(d) = parts.next() {
                    let decision = match d.as_str() {
                        "allow" => Decision::Allow,
                        "explicit_deny" => Decision::ExplicitDeny,
                        _ => Decision::ImplicitDeny,
                    };
                    expect.decision = Spanned::new(decision, span(&d));
                }
                expect.by = parts.next().map(spanned_str);
            }
            _ => {}
        }
    }
    Case {
        name,
        request,
        expect,
        span: sp,
    }
}

fn context_value(pair: Pair<Rule>) -> ContextValue {
    match pair.as_rule() {
        Rule::string => ContextValue::Str(spanned_str(pair).node),
        Rule::number => ContextValue::Number(pair.as_str().to_string()),
        Rule::boolean => ContextValue::Bool(pair.as_str() == "true"),
        _ => ContextValue::List(pair.into_inner().map(context_value).collect()),
    }
}
