//! The typed policy model, read from JSON with every element's span, and compiled
//! into matchers as it is read.
//!
//! Reading reports *every* grammar error of a document at once (spec §1.8); a
//! policy with any error is refused, and warnings travel with the loaded policy.
//!
//! One module per job: [`scalar`] (versions and condition values, which the
//! condition compiler needs and which need nothing back), `model` (the types),
//! `read` (the reader), `kind` (checks that depend on the policy's use) and
//! `write` (back to JSON).

mod kind;
mod model;
mod read;
pub mod scalar;
mod write;

pub use model::*;
pub use scalar::{ConditionValue, ScalarKind, Version};
pub use write::quote;
