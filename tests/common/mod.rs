//! What the data-driven test runners share: a JSON Lines corpus becomes one named
//! libtest-mimic trial per non-blank line.

use libtest_mimic::{Failed, Trial};

/// One trial per non-blank line of `text`, named `prefix` + the line's `id`
/// (or `origin:line` when it has none), running `run` on the line.
pub fn jsonl_trials(text: &str, origin: &str, prefix: &str, run: fn(&str) -> Result<(), Failed>) -> Vec<Trial> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, line)| {
            let id = serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_string))
                .unwrap_or_else(|| format!("{origin}:{}", n + 1));
            let line = line.to_string();
            Trial::test(format!("{prefix}{id}"), move || run(&line))
        })
        .collect()
}
