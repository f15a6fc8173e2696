//! The string theory: wildcard patterns as automata over characters, and a
//! breadth-first walk of their product that finds every combination of "matches /
//! does not match" some string can produce, with the shortest such string.
//!
//! This is what makes resources and string-valued keys finite: two strings that
//! every pattern treats alike are interchangeable, so one witness per
//! combination covers them all.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast multiplicative hasher for the walk's small integer states (SipHash's
/// resistance to collision attacks buys nothing here).
#[derive(Default)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

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

/// The live positions of all patterns: (pattern, position) pairs, sorted. Dead
/// patterns take no room, so a walk over many literal-prefix patterns stays small.
type ProductState = Vec<(u32, u32)>;

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLarge;

/// Adds the positions runs can skip to, then sorts.
fn close(all: &[&CharPattern], state: &mut ProductState) {
    let mut i = 0;
    while i < state.len() {
        let (p, pos) = state[i];
        let Some(pattern) = all.get(p as usize) else {
            i += 1;
            continue;
        };
        let syms = &pattern.syms;
        if (pos as usize) < syms.len() && syms[pos as usize].is_run() {
            state.push((p, pos + 1));
        }
        i += 1;
    }
    state.sort_unstable();
    state.dedup();
}

fn step(all: &[&CharPattern], state: &ProductState, c: char) -> ProductState {
    let mut next = Vec::with_capacity(state.len());
    for &(p, pos) in state {
        // Markers of settled groups are carried by the caller.
        let Some(&pattern) = all.get(p as usize) else {
            continue;
        };
        let Some(&sym) = pattern.syms.get(pos as usize) else {
            continue;
        };
        let expected = if let Sym::Char(e) = sym { e } else { c };
        if sym.admits(c, expected, pattern.fold) {
            next.push((p, if sym.is_run() { pos } else { pos + 1 }));
        }
    }
    close(all, &mut next);
    next
}

/// Walks the product of `patterns`, keeping strings that `domain` accepts (any of
/// its patterns; all strings when it is empty). `alphabet` must hold every
/// character that matters plus one that no pattern names.
///
/// `groups[i]` is the group of pattern `i` (a condition's values: what matters is
/// whether *any* of them matches); the verdicts are per group. A pattern that
/// reaches a tail of `*` accepts every continuation, so its group is settled for
/// good: the walk records that and drops the whole group's positions, which keeps
/// many "contains" patterns of one condition from multiplying the states.
pub fn classes(
    patterns: &[CharPattern],
    groups: &[usize],
    domain: &[CharPattern],
    alphabet: &[char],
    max_states: usize,
    deadline: std::time::Instant,
) -> Result<Classes, TooLarge> {
    let all: Vec<&CharPattern> = patterns.iter().chain(domain.iter()).collect();
    let first_domain = patterns.len() as u32;
    let group_count = groups.iter().map(|g| g + 1).max().unwrap_or(0);
    // A settled group g is the marker entry (all.len() + g, 0).
    let marker = |g: usize| (all.len() + g) as u32;
    let settle = |state: &mut ProductState| {
        let mut settled: Vec<usize> = Vec::new();
        for &(p, pos) in state.iter() {
            if p < first_domain {
                let syms = &all[p as usize].syms;
                let absorbing = (pos as usize) < syms.len() && syms[pos as usize..].iter().all(|s| *s == Sym::AnyRun);
                if absorbing {
                    settled.push(groups[p as usize]);
                }
            }
        }
        if settled.is_empty() {
            return;
        }
        state.retain(|&(p, _)| p >= first_domain || !settled.contains(&groups[p as usize]));
        for g in settled {
            state.push((marker(g), 0));
        }
        state.sort_unstable();
        state.dedup();
    };
    let accepting = |state: &ProductState, p: u32| state.binary_search(&(p, all[p as usize].syms.len() as u32)).is_ok();
    let verdicts = |state: &ProductState| -> Vec<bool> {
        let mut v = vec![false; group_count];
        for &(p, pos) in state {
            if p < first_domain {
                if pos as usize == all[p as usize].syms.len() {
                    v[groups[p as usize]] = true;
                }
            } else if p as usize >= all.len() {
                v[p as usize - all.len()] = true;
            }
        }
        v
    };
    let mut start: ProductState = (0..all.len() as u32).map(|p| (p, 0)).collect();
    close(&all, &mut start);
    settle(&mut start);
    let mut seen: FastMap<ProductState, usize> = FastMap::default();
    let mut states: Vec<(ProductState, Option<(usize, char)>)> = Vec::new();
    seen.insert(start.clone(), 0);
    states.push((start, None));
    let mut found: FastMap<Vec<bool>, usize> = FastMap::default();
    let mut order: Vec<Vec<bool>> = Vec::new();
    let mut cursor = 0;
    while cursor < states.len() {
        if cursor % 1024 == 1023 && std::time::Instant::now() > deadline {
            return Err(TooLarge);
        }
        let current = states[cursor].0.clone();
        let in_domain = domain.is_empty() || (first_domain..all.len() as u32).any(|p| accepting(&current, p));
        if in_domain {
            let v = verdicts(&current);
            if !found.contains_key(&v) {
                found.insert(v.clone(), cursor);
                order.push(v);
            }
        }
        for &c in alphabet {
            let mut next = step(&all, &current, c);
            // Settled groups stay settled.
            next.extend(current.iter().copied().filter(|&(p, _)| p as usize >= all.len()));
            next.sort_unstable();
            next.dedup();
            settle(&mut next);
            // A string no domain pattern can still accept is of no use.
            if !domain.is_empty() && !next.iter().any(|&(p, _)| p >= first_domain && (p as usize) < all.len()) {
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

/// The characters whose first lower-case character is `l`, `l` among them.
fn same_fold(l: char) -> &'static [char] {
    static TABLE: std::sync::OnceLock<HashMap<char, Vec<char>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: HashMap<char, Vec<char>> = HashMap::new();
        for c in (0..=0x1_FFFFu32).filter_map(char::from_u32) {
            let l = lower(c);
            if l != c {
                t.entry(l).or_insert_with(|| vec![l]).push(c);
            }
        }
        t
    });
    table.get(&l).map_or(&[], Vec::as_slice)
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
                // Every character that folds to the same one (ẞ and ß, K and the Kelvin sign).
                for &u in same_fold(lower(c)) {
                    push(u);
                }
            }
        }
    }
    for &c in extra {
        push(c);
    }
    // A filler character that no pattern names: it stands for every other character.
    // The candidates run on through the letters and then beyond ASCII, so no set of
    // literals can use them all up.
    let preferred = "xqzkvw0123456789_-".chars().chain('a'..='z').chain('A'..='Z');
    let beyond = (0x100u32..).filter_map(char::from_u32);
    if let Some(filler) = preferred
        .chain(beyond)
        .find(|c| !chars.contains(c) && !forbidden.contains(c) && !c.is_whitespace())
    {
        chars.push(filler);
    }
    chars
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each pattern its own group.
    fn singletons(n: usize) -> Vec<usize> {
        (0..n).collect()
    }

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
        let found = classes(
            &patterns,
            &singletons(3),
            &[],
            &alphabet(&refs, &[], &[]),
            10_000,
            far(),
        )
        .unwrap();
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
    fn many_contains_patterns_of_one_group_stay_small() {
        let patterns: Vec<CharPattern> = (0..200).map(|i| CharPattern::glob(&format!("*p{i}q*"))).collect();
        let mut groups = vec![0; 200];
        groups[7] = 1;
        let refs: Vec<&CharPattern> = patterns.iter().collect();
        let found = classes(&patterns, &groups, &[], &alphabet(&refs, &[], &[]), 100_000, far()).unwrap();
        let combos: Vec<&Vec<bool>> = found.iter().map(|(v, _)| v).collect();
        assert_eq!(found.len(), 4, "{combos:?}");
        for (v, w) in &found {
            assert_eq!(v[1], patterns[7].matches(w));
            assert_eq!(v[0], patterns.iter().enumerate().any(|(i, p)| i != 7 && p.matches(w)));
        }
    }

    #[test]
    fn a_filler_is_left_whatever_the_literals() {
        let named: String = "xqzkvw0123456789_-".chars().chain('a'..='z').chain('A'..='Z').collect();
        let p = CharPattern::literal(&named, false);
        let a = alphabet(&[&p], &[], &[]);
        assert!(a.iter().any(|c| !named.contains(*c)));
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
            &singletons(1),
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
