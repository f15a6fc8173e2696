/// How much a finding matters. Ordered: `Info < Warning < Error`, so "fail on
/// warning" is `severity >= Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Shown, never failing a run.
    Info,
    /// Fails a run only with `--fail-on warning`.
    Warning,
    /// Fails a run.
    Error,
}

impl Severity {
    /// Reads `error`, `warning` or `info` (the rules language checks the word
    /// before this is called; anything else reads as `info`).
    pub fn parse(text: &str) -> Severity {
        match text {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        }
    }

    /// The word users write and read.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}
