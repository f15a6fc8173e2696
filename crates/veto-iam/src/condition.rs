//! Condition operators: compiling policy values once, and evaluating them against a
//! request context (spec §3, with the missing-key truth table of §3.13).

use crate::diagnostic::Diagnostic;
use crate::operator::{BaseOperator, Comparison, ConditionOperator, OperatorFamily, SetQualifier, StringMatch};
use crate::policy::scalar::{ConditionValue, Version};
use crate::request::{Context, ContextValue};
use crate::template::{GlobValue, Template, TextValue};
use crate::values::{self, Decimal, Instant};
use crate::wildcard::{self, Atom};

/// A condition's policy values, parsed for its operator family.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionMatcher {
    /// The compiled values, typed by the operator's family.
    pub test: ValueTest,
    /// A policy value did not parse for the operator's type (a bad number, date,
    /// CIDR or boolean). It never compares true, and a negated operator holding one
    /// evaluates false on a present key (spec §3.11, following iam-simulate).
    pub has_invalid_value: bool,
}

/// A condition's values compiled for its operator family (spec §3.3–3.8).
#[derive(Debug, Clone, PartialEq)]
pub enum ValueTest {
    /// String operators.
    String {
        /// Exact, ignoring case, or glob.
        mode: StringMatch,
        /// The values, with policy variables where the version interprets them.
        values: Vec<StringValue>,
    },
    /// Valid decimals, as written.
    Numeric {
        /// The ordering test.
        comparison: Comparison,
        /// The numbers, as written.
        values: Vec<String>,
    },
    /// Date operators.
    Date {
        /// The ordering test.
        comparison: Comparison,
        /// The valid dates, as instants.
        values: Vec<Instant>,
    },
    /// `Bool`: the expected value; `None` when the policy value is not a boolean (never matches).
    Bool(Option<bool>),
    /// `BinaryEquals`: the base64-decoded values.
    Binary(Vec<Vec<u8>>),
    /// `IpAddress`/`NotIpAddress`: the CIDR ranges that parsed.
    Ip(Vec<ipnet::IpNet>),
    /// `Arn…` operators: ARN globs, matched field by field and case-sensitively (spec §2.4).
    Arn(Vec<GlobValue>),
    /// `Null`: `Some(true)` tests that the key is absent.
    Null(Option<bool>),
}

/// One compiled value of a string operator.
#[derive(Debug, Clone, PartialEq)]
pub enum StringValue {
    /// A value compared as text (`StringEquals`, `…IgnoreCase`).
    Text(TextValue),
    /// A glob (`StringLike`).
    Pattern(GlobValue),
}

/// Compiles one condition key's values; load errors and warnings go to `diagnostics`.
pub fn compile_condition(
    operator: ConditionOperator,
    key_lower: &str,
    values: &[ConditionValue],
    version: Version,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<ConditionMatcher> {
    let base = operator.base;
    let errors_before = diagnostics.len();
    let mut error = |message: String, span| diagnostics.push(Diagnostic::error(path, message, span));
    if version.interprets_variables() && !base.accepts_variables() {
        for v in values.iter().filter(|v| v.text.contains("${")) {
            error(
                format!(
                    "{} does not accept policy variables; only String and ARN operators do",
                    base.name()
                ),
                v.span,
            );
        }
    }
    if matches!(base, BaseOperator::Bool | BaseOperator::Null) && values.len() > 1 {
        error(format!("{} takes exactly one value", base.name()), values[1].span);
    }
    if diagnostics.len() > errors_before {
        return None;
    }
    let mut warnings = Vec::new();
    let mut warn =
        |code: &'static str, message: String, span| warnings.push(Diagnostic::warning(code, path, message, span));
    let mut has_invalid_value = false;
    let template = |v: &ConditionValue, diagnostics: &mut Vec<Diagnostic>| -> Option<Template> {
        if !version.interprets_variables() {
            return Some(Template::text(&v.text));
        }
        match Template::parse(&v.text) {
            Ok(t) => Some(t),
            Err(e) => {
                diagnostics.push(Diagnostic::error(path, e.to_string(), v.span));
                None
            }
        }
    };
    let test = match base.family() {
        OperatorFamily::String => {
            let mode = base.string_match().unwrap_or(StringMatch::Exact);
            let mut out = Vec::new();
            for v in values {
                if mode != StringMatch::Like && v.text.contains(['*', '?']) {
                    warn(
                        "IAM-LITERAL-WILDCARD",
                        format!(
                            "`{}`: `*` and `?` are literal in {}; use StringLike for wildcards",
                            v.text,
                            base.name()
                        ),
                        v.span,
                    );
                }
                let t = template(v, diagnostics)?;
                out.push(match mode {
                    StringMatch::Like => StringValue::Pattern(GlobValue::new(t, true)),
                    StringMatch::Exact | StringMatch::IgnoreCase => StringValue::Text(TextValue::new(t)),
                });
            }
            ValueTest::String { mode, values: out }
        }
        OperatorFamily::Arn => {
            let mut out = Vec::new();
            for v in values {
                out.push(GlobValue::new(template(v, diagnostics)?, true));
            }
            ValueTest::Arn(out)
        }
        OperatorFamily::Numeric => {
            let mut out = Vec::new();
            for v in values {
                match Decimal::parse(&v.text) {
                    Some(_) => out.push(v.text.clone()),
                    None => {
                        has_invalid_value = true;
                        warn(
                            "IAM-VALUE-NEVER-MATCHES",
                            format!("`{}` is not a decimal number; this value never matches", v.text),
                            v.span,
                        );
                    }
                }
            }
            ValueTest::Numeric {
                comparison: base.comparison().unwrap_or(Comparison::Equals),
                values: out,
            }
        }
        OperatorFamily::Date => {
            let mut out = Vec::new();
            for v in values {
                match values::parse_date(&v.text) {
                    Some(d) => out.push(d),
                    None => {
                        has_invalid_value = true;
                        warn(
"IAM-VALUE-NEVER-MATCHES",
                            format!("`{}` is not a date (ISO 8601 such as 2024-01-31T12:00:00Z, or epoch seconds); this value never matches", v.text),
                            v.span,
                        );
                    }
                }
            }
            ValueTest::Date {
                comparison: base.comparison().unwrap_or(Comparison::Equals),
                values: out,
            }
        }
        OperatorFamily::Bool | OperatorFamily::Null => {
            let parsed = values::parse_bool(&values[0].text);
            if parsed.is_none() {
                has_invalid_value = true;
                warn(
                    "IAM-VALUE-NEVER-MATCHES",
                    format!(
                        "`{}` is not a boolean: expected true or false; the condition never matches",
                        values[0].text
                    ),
                    values[0].span,
                );
            }
            if base == BaseOperator::Null {
                if let Some(q) = operator.qualifier {
                    let always = if q == SetQualifier::ForAllValues {
                        "true"
                    } else {
                        "false"
                    };
                    warn(
                        "IAM-NULL-QUALIFIER",
                        format!("a set qualifier on Null makes the condition always {always}"),
                        values[0].span,
                    );
                }
                ValueTest::Null(parsed)
            } else {
                ValueTest::Bool(parsed)
            }
        }
        OperatorFamily::Binary => {
            let mut out = Vec::new();
            for v in values {
                match values::base64_decode(&v.text) {
                    Some(bytes) => out.push(bytes),
                    None => {
                        diagnostics.push(Diagnostic::error(
                            path,
                            format!("`{}` is not base64: BinaryEquals values must be base64-encoded", v.text),
                            v.span,
                        ));
                        return None;
                    }
                }
            }
            ValueTest::Binary(out)
        }
        OperatorFamily::Ip => {
            let mut out = Vec::new();
            for v in values {
                match values::parse_cidr(&v.text) {
                    Some((net, masked)) => {
                        if masked {
                            warn(
                                "IAM-HOST-BITS",
                                format!("`{}` has host bits set; it is read as {net}", v.text),
                                v.span,
                            );
                        }
                        if key_lower == "aws:sourceip" && is_private(&net) {
                            warn(
"IAM-PRIVATE-SOURCE-IP",
                                format!("`{}` is a private range, but aws:SourceIp carries public addresses only; use aws:VpcSourceIp for private ones", v.text),
                                v.span,
                            );
                        }
                        out.push(net);
                    }
                    None => {
                        has_invalid_value = true;
                        warn(
                            "IAM-VALUE-NEVER-MATCHES",
                            format!(
                                "`{}` is not an IP address or CIDR range; this value never matches",
                                v.text
                            ),
                            v.span,
                        );
                    }
                }
            }
            ValueTest::Ip(out)
        }
    };
    diagnostics.append(&mut warnings);
    Some(ConditionMatcher {
        test,
        has_invalid_value,
    })
}

impl ConditionMatcher {
    /// Evaluates the condition for one key, given in lower case (spec §3.1).
    pub fn evaluate(&self, operator: ConditionOperator, key_lower: &str, context: &Context) -> bool {
        let value = context.get_lower(key_lower);
        if let ValueTest::Null(expect_absent) = self.test {
            return match operator.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => expect_absent == Some(value.is_none()),
            };
        }
        let negated = operator.base.is_negated();
        let single = |x: &str| self.single(negated, x, context);
        match operator.qualifier {
            Some(SetQualifier::ForAllValues) => match value {
                None => true,
                Some(ContextValue::Single(x)) => single(x),
                Some(ContextValue::Multi(xs)) => xs.iter().all(|x| single(x)),
            },
            Some(SetQualifier::ForAnyValue) => match value {
                None => operator.if_exists,
                Some(ContextValue::Single(x)) => single(x),
                Some(ContextValue::Multi(xs)) => xs.iter().any(|x| single(x)),
            },
            None => match value {
                None => operator.if_exists || negated,
                Some(ContextValue::Multi(_)) => false,
                Some(ContextValue::Single(x)) => single(x),
            },
        }
    }

    /// One request value against all policy values: OR for positive operators, NOR
    /// for negated ones.
    fn single(&self, negated: bool, x: &str, context: &Context) -> bool {
        if negated && self.has_invalid_value {
            return false;
        }
        match self.any_matches(x, context) {
            Some(any) => any != negated,
            // The request value does not parse for this type.
            None => negated && !matches!(self.test, ValueTest::Arn(_)),
        }
    }

    /// Does some policy value match `x`? `None` when `x` has the wrong type.
    fn any_matches(&self, x: &str, context: &Context) -> Option<bool> {
        Some(match &self.test {
            ValueTest::String { mode, values } => values.iter().any(|v| match (mode, v) {
                (StringMatch::Exact, StringValue::Text(t)) => t.with_text(context, |p| p == x) == Some(true),
                (StringMatch::IgnoreCase, StringValue::Text(t)) => {
                    t.with_text(context, |p| eq_ignore_case(p, x)) == Some(true)
                }
                (_, StringValue::Pattern(g)) => {
                    g.with_pattern(context, |p| wildcard::matches(p, x, false)) == Some(true)
                }
                (StringMatch::Like, StringValue::Text(_)) => false,
            }),
            ValueTest::Numeric { comparison, values } => {
                let x = Decimal::parse(x)?;
                values
                    .iter()
                    .filter_map(|p| Decimal::parse(p))
                    .any(|p| comparison.holds(x.cmp(&p)))
            }
            ValueTest::Date { comparison, values } => {
                let x = values::parse_date(x)?;
                values.iter().any(|p| comparison.holds(x.cmp(p)))
            }
            ValueTest::Bool(expected) => {
                let x = values::parse_bool(x)?;
                *expected == Some(x)
            }
            ValueTest::Binary(values) => values.iter().any(|p| values::base64_equals(x, p)),
            ValueTest::Ip(nets) => {
                let x = values::parse_ip(x)?;
                nets.iter().any(|n| n.contains(&x))
            }
            ValueTest::Arn(patterns) => {
                if !is_arn(x) {
                    return None;
                }
                patterns
                    .iter()
                    .any(|g| g.with_pattern(context, |p| arn_like(p, x)) == Some(true))
            }
            ValueTest::Null(_) => false,
        })
    }
}

/// RFC 1918, loopback, link-local and unique-local ranges.
fn is_private(net: &ipnet::IpNet) -> bool {
    match net {
        ipnet::IpNet::V4(n) => {
            let a = n.network();
            a.is_private() || a.is_loopback() || a.is_link_local()
        }
        ipnet::IpNet::V6(n) => {
            let a = n.network();
            a.is_loopback() || (a.segments()[0] & 0xfe00) == 0xfc00 || (a.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// Simple Unicode lower-case comparison, allocation-free.
fn eq_ignore_case(a: &str, b: &str) -> bool {
    a.chars()
        .flat_map(char::to_lowercase)
        .eq(b.chars().flat_map(char::to_lowercase))
}

/// An ARN has the `arn` prefix and at least six colon-separated fields.
pub fn is_arn(x: &str) -> bool {
    x.starts_with("arn:") && x.bytes().filter(|&b| b == b':').count() >= 5
}

/// `ArnLike`: both sides split into fields at the first five colons; each field is
/// globbed on its own, and the sixth field is the remainder (spec §2.4). A pattern
/// with fewer fields (such as `*`) lets its last field take the rest of the value.
pub fn arn_like(pattern: &[Atom], value: &str) -> bool {
    let field_count = 1 + pattern.iter().filter(|a| **a == Atom::Byte(b':')).count().min(5);
    let mut pattern_fields = pattern.splitn(field_count, |a| *a == Atom::Byte(b':'));
    let mut value_fields = value.splitn(field_count, ':');
    for _ in 0..field_count {
        match (pattern_fields.next(), value_fields.next()) {
            (Some(p), Some(v)) if wildcard::matches(p, v, false) => {}
            _ => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wildcard::compile_glob;

    #[test]
    fn arn_like_is_field_wise() {
        let p = compile_glob("arn:aws:someservice:*:111122223333:finance/*");
        let v = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/d.txt";
        assert!(!arn_like(&p, v));
        assert!(wildcard::matches(&p, v, false));
        assert!(arn_like(
            &compile_glob("arn:aws:sns:*:111122223333:t"),
            "arn:aws:sns:us-east-1:111122223333:t"
        ));
        assert!(arn_like(&compile_glob("*"), "arn:aws:s3:::b"));
        assert!(arn_like(&compile_glob("arn:aws:s3:::b/*"), "arn:aws:s3:::b/x:y"));
    }

    fn naive_arn_like(pattern: &str, value: &str) -> bool {
        let fields = 1 + pattern.matches(':').count().min(5);
        let p: Vec<&str> = pattern.splitn(fields, ':').collect();
        let v: Vec<&str> = value.splitn(fields, ':').collect();
        v.len() == fields && p.iter().zip(&v).all(|(p, v)| wildcard::naive_matches(p, v))
    }

    fn text(alphabet: &'static [char], len: usize) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        proptest::collection::vec(proptest::sample::select(alphabet), 0..len).prop_map(|v| v.into_iter().collect())
    }

    proptest::proptest! {
        /// Law: ArnLike agrees with a naive field-wise reference.
        #[test]
        fn arn_like_agrees_with_naive_reference(
            p in text(&['a', 'b', ':', '*', '?'], 14),
            v in text(&['a', 'b', ':'], 24),
        ) {
            proptest::prop_assert_eq!(arn_like(&compile_glob(&p), &v), naive_arn_like(&p, &v));
        }
    }
}
