//! IAM wildcard patterns (`*` any run, `?` one character), matched in linear-ish time.
//!
//! Patterns are anchored at both ends and have no escapes; `*` crosses `/` and `:`.
//! The matcher is the classic two-pointer algorithm with a single backtrack point, so
//! it costs O(pattern × input) at worst and never backtracks exponentially
//! (`*a*a*a*a*b` against a long run of `a`).

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
    let (mut p, mut i) = (0usize, 0usize);
    // After a `*`: the pattern index just past it, and the input index it has reached.
    let mut backtrack: Option<(usize, usize)> = None;
    while i < input.len() {
        match pattern.get(p) {
            Some(Atom::AnyRun) => {
                p += 1;
                backtrack = Some((p, i));
                continue;
            }
            Some(Atom::AnyChar) => {
                p += 1;
                i += utf8_len(input[i]);
                continue;
            }
            Some(&Atom::Byte(b)) => {
                let c = if fold_case {
                    input[i].to_ascii_lowercase()
                } else {
                    input[i]
                };
                if c == b {
                    p += 1;
                    i += 1;
                    continue;
                }
            }
            None => {}
        }
        // Mismatch: let the last `*` swallow one more character, or fail.
        match backtrack {
            Some((star_p, star_i)) => {
                let next = star_i + utf8_len(input[star_i]);
                backtrack = Some((star_p, next));
                p = star_p;
                i = next;
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(|a| *a == Atom::AnyRun)
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

    proptest! {
        /// Law: the fast matcher agrees with the naive reference on random patterns.
        #[test]
        fn agrees_with_naive_reference(p in pattern_strategy(), s in input_strategy()) {
            prop_assert_eq!(glob(&p, &s), naive_matches(&p, &s));
        }
    }
}
