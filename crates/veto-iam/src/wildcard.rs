//! IAM wildcard patterns (`*` any run, `?` one character), matched in linear-ish time.
//!
//! Patterns are anchored at both ends and have no escapes; `*` crosses `/` and `:`.
//! The matcher splits the pattern at `*` and places each segment leftmost in turn
//! with a substring search, so a pattern whose segments are literal costs
//! O(pattern + input) whatever its shape (`*aaaa…ab*` or `*a*a*a*b` against a long
//! run of `a`). A segment that holds `?` is checked at each hit of its literal lead.

/// One element of a compiled pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Atom {
    /// A literal byte of the UTF-8 text.
    Byte(u8),
    /// `*`: any run of characters, the empty run included.
    AnyRun,
    /// `?`: exactly one character.
    AnyChar,
}

/// Compiles `text` with `*` and `?` as wildcards.
pub fn compile_glob(text: &str) -> Vec<Atom> {
    let mut atoms = Vec::with_capacity(text.len());
    push_glob(&mut atoms, text);
    atoms
}

/// Appends `text` with `*` and `?` as wildcards. Consecutive `*` collapse into one.
pub fn push_glob(atoms: &mut Vec<Atom>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'*' if atoms.last() == Some(&Atom::AnyRun) => {}
            b'*' => atoms.push(Atom::AnyRun),
            b'?' => atoms.push(Atom::AnyChar),
            _ => atoms.push(Atom::Byte(b)),
        }
    }
}

/// Appends `text` with every character literal (substituted variable values, `${*}`).
pub fn push_literal(atoms: &mut Vec<Atom>, text: &str) {
    atoms.extend(text.bytes().map(Atom::Byte));
}

/// Lower-cases the literal bytes of a pattern (ASCII), for case-insensitive matching.
pub fn fold_ascii(atoms: &mut [Atom]) {
    for atom in atoms {
        if let Atom::Byte(b) = atom {
            *b = b.to_ascii_lowercase();
        }
    }
}

/// A compiled pattern with its literal prefix and suffix split off, so the common
/// shapes (`literal`, `prefix*`) cost one length check and one `memcmp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    atoms: Vec<Atom>,
    /// Leading and trailing atoms that are literal bytes.
    prefix: usize,
    suffix: usize,
    literal: Box<[u8]>,
}

impl Pattern {
    /// A pattern from its atoms, with its literal prefix and suffix found once for fast rejection.
    pub fn new(atoms: Vec<Atom>) -> Pattern {
        let prefix = atoms.iter().take_while(|a| matches!(a, Atom::Byte(_))).count();
        let suffix = if prefix == atoms.len() {
            0
        } else {
            atoms.iter().rev().take_while(|a| matches!(a, Atom::Byte(_))).count()
        };
        let literal = atoms
            .iter()
            .filter_map(|a| match a {
                Atom::Byte(b) => Some(*b),
                _ => None,
            })
            .collect();
        Pattern {
            atoms,
            prefix,
            suffix,
            literal,
        }
    }

    /// The pattern's atoms, in order.
    pub fn atoms(&self) -> &[Atom] {
        &self.atoms
    }

    /// Does the whole `input` match? With `fold_case`, the pattern must be lower case.
    #[inline]
    pub fn matches(&self, input: &str, fold_case: bool) -> bool {
        if fold_case {
            self.matches_with(input.as_bytes(), true, <[u8]>::eq_ignore_ascii_case)
        } else {
            self.matches_with(input.as_bytes(), false, bytes_eq)
        }
    }

    #[inline(always)]
    fn matches_with(&self, input: &[u8], fold_case: bool, eq: impl Fn(&[u8], &[u8]) -> bool) -> bool {
        if self.prefix == self.atoms.len() {
            return input.len() == self.literal.len() && eq(input, &self.literal);
        }
        let (prefix, suffix) = (self.prefix, self.suffix);
        if input.len() < prefix + suffix
            || !eq(&input[..prefix], &self.literal[..prefix])
            || !eq(
                &input[input.len() - suffix..],
                &self.literal[self.literal.len() - suffix..],
            )
        {
            return false;
        }
        let middle = &self.atoms[prefix..self.atoms.len() - suffix];
        if middle == [Atom::AnyRun] {
            return true;
        }
        matches_bytes(middle, &input[prefix..input.len() - suffix], fold_case)
    }
}

/// Does the whole `input` match `pattern`? With `fold_case`, input bytes are
/// lower-cased (ASCII) before comparison, so the pattern must already be lower case.
pub fn matches(pattern: &[Atom], input: &str, fold_case: bool) -> bool {
    matches_bytes(pattern, input.as_bytes(), fold_case)
}

fn matches_bytes(pattern: &[Atom], input: &[u8], fold_case: bool) -> bool {
    if fold_case {
        let lowered: Vec<u8> = input.iter().map(u8::to_ascii_lowercase).collect();
        matches_exact(pattern, &lowered)
    } else {
        matches_exact(pattern, input)
    }
}

/// The linear matcher. The pattern is split at `*` into segments of literal bytes
/// and `?`. The first segment must match at the start of the input, the last at its
/// end, and each segment in between is found leftmost after the previous one.
/// Greedy leftmost placement is exact for `*`: if any placement of the middle
/// segments fits, the leftmost one does and leaves the most room for the rest, so
/// nothing is ever retried. Literal segments are found with a substring search
/// (`memchr::memmem`, linear); a segment holding `?` is found by searching for its
/// literal lead and checking the rest at each hit.
fn matches_exact(pattern: &[Atom], input: &[u8]) -> bool {
    let mut segments = pattern.split(|a| *a == Atom::AnyRun);
    let first = segments.next().unwrap_or_default();
    let Some(last) = segments.next_back() else {
        return match_at(first, input, 0) == Some(input.len());
    };
    let Some(mut pos) = match_at(first, input, 0) else {
        return false;
    };
    let Some(limit) = match_at_end(last, input) else {
        return false;
    };
    if limit < pos {
        return false;
    }
    let window = &input[..limit];
    for segment in segments {
        match find_leftmost(segment, window, pos) {
            Some(end) => pos = end,
            None => return false,
        }
    }
    true
}

/// Matches a `*`-free segment at `start`; the end of the match.
fn match_at(segment: &[Atom], input: &[u8], start: usize) -> Option<usize> {
    let mut i = start;
    for atom in segment {
        match *atom {
            Atom::Byte(b) => {
                if input.get(i) != Some(&b) {
                    return None;
                }
                i += 1;
            }
            Atom::AnyChar => {
                let lead = *input.get(i)?;
                i = (i + utf8_len(lead)).min(input.len());
            }
            Atom::AnyRun => return None,
        }
    }
    Some(i)
}

/// Matches a `*`-free segment so that it ends at the end of `input`; the start of the match.
fn match_at_end(segment: &[Atom], input: &[u8]) -> Option<usize> {
    let mut j = input.len();
    for atom in segment.iter().rev() {
        match *atom {
            Atom::Byte(b) => {
                if j == 0 || input[j - 1] != b {
                    return None;
                }
                j -= 1;
            }
            Atom::AnyChar => {
                // Step back over one whole character: its continuation bytes, then its lead.
                if j == 0 {
                    return None;
                }
                j -= 1;
                while j > 0 && input[j] & 0xC0 == 0x80 {
                    j -= 1;
                }
            }
            Atom::AnyRun => return None,
        }
    }
    Some(j)
}

/// The end of the leftmost match of a `*`-free segment starting at or after `from`.
fn find_leftmost(segment: &[Atom], input: &[u8], from: usize) -> Option<usize> {
    // The segment's literal lead (up to its first `?`), as bytes.
    let lead_len = segment.iter().take_while(|a| matches!(a, Atom::Byte(_))).count();
    let mut stack = [0u8; 64];
    let heap: Vec<u8>;
    let lead: &[u8] = if lead_len <= stack.len() {
        for (slot, atom) in stack.iter_mut().zip(&segment[..lead_len]) {
            if let Atom::Byte(b) = atom {
                *slot = *b;
            }
        }
        &stack[..lead_len]
    } else {
        heap = segment[..lead_len]
            .iter()
            .filter_map(|a| match a {
                Atom::Byte(b) => Some(*b),
                _ => None,
            })
            .collect();
        &heap
    };
    let rest = &segment[lead_len..];
    if rest.is_empty() {
        return memchr::memmem::find(input.get(from..)?, lead).map(|at| from + at + lead.len());
    }
    let finder = memchr::memmem::Finder::new(lead);
    let mut start = from;
    loop {
        let at = start + finder.find(input.get(start..)?)?;
        if let Some(end) = match_at(rest, input, at + lead.len()) {
            return Some(end);
        }
        // Not here: the next candidate starts at the next character.
        start = at + input.get(at).map_or(1, |&b| utf8_len(b));
    }
}

/// Byte equality without a libc call: the strings compared here are short (action
/// names, ARNs, context keys), where `memcmp`'s call overhead dominates.
#[inline(always)]
pub fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i + 8 <= a.len() {
        let x = u64::from_ne_bytes(a[i..i + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_ne_bytes(b[i..i + 8].try_into().unwrap_or([0; 8]));
        if x != y {
            return false;
        }
        i += 8;
    }
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Is the pattern free of wildcards?
pub fn is_literal(pattern: &[Atom]) -> bool {
    pattern.iter().all(|a| matches!(a, Atom::Byte(_)))
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A plain dynamic-programming matcher over characters: the reference the fast
/// one is tested against (a different algorithm, O(pattern × input) too).
pub fn naive_matches(pattern: &str, input: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = input.chars().collect();
    // ok[j]: the pattern so far matches the first j characters of the input.
    let mut ok = vec![false; s.len() + 1];
    ok[0] = true;
    for &pc in &p {
        let mut next = vec![false; s.len() + 1];
        for j in 0..=s.len() {
            next[j] = match pc {
                '*' => ok[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && ok[j - 1],
                c => j > 0 && ok[j - 1] && s[j - 1] == c,
            };
        }
        ok = next;
    }
    ok[s.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn glob(p: &str, s: &str) -> bool {
        let fast = Pattern::new(compile_glob(p)).matches(s, false);
        assert_eq!(fast, matches(&compile_glob(p), s, false), "{p:?} {s:?}");
        fast
    }

    #[test]
    fn anchored_globs() {
        assert!(glob("home/*", "home/"));
        assert!(glob("home/*", "home/a/b"));
        assert!(!glob("home/*", "home"));
        assert!(glob("", ""));
        assert!(!glob("", "a"));
        assert!(glob("b/*/test/*", "b//test/x"));
        assert!(!glob("b/*/test/*", "b/test/x"));
        assert!(glob("b/*/test/*", "b/1/2/test/3/x"));
        assert!(glob("a?c", "aéc"));
        assert!(!glob("a?c", "ac"));
        assert!(glob("*é", "xxé"));
    }

    #[test]
    fn folds_case_when_asked() {
        let mut p = compile_glob("s3:Get*");
        fold_ascii(&mut p);
        assert!(matches(&p, "S3:getobject", true));
        assert!(!matches(&compile_glob("s3:Get*"), "s3:getobject", false));
    }

    #[test]
    fn adversarial_pattern_stays_fast() {
        let input = "a".repeat(100_000);
        assert!(!glob("*a*a*a*a*a*a*a*a*b", &input));
    }

    fn pattern_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just('*'), Just('?'), Just('a'), Just('b'), Just('é'), Just('/')],
            0..8,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    fn input_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![Just('a'), Just('b'), Just('é'), Just('/'), Just('*')],
            0..10,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    #[test]
    fn long_literal_segments_between_stars() {
        let run = "a".repeat(50_000);
        let input = "a".repeat(100_000);
        assert!(!glob(&format!("*{run}b*"), &input));
        assert!(glob(&format!("*{run}b*"), &format!("{input}b")));
        assert!(glob(&format!("*{run}*"), &input));
        assert!(glob(&format!("a*{run}?*a"), &input));
        // A segment with `?` between literal runs; the match is at the very end.
        assert!(glob("*ab?ab*", "abxaabyab"));
        assert!(!glob("*ab?ab*", "abxaaabyb"));
    }

    /// Inputs built from few letters, so segments overlap and repeat.
    fn dense_strategy(len: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(prop_oneof![4 => Just('a'), 2 => Just('b'), 1 => Just('é')], 0..len)
            .prop_map(|v| v.into_iter().collect())
    }

    fn dense_pattern_strategy() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![3 => Just('a'), 2 => Just('b'), 2 => Just('*'), 1 => Just('?'), 1 => Just('é')],
            0..12,
        )
        .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        /// Law: the fast matcher agrees with the naive reference on random patterns.
        #[test]
        fn agrees_with_naive_reference(p in pattern_strategy(), s in input_strategy()) {
            prop_assert_eq!(glob(&p, &s), naive_matches(&p, &s));
        }

        /// Law: same, on long inputs over a small alphabet where segment
        /// occurrences overlap (where a wrong greedy placement would show).
        #[test]
        fn agrees_with_naive_reference_on_overlaps(p in dense_pattern_strategy(), s in dense_strategy(40)) {
            prop_assert_eq!(glob(&p, &s), naive_matches(&p, &s));
        }

        /// Law: case folding lower-cases the input before the same match.
        #[test]
        fn folding_matches_the_lowered_input(p in dense_pattern_strategy(), s in dense_strategy(20)) {
            let upper = s.to_ascii_uppercase();
            prop_assert_eq!(matches(&compile_glob(&p), &upper, true), naive_matches(&p, &s));
        }
    }
}
