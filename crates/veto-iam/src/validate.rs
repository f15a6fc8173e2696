//! Checks a policy's names against the AWS catalog: unknown services, actions and
//! condition keys, keys that apply to none of a statement's actions, operators of
//! the wrong type, missing set qualifiers, and resources that fit no resource type.
//!
//! Every finding is a warning with a stable ID: AWS accepts these policies, but a
//! misspelt name silently changes what they do.

use crate::diagnostic::Diagnostic;
use crate::operator::OperatorFamily;
use crate::policy::{ActionMatcher, Condition, Policy, Statement};
use crate::span::Span;
use crate::suggest;
use veto_catalog::{Action, Catalog, KeyType, Service};

pub(crate) const UNKNOWN_SERVICE: &str = "IAM-UNKNOWN-SERVICE";
pub(crate) const UNKNOWN_ACTION: &str = "IAM-UNKNOWN-ACTION";
pub(crate) const UNKNOWN_KEY: &str = "IAM-UNKNOWN-KEY";
pub(crate) const KEY_NOT_APPLICABLE: &str = "IAM-KEY-NOT-APPLICABLE";
pub(crate) const OPERATOR_TYPE: &str = "IAM-OPERATOR-TYPE";
pub(crate) const MISSING_QUALIFIER: &str = "IAM-MISSING-QUALIFIER";
pub(crate) const RESOURCE_MISMATCH: &str = "IAM-RESOURCE-MISMATCH";

/// All catalog findings for a policy, using the embedded catalog.
pub fn validate(policy: &Policy) -> Vec<Diagnostic> {
    validate_with(policy, veto_catalog::catalog())
}

pub(crate) fn validate_with(policy: &Policy, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for statement in &policy.statements {
        check_statement(statement, catalog, &mut out);
    }
    out
}

/// Context keys a request carries that its action never sends. The evaluator
/// still takes the context literally; this only warns.
pub fn check_context(request: &crate::Request, key_spans: &[(String, Span)], catalog: &Catalog) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let Some((service, action)) = catalog.action(request.action()) else {
        return out;
    };
    for (key, span) in key_spans {
        if catalog.key(key).is_none() {
            warn(
                &mut out,
                "request.context",
                UNKNOWN_KEY,
                format!("`{key}` is not a condition key AWS knows"),
                *span,
                None,
            );
        } else if !catalog.key_applies(service, action, key) {
            warn(
                &mut out,
                "request.context",
                KEY_NOT_APPLICABLE,
                format!(
                    "`{key}` does not apply to {}:{}; AWS never sends it with this action",
                    service.prefix, action.name
                ),
                *span,
                None,
            );
        }
    }
    out
}

fn warn(out: &mut Vec<Diagnostic>, path: &str, code: &'static str, message: String, span: Span, help: Option<String>) {
    out.push(Diagnostic::warning(code, path, message, span).with_help(help));
}

fn did_you_mean(name: Option<String>) -> Option<String> {
    name.map(|n| format!("did you mean `{n}`?"))
}

fn check_statement(statement: &Statement, catalog: &Catalog, out: &mut Vec<Diagnostic>) {
    let path = statement.path.as_str();
    // The catalog actions the statement's Action names; `None` when unbounded
    // (`*`, NotAction, or a name the catalog does not know).
    let mut actions: Option<Vec<(&Service, &Action)>> = (!statement.action.negated).then(Vec::new);
    for pattern in &statement.action.patterns {
        let ActionMatcher::Service { service: prefix, name } = &pattern.matcher else {
            actions = None;
            continue;
        };
        let Some(service) = catalog.service(prefix) else {
            let near = suggest::closest(prefix, catalog.services.iter().map(|s| s.prefix));
            warn(
                out,
                path,
                UNKNOWN_SERVICE,
                format!("`{}`: no AWS service has the prefix `{prefix}`", pattern.text),
                pattern.span,
                did_you_mean(near.map(|s| format!("{s}:{}", pattern.text.split_once(':').map_or("", |p| p.1)))),
            );
            actions = None;
            continue;
        };
        let matched: Vec<&Action> = service
            .actions
            .iter()
            .filter(|a| name.matches(&a.name.to_ascii_lowercase(), false))
            .collect();
        if matched.is_empty() {
            let wanted = pattern.text.split_once(':').map_or("", |p| p.1);
            let near = suggest::closest(wanted, service.actions.iter().map(|a| a.name));
            let what = if crate::wildcard::is_literal(name.atoms()) {
                format!("`{}` is not an action of {}", pattern.text, service.name)
            } else {
                format!("`{}` matches no action of {}", pattern.text, service.name)
            };
            warn(
                out,
                path,
                UNKNOWN_ACTION,
                what,
                pattern.span,
                did_you_mean(near.map(|n| format!("{}:{n}", service.prefix))),
            );
            actions = None;
            continue;
        }
        if let Some(list) = actions.as_mut() {
            list.extend(matched.into_iter().map(|a| (service, a)));
        }
    }
    for condition in &statement.conditions {
        check_condition(condition, statement, actions.as_deref(), catalog, out);
    }
    if let (Some(actions), Some(resource)) = (&actions, &statement.resource) {
        if !resource.negated {
            check_resources(statement, resource, actions, out);
        }
    }
}

fn check_condition(
    condition: &Condition,
    statement: &Statement,
    actions: Option<&[(&Service, &Action)]>,
    catalog: &Catalog,
    out: &mut Vec<Diagnostic>,
) {
    let path = format!("{}.Condition.{}", statement.path, condition.operator.name());
    let key = condition.key.as_str();
    let Some(known) = catalog.key(key) else {
        let prefix = key.split_once(':').map_or("", |p| p.0);
        let mut candidates: Vec<&str> = catalog.global_keys.iter().map(|k| k.name).collect();
        if let Some(service) = catalog.service(prefix) {
            candidates.extend(service.keys.iter().map(|k| k.name));
        }
        for (service, _) in actions.unwrap_or_default() {
            candidates.extend(service.keys.iter().map(|k| k.name));
        }
        let near = suggest::closest(key, candidates.iter().copied());
        let why = if catalog.service(prefix).is_none() && prefix != "aws" {
            format!("`{key}` is not a condition key: no AWS service has the prefix `{prefix}`")
        } else {
            format!("`{key}` is not a condition key AWS knows; a request never carries it, so this condition sees it absent")
        };
        warn(
            out,
            &path,
            UNKNOWN_KEY,
            why,
            condition.key_span,
            did_you_mean(near.map(str::to_string)),
        );
        return;
    };
    if let Some(actions) = actions {
        let global = catalog.global_key(key).is_some();
        if !global && !actions.is_empty() && !actions.iter().any(|(s, a)| catalog.key_applies(s, a, key)) {
            let names: Vec<String> = actions
                .iter()
                .take(3)
                .map(|(s, a)| format!("{}:{}", s.prefix, a.name))
                .collect();
            let more = if actions.len() > 3 {
                format!(" and {} more", actions.len() - 3)
            } else {
                String::new()
            };
            warn(
                out,
                &path,
                KEY_NOT_APPLICABLE,
                format!(
                    "`{key}` applies to none of this statement's actions ({}{more}); such requests never carry it",
                    names.join(", ")
                ),
                condition.key_span,
                None,
            );
        }
    }
    let family = condition.operator.base.family();
    // A String key may hold an ARN (`kms:EncryptionContext:aws:s3:arn`,
    // `aws:RequestTag/…`); ARN operators on it, with ARN values, compare ARNs.
    let arn_values = !condition.values.is_empty() && condition.values.iter().all(|v| v.text.starts_with("arn:"));
    let fits = (family == OperatorFamily::Arn && known.shape.value == KeyType::String && arn_values)
        || matches!(
            (family, known.shape.value),
            (OperatorFamily::Null, _)
                | (OperatorFamily::String, KeyType::String | KeyType::Arn)
                | (OperatorFamily::Arn, KeyType::Arn)
                | (OperatorFamily::Numeric, KeyType::Numeric | KeyType::Date)
                | (OperatorFamily::Date, KeyType::Date)
                | (OperatorFamily::Bool, KeyType::Bool)
                | (OperatorFamily::Ip, KeyType::IpAddress)
                | (OperatorFamily::Binary, KeyType::Binary)
        );
    if !fits {
        let suggestion = match known.shape.value {
            KeyType::String => "String operators (StringEquals, StringLike, …)",
            KeyType::Arn => "ARN operators (ArnLike, ArnEquals, …) or String operators",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "Numeric operators (NumericEquals, NumericLessThan, …)",
            KeyType::Date => "Date operators (DateGreaterThan, …)",
            KeyType::IpAddress => "IpAddress or NotIpAddress",
            KeyType::Binary => "BinaryEquals",
        };
        warn(
            out,
            &path,
            OPERATOR_TYPE,
            format!(
                "{} does not fit `{}`, whose type is {}",
                condition.operator.name(),
                known.name,
                known.shape.name()
            ),
            condition.operator_span,
            Some(format!("use {suggestion}")),
        );
    }
    if known.shape.multi_valued && condition.operator.qualifier.is_none() && family != OperatorFamily::Null {
        warn(
            out,
            &path,
            MISSING_QUALIFIER,
            format!(
                "`{}` is multi-valued, and {} without ForAnyValue:/ForAllValues: is false whenever it is present",
                known.name,
                condition.operator.name()
            ),
            condition.operator_span,
            Some(format!(
                "use ForAnyValue:{} (any value matches) or ForAllValues:{} (every value matches)",
                condition.operator.name(),
                condition.operator.name()
            )),
        );
    }
}

fn check_resources(
    statement: &Statement,
    resource: &crate::policy::ResourceElement,
    actions: &[(&Service, &Action)],
    out: &mut Vec<Diagnostic>,
) {
    let mut formats: Vec<&str> = Vec::new();
    for (service, action) in actions {
        for rt in service.resource_types_of(action) {
            if !formats.contains(&rt.arn_format) {
                formats.push(rt.arn_format);
            }
        }
    }
    let takes_star = actions.iter().any(|(s, a)| s.resource_types_of(a).next().is_none());
    let path = format!("{}.Resource", statement.path);
    for pattern in &resource.patterns {
        if pattern.text == "*" {
            continue;
        }
        let tokens = pattern_tokens(&pattern.text);
        if formats.iter().any(|f| intersect(&tokens, &format_tokens(f))) {
            continue;
        }
        let message = if formats.is_empty() {
            format!(
                "`{}` fits no resource type: these actions take no resource, so only \"*\" matches them",
                pattern.text
            )
        } else {
            let shown: Vec<&str> = formats.iter().take(3).copied().collect();
            let star = if takes_star { " (or \"*\")" } else { "" };
            format!(
                "`{}` fits no resource type of this statement's actions; expected an ARN like {}{star}",
                pattern.text,
                shown.join(", ")
            )
        };
        warn(out, &path, RESOURCE_MISMATCH, message, pattern.span, None);
    }
}

/// One element of a glob used for the resource-type fit check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    /// `?`
    AnyChar,
    /// `*`, a policy variable, or an ARN-format placeholder that may hold `/`.
    AnyRun,
    /// An ARN-format placeholder that holds neither `/` nor `:` (`${Region}`, `${BucketName}`).
    Segment,
}

/// A policy's resource pattern: `*`, `?`, and variables (which stand for anything).
fn pattern_tokens(text: &str) -> Vec<Token> {
    tokens(text, |_| Token::AnyRun, true)
}

/// A catalog ARN format. The partition, region, account and S3 bucket name hold
/// neither `/` nor `:`; other placeholders (object keys, paths, log group names)
/// may hold anything, as the catalog does not say.
fn format_tokens(text: &str) -> Vec<Token> {
    let placeholder = |name: &str| match name {
        "Partition" | "Region" | "Account" | "BucketName" => Token::Segment,
        _ => Token::AnyRun,
    };
    tokens(text, placeholder, false)
}

fn tokens(text: &str, placeholder: impl Fn(&str) -> Token, wildcards: bool) -> Vec<Token> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                out.push(placeholder(&after[..end]));
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or_default();
        out.push(match c {
            '*' if wildcards => Token::AnyRun,
            '?' if wildcards => Token::AnyChar,
            c => Token::Char(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// Is there a string that both token sequences match?
fn intersect(a: &[Token], b: &[Token]) -> bool {
    use Token::*;
    // reach[i][j]: some string matches both a[..i] and b[..j].
    let mut reach = vec![vec![false; b.len() + 1]; a.len() + 1];
    reach[0][0] = true;
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            if !reach[i][j] {
                continue;
            }
            let (x, y) = (a.get(i).copied(), b.get(j).copied());
            // A run may end here.
            if matches!(x, Some(AnyRun | Segment)) {
                reach[i + 1][j] = true;
            }
            if matches!(y, Some(AnyRun | Segment)) {
                reach[i][j + 1] = true;
            }
            match (x, y) {
                // A run swallows one character of the other side.
                (Some(AnyRun), Some(Char(_) | AnyChar)) => reach[i][j + 1] = true,
                (Some(Char(_) | AnyChar), Some(AnyRun)) => reach[i + 1][j] = true,
                (Some(Segment), Some(Char(c))) if c != '/' && c != ':' => reach[i][j + 1] = true,
                (Some(Segment), Some(AnyChar)) => reach[i][j + 1] = true,
                (Some(Char(c)), Some(Segment)) if c != '/' && c != ':' => reach[i + 1][j] = true,
                (Some(AnyChar), Some(Segment)) => reach[i + 1][j] = true,
                (Some(Char(p)), Some(Char(q))) if p == q => reach[i + 1][j + 1] = true,
                (Some(Char(_) | AnyChar), Some(Char(_) | AnyChar)) if x == Some(AnyChar) || y == Some(AnyChar) => {
                    reach[i + 1][j + 1] = true
                }
                _ => {}
            }
        }
    }
    reach[a.len()][b.len()]
}

/// Could a policy's resource pattern name a resource of this ARN format?
pub fn fits_arn_format(pattern: &str, arn_format: &str) -> bool {
    intersect(&pattern_tokens(pattern), &format_tokens(arn_format))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_patterns_fit_arn_formats() {
        let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
        let bucket = "arn:${Partition}:s3:::${BucketName}";
        assert!(fits_arn_format("arn:aws:s3:::b/*", object));
        assert!(!fits_arn_format("arn:aws:s3:::b", object));
        assert!(fits_arn_format("arn:aws:s3:::b*", object));
        assert!(fits_arn_format("arn:aws:s3:::b*", bucket));
        assert!(!fits_arn_format("arn:aws:s3:::b/*", bucket));
        assert!(fits_arn_format("arn:aws:s3:::b/a/b/c", object));
        assert!(!fits_arn_format("arn:aws:kms:*:*:key/*", bucket));
        assert!(fits_arn_format(
            "arn:aws:iam::1:role/path/R",
            "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
        ));
        assert!(fits_arn_format("arn:aws:s3:::${aws:username}", bucket));
        assert!(fits_arn_format(
            "arn:aws:logs:*:*:log-group:/aws/lambda/x",
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}"
        ));
    }
}
