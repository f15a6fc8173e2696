//! What rules apply to: bucket policies, policies, CloudFormation resources,
//! pipelines and KMS keys, each with the document tree a `require` reads.

use crate::doc::{Node, Pos};
use veto_iam::Policy;
pub use veto_lang::ast::TargetKind;

/// The account a template's own resources live in (`AWS::AccountId`): a fixed
/// stand-in, the same everywhere in one template.
pub const TEMPLATE_ACCOUNT: &str = "000000000000";

#[derive(Debug, Clone)]
pub enum Target {
    /// An S3 bucket policy and the bucket it protects.
    BucketPolicy {
        /// `arn:aws:s3:::NAME`
        bucket_arn: String,
        policy: Policy,
        /// The policy document's tree and position.
        node: Node,
    },
    /// A bucket policy whose document depends on values the template does not
    /// fix: bucket-policy rules report that they could not be decided.
    UndecidedPolicy {
        bucket_arn: String,
        reason: String,
        node: Node,
    },
    /// A bucket policy whose statements depend on conditions the template does
    /// not decide (`Fn::If`): one policy per assignment of those conditions.
    /// A rule fails when it fails on every branch, and is undecided when the
    /// branches disagree.
    BranchedPolicy {
        bucket_arn: String,
        /// `("IsProd=true", policy)`, one per assignment.
        branches: Vec<(String, Policy)>,
        node: Node,
    },
    /// Any IAM policy.
    Policy { policy: Policy, node: Node },
    /// A CloudFormation resource (Terraform resources are mapped to their
    /// CloudFormation type and property names).
    Resource {
        type_name: String,
        logical_id: String,
        node: Node,
    },
    /// A CodePipeline pipeline, with derived fields `artifact_bucket` (with
    /// `policy` when a bucket policy protects it), `artifact_key` and `cross_account`.
    Pipeline { logical_id: String, node: Node },
    /// A KMS key used for S3 or artifact encryption, with the derived `symmetric`.
    KmsKey { logical_id: String, node: Node },
}

impl Target {
    /// The kind a rule's `applies` names to reach this target.
    pub fn kind(&self) -> TargetKind {
        match self {
            Target::BucketPolicy { .. } | Target::UndecidedPolicy { .. } | Target::BranchedPolicy { .. } => {
                TargetKind::BucketPolicy
            }
            Target::Policy { .. } => TargetKind::Policy,
            Target::Resource { .. } => TargetKind::Resource,
            Target::Pipeline { .. } => TargetKind::Pipeline,
            Target::KmsKey { .. } => TargetKind::KmsKey,
        }
    }

    pub fn node(&self) -> &Node {
        match self {
            Target::BucketPolicy { node, .. }
            | Target::UndecidedPolicy { node, .. }
            | Target::BranchedPolicy { node, .. }
            | Target::Policy { node, .. }
            | Target::Resource { node, .. }
            | Target::Pipeline { node, .. }
            | Target::KmsKey { node, .. } => node,
        }
    }

    pub fn pos(&self) -> Pos {
        self.node().pos
    }

    /// A short name for messages: the bucket, or the logical ID.
    pub fn name(&self) -> String {
        match self {
            Target::BucketPolicy { bucket_arn, .. }
            | Target::UndecidedPolicy { bucket_arn, .. }
            | Target::BranchedPolicy { bucket_arn, .. } => bucket_arn.clone(),
            Target::Policy { .. } => "the policy".into(),
            Target::Resource { logical_id, .. }
            | Target::Pipeline { logical_id, .. }
            | Target::KmsKey { logical_id, .. } => logical_id.clone(),
        }
    }
}
