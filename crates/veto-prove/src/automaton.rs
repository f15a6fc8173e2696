//! The string theory: wildcard patterns as automata over characters, and a
//! breadth-first walk of their product that finds every combination of "matches /
//! does not match" some string can produce, with the shortest such string.
//!
//! This is what makes resources and string-valued keys finite: two strings that
//! every pattern treats alike are interchangeable, so one witness per
//! combination covers them all.

use std::collections::HashMap;

/// One element of a pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sym {
    Char(char),
    /// One character of any kind.
    AnyChar,
    /// Any run, the empty one included.
    AnyRun,
    /// One character other than `:` (an ARN field in `ArnLike`).
    FieldChar,
    /// A run without `:`.
    FieldRun,
    /// One character other than `:` and `/` (an ARN-format placeholder such as `${Region}`).
    SegmentChar,
    SegmentRun,
}

impl Sym {
    fn admits(self, c: char, expected: char, fold: bool) -> bool {
        match self {
            Sym::Char(_) if fold => lower(c) == lower(expected),
            Sym::Char(_) => c == expected,
            Sym::AnyChar | Sym::AnyRun => true,
            Sym::FieldChar | Sym::FieldRun => c != ':',
            Sym::SegmentChar | Sym::SegmentRun => c != ':' && c != '/',
        }
    }

    fn is_run(self) -> bool {
        matches!(self, Sym::AnyRun | Sym::FieldRun | Sym::SegmentRun)
    }
}

fn lower(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A pattern over characters, anchored at both ends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CharPattern {
    syms: Vec<Sym>,
    /// Compare literal characters ignoring case.
    fold: bool,
}

impl CharPattern {
    /// `*` and `?` are wildcards.
    pub fn glob(text: &str) -> CharPattern {
        let syms = text
            .chars()
            .map(|c| match c {
                '*' => Sym::AnyRun,
                '?' => Sym::AnyChar,
                c => Sym::Char(c),
            })
            .collect();
        CharPattern { syms, fold: false }
    }

    /// Every character literal.
    pub fn literal(text: &str, fold: bool) -> CharPattern {
        CharPattern {
            syms: text.chars().map(Sym::Char).collect(),
            fold,
        }
    }

    /// An `ArnLike` pattern: wildcards in the first five fields stay inside their field.
    pub fn arn_like(text: &str) -> CharPattern {
        let mut colons = 0;
        let syms = text
            .chars()
            .map(|c| match c {
                ':' => {
                    colons += 1;
                    Sym::Char(':')
                }
                '*' if colons < 5 => Sym::FieldRun,
                '?' if colons < 5 => Sym::FieldChar,
                '*' => Sym::AnyRun,
                '?' => Sym::AnyChar,
                c => Sym::Char(c),
            })
            .collect();
        CharPattern { syms, fold: false }
    }

    pub fn from_syms(syms: Vec<Sym>) -> CharPattern {
        CharPattern { syms, fold: false }
    }

    pub fn literal_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.syms.iter().filter_map(|s| match s {
            Sym::Char(c) => Some(*c),
            _ => None,
        })
    }

    pub fn folds(&self) -> bool {
        self.fold
    }

    fn closure(&self, set: &mut [bool]) {
        // Runs may be skipped: position i of a run also reaches i + 1.
        for i in 0..self.syms.len() {
            if set[i] && self.syms[i].is_run() {
                set[i + 1] = true;
            }
        }
    }

    fn start(&self) -> Vec<bool> {
        let mut set = vec![false; self.syms.len() + 1];
        set[0] = true;
        self.closure(&mut set);
        set
    }

    fn step(&self, set: &[bool], c: char) -> Vec<bool> {
        let mut next = vec![false; self.syms.len() + 1];
        for (i, &on) in set.iter().enumerate().take(self.syms.len()) {
            if !on {
                continue;
            }
            let sym = self.syms[i];
            let expected = if let Sym::Char(e) = sym { e } else { c };
            if sym.admits(c, expected, self.fold) {
                if sym.is_run() {
                    next[i] = true;
                } else {
                    next[i + 1] = true;
                }
            }
        }
        self.closure(&mut next);
        next
    }

    /// Does the whole of `text` match?
    pub fn matches(&self, text: &str) -> bool {
        let mut set = self.start();
        for c in text.chars() {
            set = self.step(&set, c);
            if !set.iter().any(|&b| b) {
                return false;
            }
        }
        set[self.syms.len()]
    }
}

/// What the product walk found: each reachable combination of pattern verdicts,
/// with the shortest string that produces it.
pub type Classes = Vec<(Vec<bool>, String)>;

/// Each pattern's set of live positions.
type ProductState = Vec<Vec<bool>>;

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

/// Walks the product of `patterns`, keeping strings that `domain` accepts (any of
/// its patterns; all strings when it is empty). `alphabet` must hold every
/// character that matters plus one that no pattern names.
pub fn classes(
    patterns: &[CharPattern],
    domain: &[CharPattern],
    alphabet: &[char],
    max_states: usize,
    deadline: std::time::Instant,
) -> Result<Classes, TooLarge> {
    let all: Vec<&CharPattern> = patterns.iter().chain(domain.iter()).collect();
    let start: Vec<Vec<bool>> = all.iter().map(|p| p.start()).collect();
    let mut seen: HashMap<ProductState, usize> = HashMap::new();
    let mut states: Vec<(ProductState, Option<(usize, char)>)> = Vec::new();
    seen.insert(start.clone(), 0);
    states.push((start, None));
    let mut found: HashMap<Vec<bool>, usize> = HashMap::new();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let mut cursor = 0;
    while cursor < states.len() {
        if cursor % 1024 == 1023 && std::time::Instant::now() > deadline {
            return Err(TooLarge);
        }
        let current = states[cursor].0.clone();
        let accepts = |p: &CharPattern, set: &Vec<bool>| set[set.len() - 1] && set.len() == p.syms.len() + 1;
        let in_domain = domain.is_empty()
            || domain
                .iter()
                .zip(&current[patterns.len()..])
                .any(|(p, s)| accepts(p, s));
        if in_domain {
            let verdicts: Vec<bool> = patterns.iter().zip(&current).map(|(p, s)| accepts(p, s)).collect();
            if !found.contains_key(&verdicts) {
                found.insert(verdicts.clone(), cursor);
                order.push(verdicts);
            }
        }
        for &c in alphabet {
            let next: Vec<Vec<bool>> = all.iter().zip(&current).map(|(p, s)| p.step(s, c)).collect();
            // A string no domain pattern can still accept is of no use.
            if !domain.is_empty() && next[patterns.len()..].iter().all(|s| !s.iter().any(|&b| b)) {
                continue;
            }
            if !seen.contains_key(&next) {
                if states.len() >= max_states {
                    return Err(TooLarge);
                }
                seen.insert(next.clone(), states.len());
                states.push((next, Some((cursor, c))));
            }
        }
        cursor += 1;
    }
    let witness = |mut at: usize| {
        let mut chars = Vec::new();
        while let Some((parent, c)) = states[at].1 {
            chars.push(c);
            at = parent;
        }
        chars.into_iter().rev().collect::<String>()
    };
    Ok(order
        .into_iter()
        .map(|v| {
            let at = found[&v];
            (v, witness(at))
        })
        .collect())
}

/// The characters the patterns name, plus `filler` (a character they do not name,
/// standing for all others) and both cases of letters that case-folding patterns use.
pub fn alphabet(patterns: &[&CharPattern], extra: &[char], forbidden: &[char]) -> Vec<char> {
    let mut chars: Vec<char> = Vec::new();
    let mut push = |c: char| {
        if !chars.contains(&c) && !forbidden.contains(&c) {
            chars.push(c);
        }
    };
    for p in patterns {
        for c in p.literal_chars() {
            push(c);
            if p.folds() {
                for u in c.to_uppercase().chain(c.to_lowercase()) {
                    push(u);
                }
            }
        }
    }
    for &c in extra {
        push(c);
    }
    // A filler character that no pattern names: it stands for every other character.
    if let Some(filler) = "xqzkvw0123456789_-"
        .chars()
        .find(|c| !chars.contains(c) && !forbidden.contains(c))
    {
        chars.push(filler);
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    fn far() -> std::time::Instant {
        std::time::Instant::now() + std::time::Duration::from_secs(60)
    }

    #[test]
    fn finds_every_combination_with_witnesses() {
        let patterns = [
            CharPattern::glob("a*"),
            CharPattern::glob("*b"),
            CharPattern::literal("ab", false),
        ];
        let refs: Vec<&CharPattern> = patterns.iter().collect();
        let found = classes(&patterns, &[], &alphabet(&refs, &[], &[]), 10_000, far()).unwrap();
        let combos: Vec<&Vec<bool>> = found.iter().map(|(v, _)| v).collect();
        assert!(combos.contains(&&vec![true, true, true]));
        assert!(combos.contains(&&vec![true, true, false]));
        assert!(combos.contains(&&vec![true, false, false]));
        assert!(combos.contains(&&vec![false, true, false]));
        assert!(combos.contains(&&vec![false, false, false]));
        assert!(!combos.contains(&&vec![false, false, true]));
        for (v, w) in &found {
            for (p, &expected) in patterns.iter().zip(v) {
                assert_eq!(p.matches(w), expected, "{w:?}");
            }
        }
    }

    #[test]
    fn arn_like_fields_do_not_cross_colons() {
        let p = CharPattern::arn_like("arn:aws:sns:*:111122223333:t");
        assert!(p.matches("arn:aws:sns:us-east-1:111122223333:t"));
        assert!(!p.matches("arn:aws:sns:a:b:111122223333:t"));
    }

    #[test]
    fn domain_restricts_strings() {
        let fmt = CharPattern::from_syms(
            "arn:aws:s3:::"
                .chars()
                .map(Sym::Char)
                .chain([Sym::SegmentChar, Sym::SegmentRun])
                .collect(),
        );
        let patterns = [CharPattern::glob("arn:aws:s3:::b/*")];
        let refs: Vec<&CharPattern> = patterns.iter().chain([&fmt]).collect();
        let found = classes(
            &patterns,
            std::slice::from_ref(&fmt),
            &alphabet(&refs, &[], &['*', '?']),
            10_000,
            far(),
        )
        .unwrap();
        assert_eq!(found.len(), 1);
        assert!(!found[0].0[0]);
        assert!(fmt.matches(&found[0].1));
    }
}
