//! Classes of the request space: each dimension of a request cut into finitely
//! many classes by the literals and patterns the statements mention, one
//! witness per class.

pub(crate) mod actions;
pub(crate) mod context;
pub(crate) mod principals;
pub(crate) mod resources;

use crate::automaton::{CharPattern, Sym};
use veto_iam::wildcard::Atom;

pub(crate) fn atoms_to_pattern(atoms: &[Atom], arn_fields: bool) -> CharPattern {
    // `ArnLike` bounds wildcards by fields only up to the pattern's own last colon
    // (at most five): a pattern with fewer fields lets its last field take the rest.
    let fields = atoms.iter().filter(|a| **a == Atom::Byte(b':')).count().min(5);
    let mut syms = Vec::new();
    let mut bytes = Vec::new();
    let mut colons = 0;
    let flush = |bytes: &mut Vec<u8>, syms: &mut Vec<Sym>, colons: &mut usize| {
        for c in String::from_utf8_lossy(bytes).chars() {
            if c == ':' {
                *colons += 1;
            }
            syms.push(Sym::Char(c));
        }
        bytes.clear();
    };
    for a in atoms {
        match a {
            Atom::Byte(b) => bytes.push(*b),
            Atom::AnyRun | Atom::AnyChar => {
                flush(&mut bytes, &mut syms, &mut colons);
                let in_field = arn_fields && colons < fields;
                syms.push(match (a, in_field) {
                    (Atom::AnyRun, true) => Sym::FieldRun,
                    (Atom::AnyRun, false) => Sym::AnyRun,
                    (_, true) => Sym::FieldChar,
                    _ => Sym::AnyChar,
                });
            }
        }
    }
    flush(&mut bytes, &mut syms, &mut colons);
    CharPattern::from_syms(syms)
}

/// An ARN format as a pattern: the partition is `partition`; region, account and
/// bucket names are one segment without `/` or `:`; other placeholders are any
/// non-empty text.
pub(crate) fn format_pattern(format: &str, partition: &str) -> CharPattern {
    let mut syms = Vec::new();
    let mut rest = format;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                match &after[..end] {
                    "Partition" => syms.extend(partition.chars().map(Sym::Char)),
                    "Region" | "Account" | "BucketName" => syms.extend([Sym::SegmentChar, Sym::SegmentRun]),
                    _ => syms.extend([Sym::AnyChar, Sym::AnyRun]),
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        syms.push(Sym::Char(c));
        rest = &rest[c.len_utf8()..];
    }
    CharPattern::from_syms(syms)
}

/// A statement's conditions as text, for keys that group statements which differ
/// only in one element (resources, principals).
pub(crate) fn conditions_key(statement: &veto_iam::Statement) -> Vec<String> {
    statement
        .conditions
        .iter()
        .map(|c| {
            let values: Vec<&str> = c.values.iter().map(|v| v.text.as_str()).collect();
            format!("{:?}|{}|{values:?}", c.operator, c.key_lower)
        })
        .collect()
}
