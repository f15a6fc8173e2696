//! The veto engine: loads policies, CloudFormation templates and Terraform plans,
//! binds each rule to its targets, and runs structure checks and proofs.

pub(crate) mod binding;
pub mod cfn;
pub mod cli_output;
pub mod doc;
pub mod explain;
pub mod finding;
pub mod input;
pub mod limits;
pub mod lint;
pub mod lower;
pub mod policy_doc;
pub(crate) mod require;
pub mod ruleset;
pub mod run;
pub mod suite;
pub mod targets;
pub mod terraform;
pub mod wording;

/// A problem loading an input: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub pos: doc::Pos,
    pub message: String,
}

impl Problem {
    pub fn new(pos: doc::Pos, message: impl Into<String>) -> Self {
        Problem {
            pos,
            message: message.into(),
        }
    }
}
