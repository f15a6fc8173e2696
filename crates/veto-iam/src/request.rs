//! The request being authorised: caller, action, resource, accounts and context.
//!
//! Everything is parsed and normalised when the request is built, so evaluation only
//! compares.

use std::collections::HashMap;

/// A context key's value. Multi-valuedness belongs to the key; in veto's interface a
/// JSON array marks a multi-valued key and anything else a single-valued one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContextValue {
    /// A single-valued key's value.
    Single(String),
    /// A multi-valued key's values (spec §3.9), possibly empty.
    Multi(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ContextEntry {
    key: String,
    /// `key` in ASCII lower case, for look-ups without case folding.
    key_lower: String,
    value: ContextValue,
}

/// The request context. Key look-up ignores ASCII case, as IAM's does.
#[derive(Debug, Clone, Default)]
pub struct Context {
    entries: Vec<ContextEntry>,
    /// Each lower-case key's position in `entries`, once there are more than
    /// [`INDEX_FROM`] keys: a small context is scanned (faster than hashing), a big
    /// one must not make insertion quadratic (100,000 keys).
    index: HashMap<String, usize>,
}

/// How many keys a context holds before it is indexed.
const INDEX_FROM: usize = 16;

impl PartialEq for Context {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Eq for Context {}

/// A context key given twice (key names ignore case, spec §2.5); holds the second spelling.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("context key `{0}` is given twice (key names ignore case)")]
pub struct DuplicateContextKey(pub String);

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// Adds a key; a key equal to one already present (ignoring case) is an error.
    pub fn insert(&mut self, key: impl Into<String>, value: ContextValue) -> Result<(), DuplicateContextKey> {
        let key = key.into();
        let key_lower = key.to_ascii_lowercase();
        if self.position(&key_lower).is_some() {
            return Err(DuplicateContextKey(key));
        }
        self.push(ContextEntry { key, key_lower, value });
        Ok(())
    }

    /// Builder form of [`Context::insert`] that replaces an existing key.
    pub fn with(mut self, key: impl Into<String>, value: ContextValue) -> Self {
        let key = key.into();
        let key_lower = key.to_ascii_lowercase();
        match self.position(&key_lower) {
            Some(i) => self.entries[i] = ContextEntry { key, key_lower, value },
            None => self.push(ContextEntry { key, key_lower, value }),
        }
        self
    }

    fn push(&mut self, entry: ContextEntry) {
        if !self.index.is_empty() {
            self.index.insert(entry.key_lower.clone(), self.entries.len());
        }
        self.entries.push(entry);
        if self.entries.len() == INDEX_FROM + 1 {
            self.index = self
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| (e.key_lower.clone(), i))
                .collect();
        }
    }

    fn position(&self, key_lower: &str) -> Option<usize> {
        if self.index.is_empty() {
            self.entries
                .iter()
                .position(|e| crate::wildcard::bytes_eq(e.key_lower.as_bytes(), key_lower.as_bytes()))
        } else {
            self.index.get(key_lower).copied()
        }
    }

    /// The value of a key, ignoring ASCII case; `None` when the key is absent.
    pub fn get(&self, key: &str) -> Option<&ContextValue> {
        if self.index.is_empty() {
            self.entries
                .iter()
                .find(|e| e.key.eq_ignore_ascii_case(key))
                .map(|e| &e.value)
        } else {
            self.get_lower(&key.to_ascii_lowercase())
        }
    }

    /// Look-up by a key already in ASCII lower case (the evaluator's keys are).
    #[inline]
    pub fn get_lower(&self, key_lower: &str) -> Option<&ContextValue> {
        self.position(key_lower).map(|i| &self.entries[i].value)
    }

    /// The value of a single-valued key, looked up by its lower-case name.
    pub fn single_lower(&self, key_lower: &str) -> Option<&str> {
        match self.get_lower(key_lower)? {
            ContextValue::Single(v) => Some(v),
            ContextValue::Multi(_) => None,
        }
    }

    /// The value of a single-valued key.
    pub fn single(&self, key: &str) -> Option<&str> {
        match self.get(key)? {
            ContextValue::Single(v) => Some(v),
            ContextValue::Multi(_) => None,
        }
    }

    /// The keys, as given, with their values, in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ContextValue)> {
        self.entries.iter().map(|e| (e.key.as_str(), &e.value))
    }

    /// How many keys the context holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the context holds no key.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// An IAM or STS principal ARN, split into the parts matching needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrincipalArn<'a> {
    /// The ARN's partition (`aws`, `aws-cn`, …).
    pub partition: &'a str,
    /// The 12-digit account ID.
    pub account: &'a str,
    /// Which kind of principal the ARN names.
    pub kind: PrincipalArnKind<'a>,
}

/// The kinds of principal ARN veto recognises (spec §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrincipalArnKind<'a> {
    /// `arn:P:iam::A:root`
    Root,
    /// `arn:P:iam::A:user/path/name`
    User,
    /// `arn:P:iam::A:role/path/name`; `name` is the last path component.
    Role {
        /// The role's name (the last path component).
        name: &'a str,
    },
    /// `arn:P:sts::A:assumed-role/role/session`
    RoleSession {
        /// The role's name, as written in the session ARN.
        role: &'a str,
    },
    /// `arn:P:sts::A:federated-user/name`
    FederatedUser,
}

pub use veto_source::is_account_id;

impl<'a> PrincipalArn<'a> {
    /// Parses the ARN forms a principal can take; anything else is `None`.
    pub fn parse(text: &'a str) -> Option<PrincipalArn<'a>> {
        let mut f = text.strip_prefix("arn:")?.splitn(5, ':');
        let (partition, service, _region, account, resource) = (f.next()?, f.next()?, f.next()?, f.next()?, f.next()?);
        if partition.is_empty() || !is_account_id(account) {
            return None;
        }
        let kind = match (service, resource.split_once('/')) {
            ("iam", None) if resource == "root" => PrincipalArnKind::Root,
            ("iam", Some(("user", path))) if !path.is_empty() => PrincipalArnKind::User,
            ("iam", Some(("role", path))) if !path.is_empty() && !path.ends_with('/') => PrincipalArnKind::Role {
                name: path.rsplit('/').next().unwrap_or(path),
            },
            ("sts", Some(("assumed-role", rest))) => match rest.split_once('/') {
                Some((role, session)) if !role.is_empty() && !session.is_empty() && !session.contains('/') => {
                    PrincipalArnKind::RoleSession { role }
                }
                _ => return None,
            },
            ("sts", Some(("federated-user", name))) if !name.is_empty() => PrincipalArnKind::FederatedUser,
            _ => return None,
        };
        Some(PrincipalArn {
            partition,
            account,
            kind,
        })
    }
}

/// Who makes the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// An unauthenticated caller (`"anonymous"` or `"*"`).
    Anonymous,
    /// An account's root user.
    Root {
        /// The ARN's partition.
        partition: String,
        /// The account ID.
        account: String,
    },
    /// An IAM user, `arn:aws:iam::A:user/path/Name`.
    User {
        /// The ARN's partition.
        partition: String,
        /// The user's account.
        account: String,
        /// The user's ARN.
        arn: String,
    },
    /// A bare role ARN: shorthand for a session of that role.
    Role {
        /// The ARN's partition.
        partition: String,
        /// The role's account.
        account: String,
        /// The role's name (the last path component).
        name: String,
        /// The role's ARN.
        arn: String,
    },
    /// `arn:aws:sts::A:assumed-role/Role/Session`.
    RoleSession {
        /// The ARN's partition.
        partition: String,
        /// The session's account.
        account: String,
        /// The role's name, as written in the session ARN.
        role: String,
        /// The session's ARN.
        arn: String,
    },
    /// `arn:aws:sts::A:federated-user/Name`.
    FederatedUser {
        /// The ARN's partition.
        partition: String,
        /// The federated user's account.
        account: String,
        /// The federated user's ARN.
        arn: String,
    },
    /// `codepipeline.amazonaws.com` and the like.
    Service(String),
}

/// A principal text veto cannot read as a caller; holds the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unrecognised principal `{0}`: expected \"anonymous\", an account ID, an IAM user, role or root ARN, an STS assumed-role or federated-user ARN, or a service principal such as \"s3.amazonaws.com\"")]
pub struct BadCaller(pub String);

impl Caller {
    /// Reads `anonymous`/`*`, an account ID, an IAM or STS principal ARN, or a service principal.
    pub fn parse(text: &str) -> Result<Caller, BadCaller> {
        let bad = || BadCaller(text.to_string());
        if text == "anonymous" || text == "*" {
            return Ok(Caller::Anonymous);
        }
        if is_account_id(text) {
            return Ok(Caller::Root {
                partition: "aws".into(),
                account: text.into(),
            });
        }
        if text.starts_with("arn:") {
            let arn = PrincipalArn::parse(text).ok_or_else(bad)?;
            let (partition, account, arn_text) = (arn.partition.to_string(), arn.account.to_string(), text.to_string());
            return Ok(match arn.kind {
                PrincipalArnKind::Root => Caller::Root { partition, account },
                PrincipalArnKind::User => Caller::User {
                    partition,
                    account,
                    arn: arn_text,
                },
                PrincipalArnKind::Role { name } => Caller::Role {
                    partition,
                    account,
                    name: name.to_string(),
                    arn: arn_text,
                },
                PrincipalArnKind::RoleSession { role } => Caller::RoleSession {
                    partition,
                    account,
                    role: role.to_string(),
                    arn: arn_text,
                },
                PrincipalArnKind::FederatedUser => Caller::FederatedUser {
                    partition,
                    account,
                    arn: arn_text,
                },
            });
        }
        let is_service = !text.is_empty()
            && text.contains('.')
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        if is_service {
            return Ok(Caller::Service(text.to_string()));
        }
        Err(bad())
    }

    /// The account of an authenticated IAM principal.
    pub fn account(&self) -> Option<&str> {
        match self {
            Caller::Root { account, .. }
            | Caller::User { account, .. }
            | Caller::Role { account, .. }
            | Caller::RoleSession { account, .. }
            | Caller::FederatedUser { account, .. } => Some(account),
            Caller::Anonymous | Caller::Service(_) => None,
        }
    }

    /// The caller's partition; `None` for anonymous callers and service principals.
    pub fn partition(&self) -> Option<&str> {
        match self {
            Caller::Root { partition, .. }
            | Caller::User { partition, .. }
            | Caller::Role { partition, .. }
            | Caller::RoleSession { partition, .. }
            | Caller::FederatedUser { partition, .. } => Some(partition),
            Caller::Anonymous | Caller::Service(_) => None,
        }
    }

    /// IAM principals carry identity policies, boundaries, session policies and SCPs;
    /// anonymous callers and service principals carry none.
    pub fn is_iam_principal(&self) -> bool {
        self.account().is_some()
    }

    /// The caller's own text, as given.
    pub fn to_text(&self) -> String {
        match self {
            Caller::Anonymous => "anonymous".into(),
            Caller::Root { partition, account } => format!("arn:{partition}:iam::{account}:root"),
            Caller::User { arn, .. }
            | Caller::Role { arn, .. }
            | Caller::RoleSession { arn, .. }
            | Caller::FederatedUser { arn, .. } => arn.clone(),
            Caller::Service(s) => s.clone(),
        }
    }
}

/// What kind of resource a request names, where evaluation treats it specially.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// A KMS key (`arn:aws:kms:R:A:key/ID`): its key policy must allow.
    KmsKey,
    /// An IAM role named by `sts:AssumeRole*`, `sts:TagSession` or
    /// `sts:SetSourceIdentity` ([`crate::special`]): its trust policy must allow.
    RoleToAssume,
    /// Any other resource (or `*`): no special rule applies.
    Other,
}

/// One request, ready to evaluate. Built once; evaluation only reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    caller: Caller,
    /// `service:Name` as given; matching ignores case.
    action: String,
    /// `action` in ASCII lower case, which action patterns are compiled to.
    action_lower: String,
    /// Byte index of the colon in `action`.
    action_colon: usize,
    /// An ARN, or `*` for actions without a resource type.
    resource: String,
    resource_kind: ResourceKind,
    /// The account that owns the resource: as given, else the ARN's account field,
    /// else the caller's.
    resource_account: Option<String>,
    resource_account_given: bool,
    context: Context,
}

/// Why a request could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadRequest {
    /// The principal is not a recognised caller.
    #[error(transparent)]
    Caller(#[from] BadCaller),
    /// The action is not `service:Name`.
    #[error("action `{0}` is not `service:Name`")]
    Action(String),
    /// The resource is neither `*` nor an ARN.
    #[error("resource `{0}` is neither `*` nor an ARN `arn:partition:service:region:account:resource`")]
    Resource(String),
    /// The resource account is not a 12-digit account ID.
    #[error("resource_account `{0}` is not a 12-digit account ID")]
    ResourceAccount(String),
}

impl Request {
    /// Builds a request, checking and normalising every part (spec §0); `resource_account` defaults to the resource ARN's account, else the caller's.
    pub fn new(
        principal: &str,
        action: &str,
        resource: &str,
        resource_account: Option<&str>,
        context: Context,
    ) -> Result<Request, BadRequest> {
        let caller = Caller::parse(principal)?;
        let action_colon = match action.split_once(':') {
            Some((service, name)) if !service.is_empty() && !name.is_empty() && !name.contains(':') => service.len(),
            _ => return Err(BadRequest::Action(action.to_string())),
        };
        if resource != "*" && !(resource.starts_with("arn:") && resource.matches(':').count() >= 5) {
            return Err(BadRequest::Resource(resource.to_string()));
        }
        if let Some(account) = resource_account {
            if !is_account_id(account) {
                return Err(BadRequest::ResourceAccount(account.to_string()));
            }
        }
        let fields: Vec<&str> = resource.splitn(6, ':').collect();
        let resource_kind = match fields.as_slice() {
            ["arn", _, "kms", _, _, r] if r.starts_with("key/") => ResourceKind::KmsKey,
            ["arn", _, "iam", _, _, r]
                if r.starts_with("role/")
                    && crate::special::special_action(
                        &action[..action_colon].to_ascii_lowercase(),
                        &action[action_colon + 1..].to_ascii_lowercase(),
                    ) == crate::special::SpecialAction::NeedsTrustPolicy =>
            {
                ResourceKind::RoleToAssume
            }
            _ => ResourceKind::Other,
        };
        let from_arn = fields.get(4).filter(|a| !a.is_empty()).map(|a| a.to_string());
        let owner = resource_account
            .map(str::to_string)
            .or(from_arn)
            .or_else(|| caller.account().map(str::to_string));
        Ok(Request {
            caller,
            action: action.to_string(),
            action_lower: action.to_ascii_lowercase(),
            action_colon,
            resource: resource.to_string(),
            resource_kind,
            resource_account: owner,
            resource_account_given: resource_account.is_some(),
            context,
        })
    }

    /// Who makes the request.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// The action, `service:Name`, as given.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The action in lower case, split at its colon: service prefix and name.
    pub fn action_parts_lower(&self) -> (&str, &str) {
        (
            &self.action_lower[..self.action_colon],
            &self.action_lower[self.action_colon + 1..],
        )
    }

    /// The resource ARN, or `*`, as given.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    pub(crate) fn resource_kind(&self) -> ResourceKind {
        self.resource_kind
    }

    /// The request context (condition keys and their values).
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The resource account as the request gave it, if it did.
    pub fn given_resource_account(&self) -> Option<&str> {
        self.resource_account.as_deref().filter(|_| self.resource_account_given)
    }

    /// The resource's account: as given, else the ARN's account field, else the caller's.
    pub fn resource_account(&self) -> Option<&str> {
        self.resource_account.as_deref()
    }

    /// Same account when the caller's account owns the resource.
    pub fn is_same_account(&self) -> bool {
        matches!((self.caller.account(), self.resource_account()),
            (Some(c), Some(r)) if crate::wildcard::bytes_eq(c.as_bytes(), r.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_keys_ignore_case_small_and_indexed() {
        for n in [3, INDEX_FROM, INDEX_FROM + 1, 200] {
            let mut context = Context::new();
            for i in 0..n {
                context
                    .insert(format!("aws:Key{i}"), ContextValue::Single(i.to_string()))
                    .unwrap();
            }
            assert!(
                context.insert("AWS:KEY0", ContextValue::Single("x".into())).is_err(),
                "{n}"
            );
            assert!(context
                .insert(format!("aws:key{}", n - 1), ContextValue::Single("x".into()))
                .is_err());
            assert_eq!(
                context.single(&format!("AWS:KEY{}", n - 1)),
                Some((n - 1).to_string().as_str())
            );
            assert_eq!(context.single_lower("aws:key0"), Some("0"));
            assert_eq!(context.get("aws:nokey"), None);
            let replaced = context.with("AWS:key1", ContextValue::Single("new".into()));
            assert_eq!(replaced.len(), n);
            assert_eq!(replaced.single("aws:key1"), Some("new"));
        }
    }

    #[test]
    fn parses_callers() {
        assert_eq!(Caller::parse("anonymous").unwrap(), Caller::Anonymous);
        assert!(matches!(
            Caller::parse("arn:aws:iam::111122223333:role/team/R").unwrap(),
            Caller::Role { ref name, .. } if name == "R"
        ));
        assert!(matches!(
            Caller::parse("arn:aws:sts::111122223333:assumed-role/R/s1").unwrap(),
            Caller::RoleSession { ref role, .. } if role == "R"
        ));
        assert_eq!(
            Caller::parse("codepipeline.amazonaws.com").unwrap(),
            Caller::Service("codepipeline.amazonaws.com".into())
        );
        assert!(Caller::parse("arn:aws:iam::1:role/R").is_err());
        assert!(Caller::parse("bob").is_err());
    }

    #[test]
    fn context_lookup_ignores_case() {
        let mut c = Context::new();
        c.insert("aws:SecureTransport", ContextValue::Single("true".into()))
            .unwrap();
        assert_eq!(c.single("AWS:SECURETRANSPORT"), Some("true"));
        assert!(c
            .insert("aws:securetransport", ContextValue::Single("x".into()))
            .is_err());
    }

    #[test]
    fn resource_account_defaults() {
        let r = Request::new(
            "arn:aws:iam::111122223333:user/u",
            "s3:GetObject",
            "arn:aws:s3:::b/k",
            None,
            Context::new(),
        )
        .unwrap();
        assert_eq!(r.resource_account(), Some("111122223333"));
        let r = Request::new(
            "arn:aws:iam::111122223333:user/u",
            "kms:Decrypt",
            "arn:aws:kms:us-east-1:444455556666:key/k",
            None,
            Context::new(),
        )
        .unwrap();
        assert!(!r.is_same_account());
    }
}
