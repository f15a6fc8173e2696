//! "Did you mean …?": the shared suggester of the diagnostics base.

pub use veto_source::suggest::{closest, edit_distance};
