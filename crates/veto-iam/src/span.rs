//! Spans and line:column come from the shared diagnostics base.

pub use veto_source::{LineCol, LineIndex, Span};
