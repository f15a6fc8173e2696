//! veto against `cedar-policy` on the seed policy: the same six requests through
//! veto's evaluator and through Cedar's authorizer on the closest Cedar policy.
//! The two must agree on every request before either is timed.
//!
//! Run: `cargo bench --manifest-path benches/cedar-compare/Cargo.toml`

use std::str::FromStr;
use veto_iam::{Context, ContextValue, Policy, PolicySet, Request};

fn main() {
    divan::main();
}

const BUCKET: &str = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE";
const ROLE: &str = "arn:aws:sts::111122223333:assumed-role/CodePipelineRole/build";

fn seed_set() -> PolicySet {
    let seed = include_str!("../data/seed-bucket-policy.json");
    let role = include_str!("../data/pipeline-role-policy.json");
    PolicySet {
        resource: Some(Policy::parse(seed).unwrap()),
        identity: vec![Policy::parse(role).unwrap()],
        ..PolicySet::default()
    }
}

/// (action, key, secure transport, SSE header)
const SEED_REQUESTS: &[(&str, &str, bool, Option<&str>)] = &[
    ("s3:PutObject", "/app.zip", true, Some("aws:kms")),
    ("s3:PutObject", "/app.zip", true, None),
    ("s3:PutObject", "/app.zip", true, Some("AES256")),
    ("s3:GetObject", "/app.zip", false, None),
    ("s3:GetObject", "/app.zip", true, None),
    ("s3:ListBucket", "", false, None),
];

fn seed_requests() -> Vec<Request> {
    SEED_REQUESTS
        .iter()
        .map(|(action, key, tls, sse)| {
            let mut ctx = Context::new().with("aws:SecureTransport", ContextValue::Single(tls.to_string()));
            if let Some(sse) = sse {
                ctx = ctx.with("s3:x-amz-server-side-encryption", ContextValue::Single(sse.to_string()));
            }
            Request::new(ROLE, action, &format!("{BUCKET}{key}"), None, ctx).unwrap()
        })
        .collect()
}

/// ns per decision on the seed policy: each iteration decides all six requests.
#[divan::bench]
fn seed_policy_six_decisions(bencher: divan::Bencher) {
    let set = seed_set();
    let requests = seed_requests();
    bencher
        .counter(divan::counter::ItemsCount::new(requests.len()))
        .bench(|| {
            for r in &requests {
                divan::black_box(set.evaluate(divan::black_box(r)));
            }
        });
}

/// The seed policy in Cedar, as close as Cedar can say it: action and resource
/// patterns as `like` over context strings, the header as an optional attribute.
const CEDAR_SEED: &str = r#"
forbid(principal, action, resource) when {
    context.action like "s3:PutObject" &&
    context.resource like "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/*" &&
    !(context has sse && context.sse == "aws:kms")
};
forbid(principal, action, resource) when {
    context.action like "s3:*" &&
    context.resource like "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/*" &&
    context.secure_transport == false
};
permit(principal, action, resource) when {
    ["s3:GetObject", "s3:PutObject", "s3:ListBucket"].contains(context.action) &&
    (context.resource == "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE" ||
     context.resource like "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/*")
};
"#;

/// The same six seed requests through Cedar's authorizer.
#[divan::bench]
fn cedar_seed_policy_six_decisions(bencher: divan::Bencher) {
    use cedar_policy::{
        Authorizer, Context as CedarContext, Entities, EntityUid, PolicySet as CedarPolicies, Request as CedarRequest,
    };
    let policies = CedarPolicies::from_str(CEDAR_SEED).unwrap();
    let authorizer = Authorizer::new();
    let entities = Entities::empty();
    let principal = EntityUid::from_str(r#"Role::"CodePipelineRole""#).unwrap();
    let requests: Vec<CedarRequest> = SEED_REQUESTS
        .iter()
        .map(|(action, key, tls, sse)| {
            let mut ctx =
                serde_json::json!({"action": action, "resource": format!("{BUCKET}{key}"), "secure_transport": tls});
            if let Some(sse) = sse {
                ctx["sse"] = serde_json::json!(sse);
            }
            let action_uid = EntityUid::from_str(&format!(r#"Action::"{action}""#)).unwrap();
            let resource = EntityUid::from_str(&format!(r#"Object::"{BUCKET}{key}""#)).unwrap();
            CedarRequest::new(
                principal.clone(),
                action_uid,
                resource,
                CedarContext::from_json_value(ctx, None).unwrap(),
                None,
            )
            .unwrap()
        })
        .collect();
    // The two engines must agree before their speed is compared.
    let veto_set = seed_set();
    for (r, v) in requests.iter().zip(seed_requests()) {
        let cedar_allows =
            authorizer.is_authorized(r, &policies, &entities).decision() == cedar_policy::Decision::Allow;
        assert_eq!(cedar_allows, veto_set.evaluate(&v) == veto_iam::Decision::Allow);
    }
    bencher
        .counter(divan::counter::ItemsCount::new(requests.len()))
        .bench(|| {
            for r in &requests {
                divan::black_box(authorizer.is_authorized(divan::black_box(r), &policies, &entities));
            }
        });
}

