//! Proofs about IAM policies.
//!
//! A property says: for **every** request in a described set the decision is in
//! an accepted set (or: **some** request's is). [`prove`] answers `holds`,
//! `fails` with a concrete request, `unknown` with the reason, or `empty` when the
//! set holds no request AWS could send.
//!
//! The method: the literals and patterns the policies and the property mention cut
//! each dimension of a request into finitely many classes — principals by the
//! entries that name them, actions by the patterns they match (over the AWS
//! catalog), resources and string values by the combinations of conditions a
//! string can satisfy (a product automaton, `automaton`), numbers, dates and
//! IP addresses by the intervals their constants make (`values`), booleans by
//! value, and absence on its own. Keys derived from the caller follow from it
//! ([`derived`]), so only requests AWS could send are searched. One witness per
//! class covers the class. Dimensions no statement ties together are searched
//! independently (components of keys combined by what they contribute to the
//! decision; callers by class), and every candidate is evaluated with the real
//! evaluator: a returned request always replays to the claimed decision.
//!
//! Layout: `answer` holds the vocabulary (properties, limits, answers), `api`
//! the entry points, `prover` the state and goal of one run, `classes` the
//! classes of each dimension and `search` the walk over them; `automaton`
//! (strings) and `values` (numbers, dates, addresses) are the theories the
//! classes are cut with.
//!
//! Public: the entry points ([`prove`], [`new_access`], [`public_access`]) and
//! their vocabulary, [`property`] (the `veto prove --batch` line format, read
//! by the CLI) and [`derived`] (which keys follow from the caller, used by the
//! tests that check returned requests are ones AWS could send).

#![warn(missing_docs)]

pub mod derived;
pub mod property;

mod answer;
mod api;
mod automaton;
mod classes;
mod prover;
mod search;
mod values;

pub use answer::{Answer, Limits, Property, Quantifier, Verdict};
pub use api::{new_access, prove, public_access};
