//! A small key table for tests and examples of this crate, so type checks can be
//! exercised without the AWS catalog (which veto-check supplies in real use).

use crate::check::{KeyType, KeyTypes};

/// A handful of real AWS keys with their types.
pub struct SampleKeys;

const KEYS: &[(&str, KeyType)] = &[
    ("aws:SecureTransport", KeyType::Bool),
    ("aws:SourceIp", KeyType::Ip),
    ("aws:CurrentTime", KeyType::Date),
    ("aws:username", KeyType::String),
    ("aws:PrincipalTag/team", KeyType::String),
    ("aws:TagKeys", KeyType::String),
    ("aws:PrincipalArn", KeyType::Arn),
    ("s3:TlsVersion", KeyType::Numeric),
    ("s3:x-amz-server-side-encryption", KeyType::String),
];

impl KeyTypes for SampleKeys {
    fn key_type(&self, key: &str) -> Option<KeyType> {
        KEYS.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, t)| *t)
    }

    fn near_key(&self, key: &str) -> Option<String> {
        crate::suggest::closest(key, KEYS.iter().map(|(k, _)| *k)).map(str::to_string)
    }
}

/// A tree's structure without its positions: its debug text with every span blanked.
/// Spans compare for real; formatting moves them, so round-trip checks (tests and the
/// `fmt_roundtrip` fuzz target) compare shapes.
pub fn shape<T: std::fmt::Debug>(tree: &T) -> String {
    let text = format!("{tree:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(i) = rest.find("Span { start: ") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        let after = &rest[i..];
        rest = after.find('}').map_or("", |j| &after[j + 1..]);
    }
    out.push_str(rest);
    out
}
