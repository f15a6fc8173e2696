//! Condition operator names: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.

/// How a condition treats a multi-valued key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// `ForAllValues:`: every value of the key must match (true when the key is absent or empty, spec §3.1).
    ForAllValues,
    /// `ForAnyValue:`: at least one value of the key must match.
    ForAnyValue,
}

/// The type of values an operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    /// `String…` operators.
    String,
    /// `Numeric…` operators.
    Numeric,
    /// `Date…` operators.
    Date,
    /// `Bool`.
    Bool,
    /// `BinaryEquals`.
    Binary,
    /// `IpAddress` and `NotIpAddress`.
    Ip,
    /// `Arn…` operators.
    Arn,
    /// `Null`: tests whether the key is present.
    Null,
}

/// How a string operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StringMatch {
    /// `StringEquals`/`StringNotEquals`: byte-for-byte.
    Exact,
    /// `…IgnoreCase`: ignoring case.
    IgnoreCase,
    /// `StringLike`/`StringNotLike`: glob with `*` and `?` (spec §2.2).
    Like,
}

/// The ordering test of a numeric or date operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    /// `=`.
    Equals,
    /// `≠` (evaluated as the negation of `Equals`).
    NotEquals,
    /// `<`.
    LessThan,
    /// `≤`.
    LessThanEquals,
    /// `>`.
    GreaterThan,
    /// `≥`.
    GreaterThanEquals,
}

impl Comparison {
    /// Does `request ◇ policy` hold, for the positive form of the comparison?
    /// `NotEquals` is evaluated as the negation of `Equals` (NOR over values).
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Comparison::Equals | Comparison::NotEquals => ordering == Equal,
            Comparison::LessThan => ordering == Less,
            Comparison::LessThanEquals => ordering != Greater,
            Comparison::GreaterThan => ordering == Greater,
            Comparison::GreaterThanEquals => ordering != Less,
        }
    }
}

macro_rules! base_operators {
    ($($variant:ident => $family:ident, $negated:expr;)*) => {
        /// A condition operator without qualifier or `IfExists`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum BaseOperator {
            $(
                #[doc = concat!("The `", stringify!($variant), "` operator (spec §3.2).")]
                $variant
            ),*
        }

        impl BaseOperator {
            /// Every base operator, in declaration order.
            pub const ALL: &'static [BaseOperator] = &[$(BaseOperator::$variant),*];

            /// The operator's name as written in policies (`StringEquals`).
            pub fn name(self) -> &'static str {
                match self { $(BaseOperator::$variant => stringify!($variant)),* }
            }

            /// The type of values the operator compares.
            pub fn family(self) -> OperatorFamily {
                match self { $(BaseOperator::$variant => OperatorFamily::$family),* }
            }

            /// Negated operators are true on an absent key and NOR their values.
            pub fn is_negated(self) -> bool {
                match self { $(BaseOperator::$variant => $negated),* }
            }
        }
    };
}

base_operators! {
    StringEquals => String, false;
    StringNotEquals => String, true;
    StringEqualsIgnoreCase => String, false;
    StringNotEqualsIgnoreCase => String, true;
    StringLike => String, false;
    StringNotLike => String, true;
    NumericEquals => Numeric, false;
    NumericNotEquals => Numeric, true;
    NumericLessThan => Numeric, false;
    NumericLessThanEquals => Numeric, false;
    NumericGreaterThan => Numeric, false;
    NumericGreaterThanEquals => Numeric, false;
    DateEquals => Date, false;
    DateNotEquals => Date, true;
    DateLessThan => Date, false;
    DateLessThanEquals => Date, false;
    DateGreaterThan => Date, false;
    DateGreaterThanEquals => Date, false;
    Bool => Bool, false;
    BinaryEquals => Binary, false;
    IpAddress => Ip, false;
    NotIpAddress => Ip, true;
    ArnEquals => Arn, false;
    ArnLike => Arn, false;
    ArnNotEquals => Arn, true;
    ArnNotLike => Arn, true;
    Null => Null, false;
}

impl BaseOperator {
    /// How a string operator compares; `None` for other families.
    pub fn string_match(self) -> Option<StringMatch> {
        use BaseOperator::*;
        match self {
            StringEquals | StringNotEquals => Some(StringMatch::Exact),
            StringEqualsIgnoreCase | StringNotEqualsIgnoreCase => Some(StringMatch::IgnoreCase),
            StringLike | StringNotLike => Some(StringMatch::Like),
            _ => None,
        }
    }

    /// The ordering test of a numeric or date operator; `None` for other families.
    pub fn comparison(self) -> Option<Comparison> {
        use BaseOperator::*;
        Some(match self {
            NumericEquals | DateEquals => Comparison::Equals,
            NumericNotEquals | DateNotEquals => Comparison::NotEquals,
            NumericLessThan | DateLessThan => Comparison::LessThan,
            NumericLessThanEquals | DateLessThanEquals => Comparison::LessThanEquals,
            NumericGreaterThan | DateGreaterThan => Comparison::GreaterThan,
            NumericGreaterThanEquals | DateGreaterThanEquals => Comparison::GreaterThanEquals,
            _ => return None,
        })
    }

    /// Only String and ARN operators interpret policy variables (spec §3.12).
    pub fn accepts_variables(self) -> bool {
        matches!(self.family(), OperatorFamily::String | OperatorFamily::Arn)
    }

    /// Operators whose values are wildcard patterns.
    pub fn uses_wildcards(self) -> bool {
        matches!(self.string_match(), Some(StringMatch::Like)) || self.family() == OperatorFamily::Arn
    }
}

/// A full operator as written in a policy, e.g. `ForAnyValue:StringLikeIfExists`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// `ForAllValues:` or `ForAnyValue:`, if written (spec §3.9).
    pub qualifier: Option<SetQualifier>,
    /// The operator without qualifier or suffix.
    pub base: BaseOperator,
    /// Whether `IfExists` was written: an absent key then satisfies the condition (spec §3.10).
    pub if_exists: bool,
}

/// Why an operator name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperatorError {
    /// A name that is no operator.
    #[error("unknown operator {name}{}", suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    Unknown {
        /// The name as written.
        name: String,
        /// The nearest known operator name, if one is close.
        suggestion: Option<String>,
    },
    /// `NullIfExists`, which AWS rejects.
    #[error("`NullIfExists` is not an operator: `Null` already tests whether the key exists")]
    NullIfExists,
}

impl ConditionOperator {
    /// Parses an operator name. Names are case-sensitive (spec §2.5).
    pub fn parse(name: &str) -> Result<ConditionOperator, OperatorError> {
        let (qualifier, rest) = if let Some(r) = name.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), r)
        } else if let Some(r) = name.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), r)
        } else {
            (None, name)
        };
        let (base_name, if_exists) = match rest.strip_suffix("IfExists") {
            Some(b) => (b, true),
            None => (rest, false),
        };
        let base = BaseOperator::ALL.iter().copied().find(|b| b.name() == base_name);
        match base {
            Some(BaseOperator::Null) if if_exists => Err(OperatorError::NullIfExists),
            Some(base) => Ok(ConditionOperator {
                qualifier,
                base,
                if_exists,
            }),
            None => Err(OperatorError::Unknown {
                name: name.to_string(),
                suggestion: suggest(name),
            }),
        }
    }

    /// The operator's full name, as written in policies.
    pub fn name(&self) -> String {
        let q = match self.qualifier {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        format!(
            "{q}{}{}",
            self.base.name(),
            if self.if_exists { "IfExists" } else { "" }
        )
    }
}

/// The nearest valid operator name, comparing case-insensitively.
fn suggest(name: &str) -> Option<String> {
    let mut candidates = Vec::new();
    for q in ["", "ForAllValues:", "ForAnyValue:"] {
        for base in BaseOperator::ALL {
            for suffix in ["", "IfExists"] {
                if *base == BaseOperator::Null && !suffix.is_empty() {
                    continue;
                }
                candidates.push(format!("{q}{}{suffix}", base.name()));
            }
        }
    }
    crate::suggest::closest(name, candidates.iter().map(String::as_str)).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_qualifiers_and_if_exists() {
        let op = ConditionOperator::parse("ForAnyValue:StringLikeIfExists").unwrap();
        assert_eq!(op.qualifier, Some(SetQualifier::ForAnyValue));
        assert_eq!(op.base, BaseOperator::StringLike);
        assert!(op.if_exists);
        assert_eq!(op.name(), "ForAnyValue:StringLikeIfExists");
    }

    #[test]
    fn unknown_operators_get_suggestions() {
        let err = ConditionOperator::parse("StringEqual").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown operator StringEqual (did you mean StringEquals?)"
        );
        let err = ConditionOperator::parse("stringequals").unwrap_err();
        assert!(err.to_string().contains("did you mean StringEquals?"));
        assert_eq!(
            ConditionOperator::parse("NullIfExists"),
            Err(OperatorError::NullIfExists)
        );
    }
}
