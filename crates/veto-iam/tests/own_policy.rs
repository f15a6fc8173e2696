//! The README's example: a property test over your own bucket policy in a few
//! lines, with requests biased to the policy's own literals.
#![cfg(feature = "proptest")]
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use proptest::prelude::*;
use veto_iam::generate::strategies::requests_for;
use veto_iam::{Decision, Policy, PolicySet};

fn bucket() -> PolicySet {
    let policy = Policy::parse(include_str!("../../../examples/seed-bucket-policy.json")).unwrap();
    PolicySet {
        resource: Some(policy),
        ..PolicySet::default()
    }
}

proptest! {
    /// Nothing about the seed policy ever allows an object upload over plain HTTP.
    #[test]
    fn no_upload_over_http(request in requests_for(&bucket())) {
        let http = request.context().single("aws:SecureTransport") == Some("false");
        let object = request.resource().starts_with("arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/");
        if http && object && request.action().eq_ignore_ascii_case("s3:PutObject") {
            prop_assert_eq!(bucket().evaluate(&request), Decision::ExplicitDeny);
        }
    }
}
