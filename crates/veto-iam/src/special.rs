//! Actions and services AWS evaluates by rules of their own (spec §4.2, §4.5):
//! the services resource control policies apply to, the action that needs no
//! permission, and the actions that need a role's trust policy.
//!
//! Kept as data in one place so that the evaluator, the prover and the docs read
//! the same list. Every name here is an ASCII lower-case service prefix or action
//! name, as [`crate::Request::action_parts_lower`] gives them.

/// A service RCPs apply to, and when AWS added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RcpService {
    /// The IAM service prefix, lower case.
    pub prefix: &'static str,
    /// Year and month AWS announced RCP support for it.
    pub since: &'static str,
}

/// The services RCPs apply to (spec §4.2, as of 2026-02). A request to any other
/// service ignores RCPs entirely: an RCP `Deny` of `*` does not deny
/// `ec2:StartInstances`. The list grows; add a service here with its date.
pub const RCP_SERVICES: &[RcpService] = &[
    RcpService {
        prefix: "s3",
        since: "2024-11",
    },
    RcpService {
        prefix: "sts",
        since: "2024-11",
    },
    RcpService {
        prefix: "kms",
        since: "2024-11",
    },
    RcpService {
        prefix: "sqs",
        since: "2024-11",
    },
    RcpService {
        prefix: "secretsmanager",
        since: "2024-11",
    },
    RcpService {
        prefix: "ecr",
        since: "2025-06",
    },
    RcpService {
        prefix: "aoss",
        since: "2025-06",
    },
    RcpService {
        prefix: "cognito-idp",
        since: "2026-01",
    },
    RcpService {
        prefix: "logs",
        since: "2026-01",
    },
    RcpService {
        prefix: "dynamodb",
        since: "2026-02",
    },
];

/// Do RCPs apply to requests to this service (lower-case prefix)?
#[inline]
pub fn rcps_apply(service_lower: &str) -> bool {
    RCP_SERVICES.iter().any(|s| s.prefix == service_lower)
}

/// How the evaluator treats an action, beyond matching it against policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecialAction {
    /// `sts:GetCallerIdentity`: every authenticated caller may call it, and no
    /// policy can deny it (STS API reference; spec §4.5).
    NoPermissionNeeded,
    /// `sts:AssumeRole*`, `sts:TagSession`, `sts:SetSourceIdentity`: on a role,
    /// the role's trust policy must allow them too (spec §4.3, §4.5).
    NeedsTrustPolicy,
    /// Everything else.
    Ordinary,
}

/// The special treatment of an action, from its lower-case service prefix and name.
#[inline]
pub fn special_action(service_lower: &str, name_lower: &str) -> SpecialAction {
    if service_lower != "sts" {
        return SpecialAction::Ordinary;
    }
    match name_lower {
        "getcalleridentity" => SpecialAction::NoPermissionNeeded,
        "tagsession" | "setsourceidentity" => SpecialAction::NeedsTrustPolicy,
        n if n.starts_with("assumerole") => SpecialAction::NeedsTrustPolicy,
        _ => SpecialAction::Ordinary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rcp_services_are_lower_case_and_unique() {
        for (i, s) in RCP_SERVICES.iter().enumerate() {
            assert_eq!(s.prefix, s.prefix.to_ascii_lowercase());
            assert!(
                RCP_SERVICES[..i].iter().all(|t| t.prefix != s.prefix),
                "{} twice",
                s.prefix
            );
        }
        assert!(rcps_apply("s3") && rcps_apply("dynamodb"));
        assert!(!rcps_apply("ec2") && !rcps_apply("iam"));
    }

    #[test]
    fn special_actions() {
        assert_eq!(
            special_action("sts", "getcalleridentity"),
            SpecialAction::NoPermissionNeeded
        );
        for name in [
            "assumerole",
            "assumerolewithsaml",
            "assumerolewithwebidentity",
            "tagsession",
            "setsourceidentity",
        ] {
            assert_eq!(special_action("sts", name), SpecialAction::NeedsTrustPolicy, "{name}");
        }
        assert_eq!(special_action("sts", "getsessiontoken"), SpecialAction::Ordinary);
        assert_eq!(special_action("iam", "tagsession"), SpecialAction::Ordinary);
    }
}
