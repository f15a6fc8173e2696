//! Nothing to build: this crate exists for its tests.
