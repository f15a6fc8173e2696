//! Findings in the user's words: a counterexample request, a path a rule reads,
//! the target a finding is about.

use crate::targets::Target;
use veto_iam::Request;
use veto_lang::ast::{self, PathSegment};

/// "s3:ListBucket on arn:aws:s3:::b by anonymous with aws:SecureTransport=false"
pub fn words(r: &Request) -> String {
    format!(
        "{} on {} by {}{}",
        r.action(),
        r.resource(),
        r.caller().to_text(),
        context_words(r)
    )
}

/// " with aws:SecureTransport=false, …" (empty without context). The two time keys
/// the prover always sets are left out: no rule of the pack reads them, and a
/// reader would take them for part of the problem.
pub(crate) fn context_words(r: &Request) -> String {
    use veto_iam::ContextValue;
    let context: Vec<String> = r
        .context()
        .iter()
        .filter(|(k, _)| !k.eq_ignore_ascii_case("aws:CurrentTime") && !k.eq_ignore_ascii_case("aws:EpochTime"))
        .map(|(k, v)| match v {
            ContextValue::Single(s) => format!("{k}={s}"),
            ContextValue::Multi(items) => format!("{k}=[{}]", items.join(", ")),
        })
        .collect();
    if context.is_empty() {
        String::new()
    } else {
        format!(" with {}", context.join(", "))
    }
}

/// A path a rule reads, in the user's words: `Properties.` and the binding go,
/// derived fields say what they stand for.
pub(crate) fn field_words(p: &ast::Path) -> String {
    let fields: Vec<String> = p
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Field(f) => f.clone(),
            PathSegment::Index(i) => format!("[{i}]"),
        })
        .collect();
    let joined = |parts: &[String]| parts.join(".").replace(".[", "[");
    match fields.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["artifact_bucket"] => "the artifact bucket (`ArtifactStore.Location`)".into(),
        ["artifact_bucket", "policy", ..] => "a bucket policy for the artifact bucket".into(),
        ["artifact_bucket", "name"] => "the artifact bucket's name".into(),
        ["artifact_key"] => "`ArtifactStore.EncryptionKey`".into(),
        ["cross_account"] => "an action role in another account".into(),
        ["Properties", rest @ ..] if !rest.is_empty() => format!("`{}`", joined(&fields[1..])),
        _ => format!("`{}`", joined(&fields)),
    }
}

/// "pipeline `Pipeline`", "key `ArtifactKey`".
pub(crate) fn target_words(target: &Target) -> String {
    let kind = match target {
        Target::BucketPolicy { .. } | Target::UndecidedPolicy { .. } | Target::BranchedPolicy { .. } => {
            "the bucket policy of"
        }
        Target::Policy { .. } => return "the policy".into(),
        Target::Resource { .. } => "resource",
        Target::Pipeline { .. } => "pipeline",
        Target::KmsKey { .. } => "key",
    };
    format!("{kind} `{}`", target.name())
}
