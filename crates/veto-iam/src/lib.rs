#![warn(missing_docs)]

//! veto's IAM model and evaluator.
//!
//! Read policies with [`Policy::parse`] (every element keeps its span, every grammar
//! error is reported at once), gather them into a [`PolicySet`], and ask for the
//! [`Decision`] on a [`Request`] — AWS's Deny/Allow semantics as written down in the
//! project's semantics reference, with a trace from [`PolicySet::explain`].
//!
//! ```
//! use veto_iam::{Context, ContextValue, Decision, Policy, PolicySet, Request};
//!
//! let bucket = Policy::parse(r#"{"Version": "2012-10-17", "Statement": [{
//!     "Effect": "Deny", "Principal": "*", "Action": "s3:*",
//!     "Resource": "arn:aws:s3:::b/*",
//!     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}"#).unwrap();
//! let set = PolicySet { resource: Some(bucket), ..PolicySet::default() };
//! let context = Context::new().with("aws:SecureTransport", ContextValue::Single("false".into()));
//! let request = Request::new("anonymous", "s3:GetObject", "arn:aws:s3:::b/k", None, context).unwrap();
//! assert_eq!(set.evaluate(&request), Decision::ExplicitDeny);
//! ```

pub mod batch;
pub mod build;
pub mod condition;
pub mod diagnostic;
pub mod evaluate;
pub mod generate;
pub mod json;
pub mod operator;
pub mod policy;
pub mod principal;
pub mod request;
pub mod span;
pub mod special;
pub mod suggest;
pub mod template;
pub mod validate;
pub mod values;
pub mod wildcard;

pub use diagnostic::{Diagnostic, Severity};
pub use evaluate::{
    Decider, Decision, Element, Explanation, ImplicitReason, Note, Outcome, PolicyRef, PolicySet, StatementOutcome,
};
pub use operator::ConditionOperator;
pub use policy::{Effect, Policy, PolicyError, PolicyKind, Statement, Version};
pub use principal::Strength;
pub use request::{Caller, Context, ContextValue, Request, ResourceKind};
pub use span::{LineCol, LineIndex, Span};
pub use special::{SpecialAction, RCP_SERVICES};
