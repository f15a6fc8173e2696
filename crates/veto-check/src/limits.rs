//! Input limits every loader shares (a leaf module, so loaders that call each
//! other do not import each other for a constant).

/// Largest input file read.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;
