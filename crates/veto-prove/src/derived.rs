//! Context keys that are functions of the principal (or of the resource's
//! account). AWS fills them in from who is calling, so a request carrying
//! `aws:PrincipalOrgID` from an anonymous caller, or `aws:PrincipalAccount`
//! naming another account than the caller's, is one AWS never sends. The prover
//! searches only requests AWS could send: for each candidate caller these keys
//! are fixed, absent, or free among their classes, by the table below.
//!
//! | key | anonymous | IAM principal (root, user, role session, federated user) | service principal |
//! |---|---|---|---|
//! | `aws:PrincipalArn` | absent | its ARN (a session's: its role's ARN) | absent |
//! | `aws:PrincipalAccount`, `kms:CallerAccount` | absent | its account | absent |
//! | `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths` | absent | free: an org a policy names, another org, or none (absent) | absent |
//! | `aws:PrincipalTag/*` | absent | free (absent for root) | absent |
//! | `aws:PrincipalType` | `Anonymous` | `Account`, `User`, `AssumedRole`, `FederatedUser` | absent |
//! | `aws:userid` | absent | root: the account; others: free, present | absent |
//! | `aws:username` | absent | IAM users: the user's name; others absent | absent |
//! | `aws:PrincipalIsAWSService` | absent | `false` | `true` |
//! | `aws:PrincipalServiceName`, `aws:PrincipalServiceNamesList` | absent | absent | the service's name |
//! | `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceOrgID`, `aws:SourceOrgPaths`, `aws:SourceOwner` | absent | absent | free (absent too) |
//! | `aws:ResourceAccount` | the resource's account | the resource's account | the resource's account |
//! | `aws:ResourceOrgID`, `aws:ResourceOrgPaths` | free (absent too) | same | same |
//!
//! Every other key is free: any class of values, or absent.

use veto_iam::{Caller, ContextValue};

/// How a key's value follows from the caller and the resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Derivation {
    /// The key has exactly this value (`None`: it is absent).
    Fixed(Option<ContextValue>),
    /// Any of the key's classes; `may_be_absent` says whether absence is one.
    Free {
        /// Whether absence is one of the key's classes.
        may_be_absent: bool,
    },
}

/// Keys that only a caller of the account (or org) they name can carry; fixed
/// values of them keep a resource from being public (Access Analyzer, S3's
/// "meaning of public").
pub(crate) const RESTRICTING: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourcevpce",
    "aws:sourcevpc",
    "aws:sourcearn",
    "aws:sourceaccount",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourceowner",
    "kms:calleraccount",
    "aws:userid",
];

const ABSENT: Derivation = Derivation::Fixed(None);

fn single(v: impl Into<String>) -> Derivation {
    Derivation::Fixed(Some(ContextValue::Single(v.into())))
}

/// The `aws:PrincipalArn` of an IAM principal: a session's is its role's ARN.
pub(crate) fn principal_arn(caller: &Caller) -> Option<String> {
    Some(match caller {
        Caller::Root { partition, account } => format!("arn:{partition}:iam::{account}:root"),
        Caller::User { arn, .. } | Caller::Role { arn, .. } | Caller::FederatedUser { arn, .. } => arn.clone(),
        Caller::RoleSession {
            partition,
            account,
            role,
            ..
        } => format!("arn:{partition}:iam::{account}:role/{role}"),
        Caller::Anonymous | Caller::Service(_) => return None,
    })
}

/// How `key_lower` follows from `caller` and `resource_account`; `None` for a
/// key that is not derived (free, absent allowed).
pub fn derivation(key_lower: &str, caller: &Caller, resource_account: Option<&str>) -> Option<Derivation> {
    let iam = caller.is_iam_principal();
    let service = match caller {
        Caller::Service(s) => Some(s.as_str()),
        _ => None,
    };
    let free = |present: bool, may_be_absent: bool| {
        if present {
            Derivation::Free { may_be_absent }
        } else {
            ABSENT
        }
    };
    Some(match key_lower {
        "aws:principalarn" => principal_arn(caller).map_or(ABSENT, single),
        "aws:principalaccount" | "kms:calleraccount" => caller.account().map_or(ABSENT, single),
        "aws:principalorgid" | "aws:principalorgpaths" => free(iam, true),
        k if k.starts_with("aws:principaltag/") => free(iam && !matches!(caller, Caller::Root { .. }), true),
        "aws:principaltype" => match caller {
            Caller::Root { .. } => single("Account"),
            Caller::User { .. } => single("User"),
            Caller::Role { .. } | Caller::RoleSession { .. } => single("AssumedRole"),
            Caller::FederatedUser { .. } => single("FederatedUser"),
            // The one key AWS documents for unsigned requests.
            Caller::Anonymous => single("Anonymous"),
            Caller::Service(_) => ABSENT,
        },
        "aws:userid" => match caller {
            Caller::Root { account, .. } => single(account.clone()),
            c if c.is_iam_principal() => Derivation::Free { may_be_absent: false },
            _ => ABSENT,
        },
        "aws:username" => match caller {
            Caller::User { arn, .. } => single(arn.rsplit('/').next().unwrap_or(arn)),
            _ => ABSENT,
        },
        "aws:principalisawsservice" => match (iam, service) {
            (_, Some(_)) => single("true"),
            (true, None) => single("false"),
            (false, None) => ABSENT,
        },
        "aws:principalservicename" => service.map_or(ABSENT, single),
        "aws:principalservicenameslist" => Derivation::Fixed(service.map(|s| ContextValue::Multi(vec![s.to_string()]))),
        "aws:sourceaccount" | "aws:sourcearn" | "aws:sourceorgid" | "aws:sourceorgpaths" | "aws:sourceowner" => {
            free(service.is_some(), true)
        }
        "aws:resourceaccount" => resource_account.map_or(ABSENT, single),
        "aws:resourceorgid" | "aws:resourceorgpaths" => Derivation::Free { may_be_absent: true },
        _ => return None,
    })
}

/// Does `value` for `key_lower` contradict `caller`? (The law every returned
/// request obeys.) Free keys only need to be present or absent as the table says.
pub fn contradicts(
    key_lower: &str,
    value: Option<&ContextValue>,
    caller: &Caller,
    resource_account: Option<&str>,
) -> bool {
    match derivation(key_lower, caller, resource_account) {
        None => false,
        Some(Derivation::Fixed(v)) => v.as_ref() != value,
        Some(Derivation::Free { may_be_absent }) => value.is_none() && !may_be_absent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_carries_no_principal_key() {
        for key in [
            "aws:principalarn",
            "aws:principalorgid",
            "aws:principalaccount",
            "aws:userid",
            "kms:calleraccount",
        ] {
            assert_eq!(derivation(key, &Caller::Anonymous, None), Some(ABSENT), "{key}");
        }
    }

    #[test]
    fn session_arn_is_the_role() {
        let c = Caller::parse("arn:aws-cn:sts::111122223333:assumed-role/R/s").unwrap();
        assert_eq!(principal_arn(&c).unwrap(), "arn:aws-cn:iam::111122223333:role/R");
        assert_eq!(
            derivation(
                "aws:username",
                &Caller::parse("arn:aws:iam::111122223333:user/p/alice").unwrap(),
                None
            ),
            Some(single("alice"))
        );
    }
}
