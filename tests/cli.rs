//! End-to-end tests of the `veto` binary.
