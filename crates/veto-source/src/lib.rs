//! The diagnostics base every veto crate shares: one [`Span`] type, one line index,
//! one [`Severity`], one "did you mean" and one renderer. Positions stay byte
//! offsets everywhere; line and column are computed only when a message is printed.

#![warn(missing_docs)]

mod account;
pub mod render;
mod severity;
mod span;
pub mod suggest;

pub use account::is_account_id;
pub use severity::Severity;
pub use span::{LineCol, LineIndex, Span};
