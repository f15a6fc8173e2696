//! The veto rules language: a pest grammar lowered at once into a typed AST with
//! spans, static checks over a whole file set, rustc-style diagnostics, and a
//! formatter that keeps every comment.
//!
//! This crate knows nothing of IAM: what condition keys exist and what types
//! they have comes in through [`check::KeyTypes`].

pub mod ast;
pub mod check;
pub mod diagnostic;
pub mod format;
pub mod parse;
pub mod suggest;
pub mod testing;

pub use diagnostic::{Diagnostic, Severity};
pub use parse::parse;
