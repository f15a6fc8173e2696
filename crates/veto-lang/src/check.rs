//! Static checks over a whole set of files, reporting every problem at once.

use crate::ast::*;
use crate::diagnostic::Diagnostic;
use crate::suggest;
use std::collections::HashMap;

/// The type of a condition key's values, as the checker needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    Ip,
    Binary,
}

/// What the checker may know about condition keys. veto-check answers from the
/// AWS catalog; [`NoKeyTypes`] knows nothing (types are then not checked).
pub trait KeyTypes {
    /// The key's type, or `None` when the key is unknown.
    fn key_type(&self, key: &str) -> Option<KeyType>;
    /// Known key names, for "did you mean".
    fn near_key(&self, key: &str) -> Option<String>;
    /// Whether the checker should warn about keys it does not know.
    fn knows_keys(&self) -> bool {
        true
    }
}

pub struct NoKeyTypes;

impl KeyTypes for NoKeyTypes {
    fn key_type(&self, _: &str) -> Option<KeyType> {
        None
    }
    fn near_key(&self, _: &str) -> Option<String> {
        None
    }
    fn knows_keys(&self) -> bool {
        false
    }
}

pub const SEVERITIES: &[&str] = &["error", "warning", "info"];

/// Checks the files together (rule IDs are global). `files[i]` is file index `i`.
pub fn check(files: &[&File], keys: &dyn KeyTypes) -> Vec<Diagnostic> {
    let mut c = Checker {
        keys,
        out: Vec::new(),
        file: 0,
    };
    let mut rule_ids: HashMap<&str, (usize, Span)> = HashMap::new();
    for (f, file) in files.iter().enumerate() {
        c.file = f;
        for item in &file.items {
            if let Item::Rule(r) = item {
                match rule_ids.get(r.id.node.as_str()) {
                    Some(_) => c.out.push(
                        Diagnostic::error(f, r.id.span, format!("duplicate rule ID `{}`", r.id.node))
                            .label("defined again here")
                            .help(Some("rule IDs must be unique across all rule files".into())),
                    ),
                    None => {
                        rule_ids.insert(&r.id.node, (f, r.id.span));
                    }
                }
                c.rule(r);
            }
        }
    }
    let ids: Vec<&str> = rule_ids.keys().copied().collect();
    for (f, file) in files.iter().enumerate() {
        c.file = f;
        for item in &file.items {
            if let Item::Suite(s) = item {
                c.suite(s, &ids);
            }
        }
    }
    c.out
}

struct Checker<'k> {
    keys: &'k dyn KeyTypes,
    out: Vec<Diagnostic>,
    file: usize,
}

fn did_you_mean(found: Option<&str>) -> Option<String> {
    found.map(|s| format!("did you mean `{s}`?"))
}

/// Is `key` of the form `service:name`?
pub fn is_condition_key(key: &str) -> bool {
    match key.split_once(':') {
        Some((service, name)) => {
            !service.is_empty()
                && service.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !name.is_empty()
                && !name.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn is_date(text: &str) -> bool {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    digits(0..4)
        && b.get(4) == Some(&b'-')
        && digits(5..7)
        && (b.len() == 7 || (b.get(7) == Some(&b'-') && digits(8..10)))
}

fn is_cidr(text: &str) -> bool {
    let (addr, prefix) = text.split_once('/').unwrap_or((text, ""));
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    prefix.is_empty()
        || prefix
            .parse::<u8>()
            .is_ok_and(|p| p <= if ip.is_ipv4() { 32 } else { 128 })
}

/// A literal string value, when the value is exactly one string.
fn literal(value: &Value) -> Option<&str> {
    match value.terms.as_slice() {
        [Spanned { node: Term::Str(s), .. }] => Some(s),
        _ => None,
    }
}

impl Checker<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.out.push(Diagnostic::error(self.file, span, message));
        self.out.last_mut().expect("just pushed")
    }

    fn rule(&mut self, rule: &Rule) {
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        for entry in &rule.entries {
            let name = match entry {
                RuleEntry::Title(_) => "title",
                RuleEntry::Severity(_) => "severity",
                RuleEntry::Rationale(_) => "rationale",
                RuleEntry::Applies(_) => "applies",
                RuleEntry::Check(_) => continue,
            };
            if seen.insert(name, entry.span()).is_some() {
                self.error(
                    entry.span(),
                    format!("`{name}` is given twice in rule `{}`", rule.id.node),
                )
                .label = "second one here".into();
            }
        }
        for required in ["title", "severity"] {
            if !seen.contains_key(required) {
                self.error(rule.id.span, format!("rule `{}` has no `{required}`", rule.id.node))
                    .help = Some(if required == "severity" {
                    "add `severity error`, `severity warning` or `severity info`".into()
                } else {
                    "add `title \"…\"`: a one-line summary shown with every finding".into()
                });
            }
        }
        if let Some(sev) = rule.severity() {
            if !SEVERITIES.contains(&sev.node.as_str()) {
                let help = did_you_mean(suggest::closest(&sev.node, SEVERITIES.iter().copied()));
                let d = self.error(
                    sev.span,
                    format!("expected a severity: error, warning or info, found `{}`", sev.node),
                );
                d.label = "not a severity".into();
                d.help = help;
            }
        }
        let binding = rule.applies().map(|a| {
            self.applies(a);
            a.binding.node.as_str()
        });
        if rule.checks().next().is_none() {
            self.error(rule.id.span, format!("rule `{}` has no check", rule.id.node))
                .help =
                Some("add `deny every request { … }`, `allow some request { … }` or `require <expression>`".into());
        }
        for check in rule.checks() {
            match check {
                Check::DenyEvery(set) | Check::AllowSome(set) => self.request_set(set, binding),
                Check::Require(e) => self.expr(e, binding),
            }
        }
    }

    fn applies(&mut self, a: &Applies) {
        let Some(kind) = a.target_kind() else {
            let words = TargetKind::ALL.map(TargetKind::as_str);
            let help = did_you_mean(suggest::closest(&a.kind.node, words.iter().copied()));
            let d = self.error(
                a.kind.span,
                format!("expected a target: {}, found `{}`", words.join(", "), a.kind.node),
            );
            d.label = "unknown target".into();
            d.help = help;
            return;
        };
        match (kind, &a.filter) {
            (TargetKind::Resource, None) => {
                self.error(
                    a.kind.span,
                    "`applies resource` needs a resource type, e.g. `applies resource \"AWS::KMS::Key\" as k`",
                );
            }
            (TargetKind::Resource, Some(f)) if f.node.split("::").count() != 3 || !f.node.starts_with("AWS::") => {
                self.error(
                    f.span,
                    format!(
                        "`{}` is not a CloudFormation resource type such as \"AWS::KMS::Key\"",
                        f.node
                    ),
                );
            }
            (TargetKind::Resource, Some(_)) | (_, None) => {}
            (kind, Some(f)) => {
                self.error(f.span, format!("`applies {kind}` takes no filter string"));
            }
        }
    }

    fn path_in_scope(&mut self, path: &Path, binding: Option<&str>) {
        if Some(path.root.node.as_str()) != binding {
            let message = match binding {
                Some(b) => format!("`{}` is not bound here; this rule binds `{b}`", path.root.node),
                None => format!(
                    "`{}` is not bound here; this rule has no `applies … as NAME`",
                    path.root.node
                ),
            };
            let help = binding.map(|b| format!("did you mean `{b}`?"));
            let d = self.error(path.root.span, message);
            d.label = "used outside its scope".into();
            d.help = help;
        }
    }

    fn value(&mut self, value: &Value, binding: Option<&str>) {
        for t in &value.terms {
            if let Term::Path(p) = &t.node {
                self.path_in_scope(p, binding);
            }
        }
    }

    fn values(&mut self, list: &ValueList, binding: Option<&str>) {
        for v in list.values() {
            self.value(v, binding);
        }
    }

    fn each_literal(list: &Spanned<ValueList>) -> Vec<(&str, Span)> {
        match &list.node {
            ValueList::One(v) => literal(v).map(|s| (s, list.span)).into_iter().collect(),
            ValueList::AnyOf(vs) => vs
                .iter()
                .filter_map(|v| literal(&v.node).map(|s| (s, v.span)))
                .collect(),
        }
    }

    fn request_set(&mut self, set: &RequestSet, binding: Option<&str>) {
        for c in &set.constraints {
            match c {
                Constraint::Principal(list) => {
                    self.values(&list.node, binding);
                    for (text, span) in Self::each_literal(list) {
                        self.principal(text, span);
                    }
                }
                Constraint::Action(list) | Constraint::NotAction(list) => {
                    self.values(&list.node, binding);
                    for (text, span) in Self::each_literal(list) {
                        self.action(text, span);
                    }
                }
                Constraint::Resource(list) => {
                    self.values(&list.node, binding);
                    for (text, span) in Self::each_literal(list) {
                        self.arn_pattern(text, span);
                    }
                }
                Constraint::When(w) => self.when(w, binding),
            }
        }
    }

    fn principal(&mut self, text: &str, span: Span) {
        let ok = text == "*"
            || text == "anonymous"
            || veto_source::is_account_id(text)
            || (text.starts_with("arn:") && text.split(':').count() >= 6)
            || (text.contains('.') && !text.contains(':'));
        if !ok {
            self.error(span, format!("`{text}` is not a principal: expected \"*\", \"anonymous\", an account ID, an IAM or STS ARN, or a service principal"));
        }
    }

    fn action(&mut self, text: &str, span: Span) {
        if text == "*" {
            return;
        }
        match text.split_once(':') {
            Some((service, name)) if !service.is_empty() && !name.is_empty() && !name.contains(':') => {
                if service.contains(['*', '?']) {
                    self.error(
                        span,
                        format!("`{text}`: wildcards are not allowed in an action's service prefix"),
                    );
                }
            }
            _ => {
                self.error(span, format!("`{text}` is not an action pattern: expected `service:Name`, e.g. \"s3:PutObject\" or \"s3:Get*\""));
            }
        }
    }

    fn arn_pattern(&mut self, text: &str, span: Span) {
        if text == "*" {
            return;
        }
        let fields: Vec<&str> = text.splitn(6, ':').collect();
        if fields.len() < 6 || fields[0] != "arn" {
            self.error(span, format!("`{text}` is not an ARN: expected \"*\" or arn:partition:service:region:account:resource (six fields)"));
        } else if fields[2].is_empty() || fields[2].contains(['*', '?']) {
            self.error(
                span,
                format!("`{text}`: the service field of an ARN must be a literal service name"),
            );
        }
    }

    fn condition_key(&mut self, key: &Spanned<String>) -> Option<KeyType> {
        if !is_condition_key(&key.node) {
            self.error(
                key.span,
                format!(
                    "`{}` is not a condition key: expected `service:name`, e.g. \"aws:SecureTransport\"",
                    key.node
                ),
            )
            .label = "malformed key".into();
            return None;
        }
        let kind = self.keys.key_type(&key.node);
        if kind.is_none() && self.keys.knows_keys() {
            let help = self.keys.near_key(&key.node).map(|k| format!("did you mean `{k}`?"));
            self.out.push(
                Diagnostic::warning(
                    self.file,
                    key.span,
                    format!(
                        "`{}` is not a condition key AWS knows; requests never carry it",
                        key.node
                    ),
                )
                .label("unknown key")
                .help(help),
            );
        }
        kind
    }

    fn when(&mut self, w: &When, binding: Option<&str>) {
        let kind = self.condition_key(&w.key);
        let KeyTest::Compare(op, values) = &w.test else { return };
        self.values(&values.node, binding);
        let Some(kind) = kind else { return };
        let ops_ok: &[WhenOp] = match kind {
            KeyType::Bool | KeyType::Binary => &[WhenOp::Eq, WhenOp::Ne],
            KeyType::Numeric | KeyType::Date => {
                &[WhenOp::Eq, WhenOp::Ne, WhenOp::Lt, WhenOp::Le, WhenOp::Gt, WhenOp::Ge]
            }
            KeyType::Ip => &[WhenOp::In, WhenOp::NotIn],
            KeyType::String | KeyType::Arn => &[WhenOp::Eq, WhenOp::Ne, WhenOp::Like, WhenOp::NotLike],
        };
        let type_name = match kind {
            KeyType::String => "a String",
            KeyType::Arn => "an ARN",
            KeyType::Bool => "a Bool",
            KeyType::Numeric => "a Numeric",
            KeyType::Date => "a Date",
            KeyType::Ip => "an IP address",
            KeyType::Binary => "a Binary",
        };
        if !ops_ok.contains(&op.node) {
            let allowed: Vec<&str> = ops_ok.iter().map(|o| o.text()).collect();
            self.error(
                op.span,
                format!(
                    "`{}` does not apply to `{}`, {type_name} key",
                    op.node.text(),
                    w.key.node
                ),
            )
            .help = Some(format!("use one of: {}", allowed.join(", ")));
            return;
        }
        let literals: Vec<(&Term, Span)> = match &values.node {
            ValueList::One(v) => v.terms.iter().map(|t| (&t.node, t.span)).collect(),
            ValueList::AnyOf(vs) => vs
                .iter()
                .flat_map(|v| v.node.terms.iter().map(|t| (&t.node, t.span)))
                .collect(),
        };
        for (term, span) in literals {
            let problem = match (kind, term) {
                (_, Term::Path(_)) => None,
                (KeyType::Bool, Term::Bool(_)) => None,
                (KeyType::Bool, _) => Some("expected a bool: true or false".to_string()),
                (KeyType::Numeric, Term::Number(_)) => None,
                (KeyType::Numeric, _) => Some("expected a number".to_string()),
                (KeyType::Date, Term::Str(s)) if is_date(s) => None,
                (KeyType::Date, _) => {
                    Some("expected a date such as \"2024-01-31T00:00:00Z\" or epoch seconds".to_string())
                }
                (KeyType::Ip, Term::Str(s)) if is_cidr(s) => None,
                (KeyType::Ip, _) => Some("expected an IP address or CIDR range such as \"203.0.113.0/24\"".to_string()),
                (KeyType::String | KeyType::Arn | KeyType::Binary, Term::Str(_)) => None,
                (KeyType::String | KeyType::Arn | KeyType::Binary, _) => Some("expected a string".to_string()),
            };
            if let Some(problem) = problem {
                self.error(span, format!("`{}` is {type_name} key: {problem}", w.key.node))
                    .label = "type mismatch".into();
            }
        }
    }

    fn expr(&mut self, e: &Spanned<Expr>, binding: Option<&str>) {
        match &e.node {
            Expr::Implies(a, b) => {
                self.expr(a, binding);
                self.expr(b, binding);
            }
            Expr::Or(es) | Expr::And(es) => {
                for x in es {
                    self.expr(x, binding);
                }
            }
            Expr::Not(x) => self.expr(x, binding),
            Expr::Missing(p) | Expr::Present(p) => self.path_in_scope(&p.node, binding),
            Expr::Truthy(v) => self.value(&v.node, binding),
            Expr::Compare(left, op, right) => {
                self.value(&left.node, binding);
                self.values(&right.node, binding);
                match op.node {
                    CompareOp::In | CompareOp::NotIn if !matches!(right.node, ValueList::AnyOf(_)) => {
                        self.error(
                            right.span,
                            format!("`{}` needs a list, e.g. [\"a\", \"b\"]", op.node.text()),
                        );
                    }
                    CompareOp::Matches if Self::each_literal(right).is_empty() => {
                        self.error(
                            right.span,
                            "`matches` needs a wildcard pattern string, e.g. \"*alias/aws/s3\"",
                        );
                    }
                    _ => {}
                }
            }
        }
    }

    fn suite(&mut self, suite: &Suite, rule_ids: &[&str]) {
        let mut singles: HashMap<DocumentKind, Span> = HashMap::new();
        let mut case_names: HashMap<&str, Span> = HashMap::new();
        for entry in &suite.entries {
            match entry {
                SuiteEntry::Document(d) => {
                    let single = matches!(
                        d.kind,
                        DocumentKind::ResourcePolicy | DocumentKind::SessionPolicy | DocumentKind::Template
                    );
                    if single && (d.paths.len() > 1 || singles.insert(d.kind, d.span).is_some()) {
                        self.error(d.span, format!("a suite has at most one {}", d.kind.keyword()));
                    }
                    for p in &d.paths {
                        if p.node.trim().is_empty() {
                            self.error(p.span, "empty file path");
                        }
                    }
                }
                SuiteEntry::Case(c) => {
                    if case_names.insert(&c.name.node, c.name.span).is_some() {
                        self.error(
                            c.name.span,
                            format!("duplicate case name `{}` in suite `{}`", c.name.node, suite.name.node),
                        );
                    }
                    self.case(c);
                }
                SuiteEntry::ExpectRule(e) => {
                    if !rule_ids.contains(&e.rule.node.as_str()) {
                        let help = did_you_mean(suggest::closest(&e.rule.node, rule_ids.iter().copied()));
                        let d = self.error(
                            e.rule.span,
                            format!("`expect rule` names `{}`, which no rule file defines", e.rule.node),
                        );
                        d.label = "unknown rule".into();
                        d.help = help;
                    }
                }
            }
        }
    }

    fn case(&mut self, c: &Case) {
        let r = &c.request;
        if r.action.is_none() {
            self.error(r.span, format!("case `{}`: the request has no action", c.name.node))
                .help = Some("add `action \"s3:GetObject\"` (service:Name)".into());
        }
        if r.resource.is_none() {
            self.error(r.span, format!("case `{}`: the request has no resource", c.name.node))
                .help = Some("add `resource \"arn:aws:s3:::bucket/key\"` (or \"*\")".into());
        }
        if let Some(a) = &r.action {
            if a.node == "*" || a.node.contains(['*', '?']) {
                self.error(a.span, "a request names one action: no wildcards");
            } else {
                self.action(&a.node, a.span);
            }
        }
        if let Some(res) = &r.resource {
            if res.node != "*" && res.node.contains(['*', '?']) {
                self.error(res.span, "a request names one resource: no wildcards");
            } else {
                self.arn_pattern(&res.node, res.span);
            }
        }
        if let Some(p) = &r.principal {
            self.principal(&p.node, p.span);
        }
        let mut keys: Vec<&str> = Vec::new();
        for entry in &r.context {
            if keys.iter().any(|k| k.eq_ignore_ascii_case(&entry.key.node)) {
                self.error(
                    entry.key.span,
                    format!(
                        "context key `{}` is given twice (key names ignore case)",
                        entry.key.node
                    ),
                );
            }
            keys.push(&entry.key.node);
            let Some(kind) = self.condition_key(&entry.key) else {
                continue;
            };
            let scalars: Vec<&ContextValue> = match &entry.value.node {
                ContextValue::List(items) => items.iter().collect(),
                v => vec![v],
            };
            for v in scalars {
                let problem = match (kind, v) {
                    (KeyType::Bool, ContextValue::Bool(_)) => None,
                    (KeyType::Bool, ContextValue::Str(s)) if s == "true" || s == "false" => None,
                    (KeyType::Bool, _) => Some("expected a bool: true or false"),
                    (KeyType::Numeric, ContextValue::Number(_)) => None,
                    (KeyType::Numeric, ContextValue::Str(s)) if s.parse::<f64>().is_ok() => None,
                    (KeyType::Numeric, _) => Some("expected a number"),
                    (KeyType::Date, ContextValue::Str(s)) if is_date(s) => None,
                    (KeyType::Date, ContextValue::Number(_)) => None,
                    (KeyType::Date, _) => Some("expected a date"),
                    (KeyType::Ip, ContextValue::Str(s)) if s.parse::<std::net::IpAddr>().is_ok() => None,
                    (KeyType::Ip, _) => Some("expected an IP address"),
                    _ => None,
                };
                if let Some(problem) = problem {
                    self.error(entry.value.span, format!("context key `{}`: {problem}", entry.key.node))
                        .label = "type mismatch".into();
                }
            }
        }
    }
}
