//! The policy reader: JSON document tree → typed, compiled policy, with every
//! grammar error of the document reported at once.
//!
//! This file is longer than the others on purpose: the reader is one grammar (top
//! level, statement, principal, action, resource, condition), and its methods share
//! the diagnostics list and the document's version; split across files, the rules
//! for one element would sit away from the elements they refer to.

use super::model::*;
use super::scalar::*;
use crate::condition::compile_condition;
use crate::diagnostic::Diagnostic;
use crate::json::{self, JsonKind, JsonMember, JsonValue};
use crate::operator::ConditionOperator;
use crate::request::{is_account_id, PrincipalArn, PrincipalArnKind};
use crate::span::Span;
use crate::suggest;
use crate::template::{GlobValue, Template};
use crate::wildcard;
use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::HashMap;
const TOP_LEVEL: &[&str] = &["Version", "Id", "Statement"];
const STATEMENT_ELEMENTS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];
const PRINCIPAL_KEYS: &[&str] = &["AWS", "Service", "Federated", "CanonicalUser"];

impl Policy {
    /// Reads a policy from JSON text. Spans are byte offsets into `text`.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let value = json::parse(text).map_err(|e| PolicyError {
            diagnostics: vec![Diagnostic::error("", format!("not valid JSON: {}", e.message), e.span)],
        })?;
        Policy::from_json(&value)
    }

    /// Reads a policy from an already parsed JSON value; spans are those of `value`.
    pub fn from_json(value: &JsonValue) -> Result<Policy, PolicyError> {
        let mut reader = Reader::default();
        let policy = reader.policy(value);
        match policy {
            Some(p) if !reader.diagnostics.iter().any(Diagnostic::is_error) => Ok(Policy {
                warnings: reader.diagnostics,
                ..p
            }),
            _ => Err(PolicyError {
                diagnostics: reader.diagnostics,
            }),
        }
    }
}

#[derive(Default)]
struct Reader {
    diagnostics: Vec<Diagnostic>,
    version: Option<Version>,
    /// Errors among `diagnostics[..counted]`: the count is brought up to date on
    /// demand, so asking once per statement costs nothing per earlier diagnostic.
    errors: usize,
    counted: usize,
}

impl Reader {
    /// How many errors have been reported so far.
    fn error_count(&mut self) -> usize {
        let new = &self.diagnostics[self.counted..];
        self.errors += new.iter().filter(|d| d.is_error()).count();
        self.counted = self.diagnostics.len();
        self.errors
    }

    fn error(&mut self, path: &str, message: impl Into<String>, span: Span) {
        self.diagnostics.push(Diagnostic::error(path, message, span));
    }

    fn warning(&mut self, code: &'static str, path: &str, message: impl Into<String>, span: Span) {
        self.diagnostics.push(Diagnostic::warning(code, path, message, span));
    }

    fn version(&self) -> Version {
        self.version.unwrap_or(Version::Missing)
    }

    /// Reports duplicate keys (exact, or ignoring case when `fold`) and unknown keys.
    fn check_members(&mut self, path: &str, members: &[JsonMember], known: Option<&[&str]>, what: &str, fold: bool) {
        // Each key's first member, by hashing (lower-cased when `fold`), so an
        // object with 40,000 keys costs 40,000 look-ups, not 8·10^8 comparisons.
        let mut firsts: HashMap<Cow<str>, &JsonMember> = HashMap::with_capacity(members.len());
        for m in members {
            let key = if fold {
                Cow::Owned(m.key.to_ascii_lowercase())
            } else {
                Cow::Borrowed(m.key.as_str())
            };
            let first = match firsts.entry(key) {
                Entry::Occupied(e) => Some(*e.get()),
                Entry::Vacant(e) => {
                    e.insert(m);
                    None
                }
            };
            if let Some(first) = first {
                let message = if first.key == m.key {
                    format!("duplicate key `{}`", m.key)
                } else {
                    format!("duplicate key `{}` (same as `{}`: names ignore case)", m.key, first.key)
                };
                self.diagnostics.push(
                    Diagnostic::error(path, message, m.key_span).with_related(first.key_span, "first given here"),
                );
                continue;
            }
            if let Some(known) = known {
                if !known.contains(&m.key.as_str()) {
                    let hint = suggest::closest(&m.key, known.iter().copied())
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_else(|| format!(": expected one of {}", known.join(", ")));
                    self.error(path, format!("unknown {what} `{}`{hint}", m.key), m.key_span);
                }
            }
        }
    }

    fn policy(&mut self, value: &JsonValue) -> Option<Policy> {
        let Some(members) = value.as_object() else {
            self.error(
                "",
                format!(
                    "expected a policy document (a JSON object with Version and Statement), found {}",
                    value.type_name()
                ),
                value.span,
            );
            return None;
        };
        self.check_members("", members, Some(TOP_LEVEL), "policy element", false);
        let mut version_span = None;
        match value.get("Version") {
            None => {
                self.warning(
                    "IAM-MISSING-VERSION",
                    "Version",
                    "missing Version: policy variables are read as literal text; add \"Version\": \"2012-10-17\"",
                    value.span,
                );
                self.version = Some(Version::Missing);
            }
            Some(v) => {
                version_span = Some(v.span);
                self.version = match v.as_str() {
                    Some("2012-10-17") => Some(Version::V2012),
                    Some("2008-10-17") => Some(Version::V2008),
                    _ => {
                        self.error(
                            "Version",
                            "invalid Version: expected \"2012-10-17\" or \"2008-10-17\"",
                            v.span,
                        );
                        Some(Version::V2012)
                    }
                };
            }
        }
        let id = value.get("Id").and_then(|v| self.string("Id", v));
        let (statements, statement_is_array) = match value.get("Statement") {
            None => {
                self.error(
                    "",
                    "missing Statement: a policy needs at least one statement",
                    value.span,
                );
                (Vec::new(), true)
            }
            Some(s) => match &s.kind {
                JsonKind::Array(items) if items.is_empty() => {
                    self.error("Statement", "Statement must not be an empty array", s.span);
                    (Vec::new(), true)
                }
                JsonKind::Array(items) => (
                    items
                        .iter()
                        .enumerate()
                        .filter_map(|(i, item)| self.statement(&format!("Statement[{i}]"), item))
                        .collect(),
                    true,
                ),
                JsonKind::Object(_) => (self.statement("Statement", s).into_iter().collect(), false),
                _ => {
                    self.error(
                        "Statement",
                        format!(
                            "expected a statement object or an array of them, found {}",
                            s.type_name()
                        ),
                        s.span,
                    );
                    (Vec::new(), true)
                }
            },
        };
        Some(Policy {
            version: self.version(),
            version_span,
            id,
            statements,
            statement_is_array,
            span: value.span,
            warnings: Vec::new(),
        })
    }

    fn string(&mut self, path: &str, value: &JsonValue) -> Option<Spanned<String>> {
        match value.as_str() {
            Some(s) => Some(Spanned {
                value: s.to_string(),
                span: value.span,
            }),
            None => {
                self.error(
                    path,
                    format!("expected a string, found {}", value.type_name()),
                    value.span,
                );
                None
            }
        }
    }

    /// A string or a non-empty array of strings.
    fn string_list(&mut self, path: &str, value: &JsonValue) -> Option<Vec<Spanned<String>>> {
        match &value.kind {
            JsonKind::String(s) => Some(vec![Spanned {
                value: s.clone(),
                span: value.span,
            }]),
            JsonKind::Array(items) if items.is_empty() => {
                self.error(path, "expected at least one entry, found an empty array", value.span);
                None
            }
            JsonKind::Array(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    out.push(self.string(&format!("{path}[{i}]"), item)?);
                }
                Some(out)
            }
            _ => {
                self.error(
                    path,
                    format!("expected a string or an array of strings, found {}", value.type_name()),
                    value.span,
                );
                None
            }
        }
    }

    fn statement(&mut self, path: &str, value: &JsonValue) -> Option<Statement> {
        let Some(members) = value.as_object() else {
            self.error(
                path,
                format!("expected a statement object, found {}", value.type_name()),
                value.span,
            );
            return None;
        };
        self.check_members(path, members, Some(STATEMENT_ELEMENTS), "statement element", false);
        let errors_before = self.error_count();

        let sid = value.get("Sid").and_then(|v| self.string(&format!("{path}.Sid"), v));
        let effect = match value.get("Effect") {
            None => {
                self.error(path, "missing Effect: expected \"Allow\" or \"Deny\"", value.span);
                None
            }
            Some(v) => match v.as_str() {
                Some("Allow") => Some((Effect::Allow, v.span)),
                Some("Deny") => Some((Effect::Deny, v.span)),
                Some(other) => {
                    let hint = if other.eq_ignore_ascii_case("allow") || other.eq_ignore_ascii_case("deny") {
                        " (Effect is case-sensitive)"
                    } else {
                        ""
                    };
                    self.error(
                        &format!("{path}.Effect"),
                        format!("invalid Effect `{other}`: expected \"Allow\" or \"Deny\"{hint}"),
                        v.span,
                    );
                    None
                }
                None => {
                    self.error(
                        &format!("{path}.Effect"),
                        format!("expected \"Allow\" or \"Deny\", found {}", v.type_name()),
                        v.span,
                    );
                    None
                }
            },
        };

        let principal = match (value.get("Principal"), value.get("NotPrincipal")) {
            (Some(_), Some(np)) => {
                self.error(path, "a statement cannot have both Principal and NotPrincipal", np.span);
                None
            }
            (Some(p), None) => self.principal(&format!("{path}.Principal"), p, false),
            (None, Some(np)) => {
                if let Some((Effect::Allow, _)) = effect {
                    self.error(
                        &format!("{path}.NotPrincipal"),
                        "NotPrincipal is only supported with \"Effect\": \"Deny\"",
                        np.span,
                    );
                }
                self.principal(&format!("{path}.NotPrincipal"), np, true)
            }
            (None, None) => None,
        };

        let action = match (value.get("Action"), value.get("NotAction")) {
            (Some(_), Some(na)) => {
                self.error(path, "a statement cannot have both Action and NotAction", na.span);
                None
            }
            (Some(a), None) => self.actions(&format!("{path}.Action"), a, false),
            (None, Some(na)) => self.actions(&format!("{path}.NotAction"), na, true),
            (None, None) => {
                self.error(path, "missing Action or NotAction", value.span);
                None
            }
        };

        let resource = match (value.get("Resource"), value.get("NotResource")) {
            (Some(_), Some(nr)) => {
                self.error(path, "a statement cannot have both Resource and NotResource", nr.span);
                None
            }
            (Some(r), None) => self.resources(&format!("{path}.Resource"), r, false),
            (None, Some(nr)) => self.resources(&format!("{path}.NotResource"), nr, true),
            (None, None) => None,
        };

        let condition_value = value.get("Condition");
        let conditions = match condition_value {
            Some(c) => self.conditions(&format!("{path}.Condition"), c),
            None => Vec::new(),
        };

        let errors_after = self.error_count();
        let (effect, effect_span) = effect?;
        if errors_after > errors_before {
            return None;
        }
        Some(Statement {
            path: path.to_string(),
            sid,
            effect,
            effect_span,
            principal,
            action: action?,
            resource,
            conditions,
            condition_span: condition_value.map(|c| c.span),
            span: value.span,
        })
    }

    fn no_variables(&mut self, path: &str, what: &str, entry: &Spanned<String>) {
        if self.version().interprets_variables() && entry.value.contains("${") {
            self.error(
                path,
                format!("policy variables are only allowed in Resource, NotResource and String/ARN condition values, not in {what}"),
                entry.span,
            );
        }
    }

    fn principal(&mut self, path: &str, value: &JsonValue, negated: bool) -> Option<PrincipalElement> {
        let mut entries = Vec::new();
        let mut bare_star = false;
        match &value.kind {
            JsonKind::String(s) if s == "*" => {
                bare_star = true;
                entries.push(PrincipalEntry {
                    key: "AWS".into(),
                    text: "*".into(),
                    kind: PrincipalKind::Everyone,
                    span: value.span,
                });
            }
            JsonKind::Object(members) => {
                self.check_members(path, members, Some(PRINCIPAL_KEYS), "principal type", false);
                if members.is_empty() {
                    self.error(
                        path,
                        "expected at least one principal type (AWS, Service, Federated, CanonicalUser)",
                        value.span,
                    );
                }
                for m in members {
                    if !PRINCIPAL_KEYS.contains(&m.key.as_str()) {
                        continue;
                    }
                    let entry_path = format!("{path}.{}", m.key);
                    for item in self.string_list(&entry_path, &m.value).unwrap_or_default() {
                        self.no_variables(&entry_path, "a principal", &item);
                        if let Some(kind) = self.principal_kind(&entry_path, &m.key, &item) {
                            entries.push(PrincipalEntry {
                                key: m.key.clone(),
                                text: item.value,
                                kind,
                                span: item.span,
                            });
                        }
                    }
                }
            }
            _ => {
                self.error(
                    path,
                    format!(
                        "expected \"*\" or an object such as {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}, found {}",
                        value.type_name()
                    ),
                    value.span,
                );
                return None;
            }
        }
        if negated {
            self.exemptions_without_parents(path, &entries);
        }
        Some(PrincipalElement {
            negated,
            entries,
            bare_star,
            span: value.span,
        })
    }

    /// `NotPrincipal` exempts a caller only when its whole identity chain is listed
    /// (spec §2.6), so a user or session listed without its account (or role)
    /// exempts nobody.
    fn exemptions_without_parents(&mut self, path: &str, entries: &[PrincipalEntry]) {
        let account_listed = |account: &str| {
            entries
                .iter()
                .any(|e| matches!(&e.kind, PrincipalKind::Account { account: a } if a == account))
        };
        for e in entries {
            let Some(arn) = PrincipalArn::parse(&e.text) else {
                continue;
            };
            let missing = match arn.kind {
                PrincipalArnKind::User | PrincipalArnKind::FederatedUser | PrincipalArnKind::Role { .. }
                    if !account_listed(arn.account) =>
                {
                    format!("its account `arn:{}:iam::{}:root`", arn.partition, arn.account)
                }
                PrincipalArnKind::RoleSession { role } => {
                    let role_listed = entries.iter().any(|o| {
                        matches!(&o.kind, PrincipalKind::Role { account, name, .. } if account == arn.account && name == role)
                    });
                    match (account_listed(arn.account), role_listed) {
                        (true, true) => continue,
                        (false, _) => format!("its account `arn:{}:iam::{}:root`", arn.partition, arn.account),
                        (true, false) => format!("its role `arn:{}:iam::{}:role/{role}`", arn.partition, arn.account),
                    }
                }
                _ => continue,
            };
            self.warning(
                "IAM-NOTPRINCIPAL-EXEMPTS-NOBODY",
                path,
                format!(
                    "`{}` exempts nobody from this Deny: NotPrincipal must also list {missing}",
                    e.text
                ),
                e.span,
            );
        }
    }

    fn principal_kind(&mut self, path: &str, key: &str, item: &Spanned<String>) -> Option<PrincipalKind> {
        let text = item.value.as_str();
        match key {
            "Service" => return Some(PrincipalKind::Service(text.to_string())),
            "Federated" => return Some(PrincipalKind::Federated(text.to_string())),
            "CanonicalUser" => return Some(PrincipalKind::CanonicalUser(text.to_string())),
            _ => {}
        }
        if text == "*" {
            return Some(PrincipalKind::Everyone);
        }
        if text.contains(['*', '?']) {
            self.error(
                path,
                format!("`{text}`: a principal cannot hold a partial wildcard; use \"*\" with an aws:PrincipalArn ArnLike condition"),
                item.span,
            );
            return None;
        }
        if is_account_id(text) {
            return Some(PrincipalKind::Account {
                account: text.to_string(),
            });
        }
        let unique_id = text.len() >= 16
            && text.starts_with('A')
            && text.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if unique_id {
            return Some(PrincipalKind::UniqueId(text.to_string()));
        }
        let parsed = PrincipalArn::parse(text).map(|arn| {
            let text = text.to_string();
            match arn.kind {
                PrincipalArnKind::Root => PrincipalKind::Account {
                    account: arn.account.into(),
                },
                PrincipalArnKind::User => PrincipalKind::User { arn: text },
                PrincipalArnKind::Role { name } => PrincipalKind::Role {
                    partition: arn.partition.into(),
                    account: arn.account.into(),
                    name: name.into(),
                    arn: text,
                },
                PrincipalArnKind::RoleSession { .. } => PrincipalKind::RoleSession { arn: text },
                PrincipalArnKind::FederatedUser => PrincipalKind::FederatedUser { arn: text },
            }
        });
        if parsed.is_none() {
            self.error(
                path,
                format!("`{text}` is not a principal: expected \"*\", an account ID, or an IAM user, role, root, assumed-role or federated-user ARN"),
                item.span,
            );
        }
        parsed
    }

    fn actions(&mut self, path: &str, value: &JsonValue, negated: bool) -> Option<ActionElement> {
        let items = self.string_list(path, value)?;
        let mut patterns = Vec::new();
        for item in items {
            self.no_variables(path, "an action", &item);
            let text = item.value.as_str();
            let matcher = if text == "*" {
                ActionMatcher::Any
            } else {
                match text.split_once(':') {
                    Some((service, name)) if !service.is_empty() && !name.is_empty() && !name.contains(':') => {
                        if service.contains(['*', '?']) {
                            self.error(
                                path,
                                format!("`{text}`: wildcards are not allowed in the service prefix of an action"),
                                item.span,
                            );
                            continue;
                        }
                        let mut name = wildcard::compile_glob(name);
                        wildcard::fold_ascii(&mut name);
                        ActionMatcher::Service {
                            service: service.to_ascii_lowercase(),
                            name: wildcard::Pattern::new(name),
                        }
                    }
                    _ => {
                        self.error(
                            path,
                            format!(
                                "`{text}` is not an action: expected \"*\" or `service:Name` with exactly one colon"
                            ),
                            item.span,
                        );
                        continue;
                    }
                }
            };
            patterns.push(ActionPattern {
                text: item.value,
                span: item.span,
                matcher,
            });
        }
        Some(ActionElement {
            negated,
            patterns,
            span: value.span,
        })
    }

    fn template(&mut self, path: &str, item: &Spanned<String>) -> Option<Template> {
        if !self.version().interprets_variables() {
            if item.value.contains("${") {
                self.warning(
"IAM-LITERAL-VARIABLE",
                    path,
                    format!(
                        "`{}` holds a policy variable, but this policy's Version makes it literal text; use \"Version\": \"2012-10-17\"",
                        item.value
                    ),
                    item.span,
                );
            }
            return Some(Template::text(&item.value));
        }
        match Template::parse(&item.value) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(path, e.to_string(), item.span);
                None
            }
        }
    }

    fn resources(&mut self, path: &str, value: &JsonValue, negated: bool) -> Option<ResourceElement> {
        let items = self.string_list(path, value)?;
        let mut patterns = Vec::new();
        for item in items {
            let text = item.value.as_str();
            if text != "*" {
                let fields: Vec<&str> = text.splitn(6, ':').collect();
                if fields.len() < 6 || fields[0] != "arn" {
                    self.error(
                        path,
                        format!("`{text}` is not an ARN: expected \"*\" or `arn:partition:service:region:account:resource` (six fields)"),
                        item.span,
                    );
                    continue;
                }
                if fields[2].is_empty() || fields[2].contains(['*', '?']) {
                    self.error(
                        path,
                        format!("`{text}`: the service field of a resource ARN must be a literal service name"),
                        item.span,
                    );
                    continue;
                }
            }
            let Some(template) = self.template(path, &item) else {
                continue;
            };
            patterns.push(ResourcePattern {
                text: item.value,
                span: item.span,
                matcher: GlobValue::new(template, true),
            });
        }
        Some(ResourceElement {
            negated,
            patterns,
            span: value.span,
        })
    }

    fn conditions(&mut self, path: &str, value: &JsonValue) -> Vec<Condition> {
        let Some(blocks) = value.as_object() else {
            self.error(
                path,
                format!("expected an object of condition operators, found {}", value.type_name()),
                value.span,
            );
            return Vec::new();
        };
        self.check_members(path, blocks, None, "", false);
        let mut out = Vec::new();
        for block in blocks {
            let operator = match ConditionOperator::parse(&block.key) {
                Ok(op) => Some(op),
                Err(e) => {
                    self.error(path, e.to_string(), block.key_span);
                    None
                }
            };
            let block_path = format!("{path}.{}", block.key);
            let Some(keys) = block.value.as_object() else {
                self.error(
                    &block_path,
                    format!(
                        "expected an object mapping condition keys to values, found {}",
                        block.value.type_name()
                    ),
                    block.value.span,
                );
                continue;
            };
            if keys.is_empty() {
                self.error(
                    &block_path,
                    "an operator needs at least one condition key",
                    block.value.span,
                );
            }
            self.check_members(&block_path, keys, None, "", true);
            let Some(operator) = operator else { continue };
            for entry in keys {
                let key_path = format!("{block_path}.{}", entry.key);
                if entry.key.is_empty() {
                    self.error(&block_path, "empty condition key", entry.key_span);
                    continue;
                }
                let Some((values, values_are_array)) = self.condition_values(&key_path, &entry.value) else {
                    continue;
                };
                let key_lower = entry.key.to_ascii_lowercase();
                let matcher = compile_condition(
                    operator,
                    &key_lower,
                    &values,
                    self.version(),
                    &key_path,
                    &mut self.diagnostics,
                );
                if let Some(matcher) = matcher {
                    out.push(Condition {
                        operator,
                        operator_span: block.key_span,
                        key: entry.key.clone(),
                        key_lower,
                        key_span: entry.key_span,
                        values,
                        values_are_array,
                        matcher,
                        span: entry.key_span.to(entry.value.span),
                    });
                }
            }
        }
        out
    }

    fn condition_values(&mut self, path: &str, value: &JsonValue) -> Option<(Vec<ConditionValue>, bool)> {
        let scalar = |v: &JsonValue| -> Option<ConditionValue> {
            let (text, kind) = match &v.kind {
                JsonKind::String(s) => (s.clone(), ScalarKind::String),
                JsonKind::Number(n) => (n.clone(), ScalarKind::Number),
                JsonKind::Bool(b) => (b.to_string(), ScalarKind::Bool),
                _ => return None,
            };
            Some(ConditionValue {
                text,
                kind,
                span: v.span,
            })
        };
        let bad = |r: &mut Self, v: &JsonValue| {
            r.error(
                path,
                format!(
                    "expected a string, number or boolean condition value, found {}",
                    v.type_name()
                ),
                v.span,
            )
        };
        match &value.kind {
            JsonKind::Array(items) if items.is_empty() => {
                self.error(
                    path,
                    "expected at least one condition value, found an empty array",
                    value.span,
                );
                None
            }
            JsonKind::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match scalar(item) {
                        Some(v) => out.push(v),
                        None => {
                            bad(self, item);
                            return None;
                        }
                    }
                }
                if out.iter().any(|v| v.kind != out[0].kind) {
                    self.error(
                        path,
                        "condition values in one list must all have the same JSON type",
                        value.span,
                    );
                    return None;
                }
                Some((out, true))
            }
            _ => match scalar(value) {
                Some(v) => Some((vec![v], false)),
                None => {
                    bad(self, value);
                    None
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match Policy::parse(text) {
            Ok(_) => Vec::new(),
            Err(e) => e.errors().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn reports_every_error_at_once() {
        let errs = errors(
            r#"{"Version":"2012-10-17","Statement":[
                {"Effect":"allow","Action":"s3:GetObject","NotAction":"s3:Put*","Resource":"*"},
                {"Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"a:b":"c"}}}]}"#,
        );
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("invalid Effect `allow`")));
        assert!(errs.iter().any(|e| e.contains("both Action and NotAction")));
        assert!(errs.iter().any(|e| e.starts_with("Statement[1]: missing Effect")));
        assert!(errs
            .iter()
            .any(|e| { e == "Statement[1].Condition: unknown operator StringEqual (did you mean StringEquals?)" }));
    }

    #[test]
    fn duplicate_keys_name_both_positions() {
        let err = Policy::parse(r#"{"Statement":{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}}"#)
            .unwrap_err();
        let dup = err.errors().next().unwrap();
        assert!(dup.message.contains("duplicate key `Effect`"));
        assert_eq!(dup.related.len(), 1);
    }

    #[test]
    fn round_trips_through_json() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Deny","Principal":{"AWS":["111122223333"]},
            "NotAction":"s3:Get*","Resource":["arn:aws:s3:::b/${aws:username}"],
            "Condition":{"NumericLessThan":{"s3:TlsVersion":1.2},"Bool":{"aws:SecureTransport":false}}}]}"#;
        let p = Policy::parse(text).unwrap();
        let again = Policy::parse(&p.to_json()).unwrap();
        assert_eq!(again.to_json(), p.to_json());
    }
}

#[cfg(test)]
mod warning_tests {
    use super::*;

    fn warnings(text: &str) -> Vec<String> {
        Policy::parse(text)
            .unwrap()
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn warns_about_not_principal_entries_that_exempt_nobody() {
        let w = warnings(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[
            "arn:aws:iam::111122223333:user/Bob","arn:aws:sts::444455556666:assumed-role/R/s"]},"Action":"*","Resource":"*"}}"#,
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].contains("must also list its account `arn:aws:iam::111122223333:root`"));
        let quiet = warnings(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","NotPrincipal":{"AWS":[
            "arn:aws:iam::111122223333:user/Bob","111122223333"]},"Action":"*","Resource":"*"}}"#,
        );
        assert!(quiet.is_empty(), "{quiet:?}");
    }

    #[test]
    fn warns_about_private_source_ip() {
        let w = warnings(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","203.0.113.0/24"]}}}}"#,
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("private range"));
    }
}
