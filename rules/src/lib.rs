//! The rule pack, embedded: each rule file's name (as users see it in diagnostics)
//! and its text. The pack lives in its own crate so that `include_str!` never
//! reaches outside the crate that embeds it (the crate packages on its own).

/// Every rule file of the pack, as `(path shown to users, text)`.
pub const PACK: &[(&str, &str)] = &[("rules/codepipeline.veto", include_str!("../codepipeline.veto"))];
