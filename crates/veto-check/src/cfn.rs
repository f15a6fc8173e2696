//! CloudFormation templates: resolving intrinsics as far as the template allows,
//! and finding the bucket policies, pipelines and keys the rules apply to.

use crate::doc::{Node, Pos, Value};
use crate::targets::{Target, TEMPLATE_ACCOUNT};
use crate::Problem;
use veto_iam::Policy;

pub struct Template<'n> {
    root: &'n Node,
}

fn s(text: impl Into<String>, pos: Pos) -> Node {
    Node::new(Value::Str(text.into()), pos)
}

/// A stand-in name for something only deployment decides, stable within the template.
fn stand_in(kind: &str, id: &str) -> String {
    format!("veto-{kind}-{}", id.to_ascii_lowercase())
}

impl<'n> Template<'n> {
    pub fn new(root: &'n Node) -> Self {
        Template { root }
    }

    fn resources(&self) -> &'n [(String, Node)] {
        self.root.get("Resources").map_or(&[], |r| r.entries())
    }

    fn resource(&self, id: &str) -> Option<&'n Node> {
        self.root.get("Resources")?.get(id)
    }

    fn type_of(&self, id: &str) -> Option<&'n str> {
        self.resource(id)?.get("Type")?.as_str()
    }

    fn property(&self, id: &str, name: &str) -> Option<&'n Node> {
        self.resource(id)?.get("Properties")?.get(name)
    }

    /// The name `Ref` gives a resource.
    fn ref_resource(&self, id: &str, pos: Pos) -> Node {
        let ty = self.type_of(id).unwrap_or("");
        let named = |prop: &str| self.property(id, prop).map(|n| self.resolve(n));
        match ty {
            "AWS::S3::Bucket" => match named("BucketName") {
                Some(n) if n.as_str().is_some() => n,
                _ => s(stand_in("bucket", id), pos),
            },
            "AWS::IAM::Role" => match named("RoleName") {
                Some(n) if n.as_str().is_some() => n,
                _ => s(stand_in("role", id), pos),
            },
            "AWS::KMS::Key" => s(stand_in("key", id), pos),
            _ => s(stand_in("resource", id), pos),
        }
    }

    fn get_att(&self, id: &str, attr: &str, pos: Pos) -> Node {
        let name = self.ref_resource(id, pos);
        let name = name.as_str().unwrap_or("").to_string();
        match (self.type_of(id), attr) {
            (Some("AWS::S3::Bucket"), "Arn") => s(format!("arn:aws:s3:::{name}"), pos),
            (Some("AWS::KMS::Key"), "Arn") => s(format!("arn:aws:kms:us-east-1:{TEMPLATE_ACCOUNT}:key/{name}"), pos),
            (Some("AWS::KMS::Key"), "KeyId") => s(name, pos),
            (Some("AWS::IAM::Role"), "Arn") => s(format!("arn:aws:iam::{TEMPLATE_ACCOUNT}:role/{name}"), pos),
            _ => Node::new(Value::Symbolic(format!("{id}.{attr}")), pos),
        }
    }

    fn reference(&self, name: &str, pos: Pos) -> Node {
        match name {
            "AWS::AccountId" => s(TEMPLATE_ACCOUNT, pos),
            "AWS::Region" => s("us-east-1", pos),
            "AWS::Partition" => s("aws", pos),
            "AWS::URLSuffix" => s("amazonaws.com", pos),
            "AWS::StackName" => s("veto-stack", pos),
            "AWS::StackId" => s(
                format!("arn:aws:cloudformation:us-east-1:{TEMPLATE_ACCOUNT}:stack/veto-stack/id"),
                pos,
            ),
            "AWS::NoValue" => Node::new(Value::Null, pos),
            _ => {
                if let Some(p) = self.root.get("Parameters").and_then(|p| p.get(name)) {
                    return match p.get("Default") {
                        Some(d) => self.resolve(d),
                        None => Node::new(Value::Symbolic(format!("parameter {name}")), pos),
                    };
                }
                if self.resource(name).is_some() {
                    return self.ref_resource(name, pos);
                }
                Node::new(Value::Symbolic(format!("{name} (not defined in the template)")), pos)
            }
        }
    }

    /// Text for string building: symbolic parts become stable stand-ins.
    fn text_of(&self, node: &Node) -> Option<String> {
        match &self.resolve(node).value {
            Value::Str(t) => Some(t.clone()),
            Value::Number(n) => Some(n.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Symbolic(d) => Some(stand_in("unknown", &d.replace([' ', '.', '(', ')'], "-"))),
            _ => None,
        }
    }

    fn sub(&self, template: &str, vars: &[(String, Node)], pos: Pos) -> Node {
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = if let Some((_, v)) = vars.iter().find(|(k, _)| k == name) {
                self.text_of(v)
            } else if let Some((id, attr)) = name.split_once('.').filter(|_| !name.starts_with("AWS::")) {
                self.text_of(&self.get_att(id, attr, pos))
            } else {
                self.text_of(&self.reference(name, pos))
            };
            out.push_str(&value.unwrap_or_default());
        }
        out.push_str(rest);
        s(out, pos)
    }

    /// Resolves intrinsic functions as far as the template allows.
    pub fn resolve(&self, node: &Node) -> Node {
        let pos = node.pos;
        match &node.value {
            Value::Map(entries) if entries.len() == 1 && is_intrinsic(&entries[0].0) => {
                let (name, arg) = (&entries[0].0, &entries[0].1);
                match name.as_str() {
                    "Ref" => match arg.as_str() {
                        Some(target) => self.reference(target, pos),
                        None => Node::new(Value::Symbolic("Ref".into()), pos),
                    },
                    "Fn::GetAtt" => match arg.as_list() {
                        [a, b] => match (a.as_str(), self.resolve(b).as_str()) {
                            (Some(a), Some(b)) => self.get_att(a, b, pos),
                            _ => Node::new(Value::Symbolic("Fn::GetAtt".into()), pos),
                        },
                        _ => match arg.as_str().and_then(|t| t.split_once('.')) {
                            Some((a, b)) => self.get_att(a, b, pos),
                            None => Node::new(Value::Symbolic("Fn::GetAtt".into()), pos),
                        },
                    },
                    "Fn::Sub" => match &arg.value {
                        Value::Str(t) => self.sub(t, &[], pos),
                        Value::List(items) if items.len() == 2 => match items[0].as_str() {
                            Some(t) => self.sub(t, items[1].entries(), pos),
                            None => Node::new(Value::Symbolic("Fn::Sub".into()), pos),
                        },
                        _ => Node::new(Value::Symbolic("Fn::Sub".into()), pos),
                    },
                    "Fn::Join" => match arg.as_list() {
                        [delimiter, parts] => {
                            let delimiter = self.text_of(delimiter).unwrap_or_default();
                            let parts = self.resolve(parts);
                            let texts: Option<Vec<String>> = parts.as_list().iter().map(|p| self.text_of(p)).collect();
                            match texts {
                                Some(t) => s(t.join(&delimiter), pos),
                                None => Node::new(Value::Symbolic("Fn::Join".into()), pos),
                            }
                        }
                        _ => Node::new(Value::Symbolic("Fn::Join".into()), pos),
                    },
                    "Fn::Select" => match arg.as_list() {
                        [index, list] => {
                            let list = self.resolve(list);
                            match self.text_of(index).and_then(|i| i.parse::<usize>().ok()) {
                                Some(i) if i < list.as_list().len() => self.resolve(&list.as_list()[i]),
                                _ => Node::new(Value::Symbolic("Fn::Select".into()), pos),
                            }
                        }
                        _ => Node::new(Value::Symbolic("Fn::Select".into()), pos),
                    },
                    "Fn::Split" => match arg.as_list() {
                        [delimiter, text] => match (self.text_of(delimiter), self.resolve(text).as_str()) {
                            (Some(d), Some(t)) if !d.is_empty() => {
                                Node::new(Value::List(t.split(d.as_str()).map(|p| s(p, pos)).collect()), pos)
                            }
                            _ => Node::new(Value::Symbolic("Fn::Split".into()), pos),
                        },
                        _ => Node::new(Value::Symbolic("Fn::Split".into()), pos),
                    },
                    "Fn::FindInMap" => match arg.as_list() {
                        [map, top, second] => {
                            let keys = (self.text_of(map), self.text_of(top), self.text_of(second));
                            let found = match keys {
                                (Some(m), Some(t), Some(k)) => self
                                    .root
                                    .get("Mappings")
                                    .and_then(|ms| ms.get(&m))
                                    .and_then(|x| x.get(&t))
                                    .and_then(|x| x.get(&k)),
                                _ => None,
                            };
                            found.map_or_else(
                                || Node::new(Value::Symbolic("Fn::FindInMap".into()), pos),
                                |n| self.resolve(n),
                            )
                        }
                        _ => Node::new(Value::Symbolic("Fn::FindInMap".into()), pos),
                    },
                    other => Node::new(Value::Symbolic(other.to_string()), pos),
                }
            }
            Value::Map(entries) => Node::new(
                Value::Map(entries.iter().map(|(k, v)| (k.clone(), self.resolve(v))).collect()),
                pos,
            ),
            Value::List(items) => Node::new(Value::List(items.iter().map(|i| self.resolve(i)).collect()), pos),
            _ => node.clone(),
        }
    }

    /// The logical ID a node refers to (`Ref X`, `GetAtt X.Arn`), if any.
    fn referenced_id(&self, node: &Node) -> Option<String> {
        let (name, arg) = node.entries().first()?;
        match name.as_str() {
            "Ref" => arg.as_str().map(str::to_string),
            "Fn::GetAtt" => match arg.as_list() {
                [a, _] => a.as_str().map(str::to_string),
                _ => arg.as_str().and_then(|t| t.split_once('.')).map(|(a, _)| a.to_string()),
            },
            _ => None,
        }
        .filter(|id| self.resource(id).is_some())
    }

    /// The bucket a node names: a template bucket's logical ID, or a literal name.
    fn bucket_of(&self, node: &Node) -> (Option<String>, Option<String>) {
        let id = self
            .referenced_id(node)
            .filter(|id| self.type_of(id) == Some("AWS::S3::Bucket"));
        let name = self
            .resolve(node)
            .as_str()
            .map(|n| n.trim_start_matches("arn:aws:s3:::").to_string());
        let id = id.or_else(|| {
            let name = name.as_deref()?;
            self.resources().iter().find_map(|(rid, r)| {
                (r.get("Type")?.as_str()? == "AWS::S3::Bucket"
                    && self
                        .property(rid, "BucketName")
                        .map(|n| self.resolve(n))
                        .and_then(|n| n.as_str().map(str::to_string))
                        == Some(name.to_string()))
                .then(|| rid.clone())
            })
        });
        (id, name)
    }

    pub fn targets(&self, problems: &mut Vec<Problem>) -> Vec<Target> {
        let mut out = Vec::new();
        let resources = self.resources();
        fn of_kind<'r>(resources: &'r [(String, Node)], t: &'static str) -> impl Iterator<Item = &'r (String, Node)> {
            resources
                .iter()
                .filter(move |(_, r)| r.get("Type").and_then(Node::as_str) == Some(t))
        }
        let of_type = |t: &'static str| of_kind(resources, t);

        // Bucket policies, by the bucket they protect.
        let mut policies: Vec<(Option<String>, String, Policy, Node)> = Vec::new();
        let mut undecided: Vec<(Option<String>, String, String, Node)> = Vec::new();
        for (id, r) in of_type("AWS::S3::BucketPolicy") {
            let props = r.get("Properties");
            let (Some(bucket), Some(document)) = (
                props.and_then(|p| p.get("Bucket")),
                props.and_then(|p| p.get("PolicyDocument")),
            ) else {
                problems.push(Problem::new(
                    r.pos,
                    format!("{id}: AWS::S3::BucketPolicy needs Bucket and PolicyDocument"),
                ));
                continue;
            };
            let (bucket_id, name) = self.bucket_of(bucket);
            let resolved = self.resolve(document);
            let text = policy_text(&resolved);
            match Policy::parse(&text) {
                Ok(policy) => {
                    let name = name.unwrap_or_else(|| stand_in("bucket", id));
                    policies.push((
                        bucket_id,
                        name,
                        policy,
                        Node {
                            pos: document.pos,
                            ..resolved
                        },
                    ));
                }
                // A document shaped by what only deployment decides (`Fn::If`, an imported
                // value) is not wrong, just not known: its rules cannot be decided.
                Err(e) if contains_symbolic(&resolved) => undecided.push((
                    bucket_id,
                    name.unwrap_or_else(|| stand_in("bucket", id)),
                    format!("{id}.PolicyDocument depends on values the template does not fix ({e})"),
                    Node {
                        pos: document.pos,
                        ..resolved
                    },
                )),
                Err(e) => problems.push(Problem::new(document.pos, format!("{id}.PolicyDocument: {e}"))),
            }
        }

        // Pipelines with their derived fields.
        let mut artifact_buckets: Vec<Option<String>> = Vec::new();
        let mut artifact_keys: Vec<String> = Vec::new();
        let mut pipelines = 0;
        for (id, r) in of_type("AWS::CodePipeline::Pipeline") {
            pipelines += 1;
            let props = r.get("Properties");
            let mut stores: Vec<&Node> = props.and_then(|p| p.get("ArtifactStore")).into_iter().collect();
            for s in props
                .and_then(|p| p.get("ArtifactStores"))
                .map(Node::as_list)
                .unwrap_or_default()
            {
                stores.extend(s.get("ArtifactStore"));
            }
            let mut derived: Vec<(String, Node)> = Vec::new();
            if let Some(store) = stores.first() {
                if let Some(location) = store.get("Location") {
                    let (bucket_id, name) = self.bucket_of(location);
                    artifact_buckets.push(bucket_id.clone());
                    if let Some(bucket_id) = bucket_id {
                        let mut fields = vec![("name".to_string(), s(name.unwrap_or_default(), location.pos))];
                        if let Some((_, _, _, doc)) = policies.iter().find(|(b, ..)| b.as_deref() == Some(&bucket_id)) {
                            fields.push(("policy".into(), doc.clone()));
                        }
                        derived.push(("artifact_bucket".into(), Node::new(Value::Map(fields), location.pos)));
                    }
                }
            }
            let keys: Vec<Option<&Node>> = stores
                .iter()
                .map(|s| s.get("EncryptionKey").and_then(|k| k.get("Id")))
                .collect();
            if !keys.is_empty() && keys.iter().all(Option::is_some) {
                let key = keys[0].expect("checked");
                if let Some(kid) = self.referenced_id(key) {
                    artifact_keys.push(kid);
                }
                derived.push(("artifact_key".into(), self.resolve(key)));
            }
            for k in keys.iter().flatten() {
                if let Some(kid) = self.referenced_id(k) {
                    artifact_keys.push(kid);
                }
            }
            // Cross-account: an action role in another account than the pipeline's.
            let own = props
                .and_then(|p| p.get("RoleArn"))
                .and_then(|n| self.resolve(n).as_str().and_then(arn_account).map(str::to_string))
                .unwrap_or_else(|| TEMPLATE_ACCOUNT.to_string());
            let mut cross = Value::Bool(false);
            for stage in props
                .and_then(|p| p.get("Stages"))
                .map(Node::as_list)
                .unwrap_or_default()
            {
                for action in stage.get("Actions").map(Node::as_list).unwrap_or_default() {
                    if let Some(role) = action.get("RoleArn") {
                        match &self.resolve(role).value {
                            Value::Str(arn) if arn_account(arn).is_some_and(|a| a != own) => cross = Value::Bool(true),
                            Value::Str(_) => {}
                            _ if cross == Value::Bool(false) => {
                                cross = Value::Symbolic(format!("{id} action role account"))
                            }
                            _ => {}
                        }
                    }
                }
            }
            derived.push(("cross_account".into(), Node::new(cross, r.pos)));
            let mut node = self.resolve(r);
            if let Value::Map(entries) = &mut node.value {
                entries.extend(derived);
            }
            out.push(Target::Pipeline {
                logical_id: id.clone(),
                node,
            });
        }
        // Bucket-policy rules apply to the pipelines' artifact buckets, or to every
        // bucket policy when the template has no pipeline.
        for (bucket_id, name, policy, node) in policies {
            if pipelines == 0 || artifact_buckets.iter().flatten().any(|b| Some(b) == bucket_id.as_ref()) {
                out.push(Target::BucketPolicy {
                    bucket_arn: format!("arn:aws:s3:::{name}"),
                    policy: policy.clone(),
                    node: node.clone(),
                });
            }
            out.push(Target::Policy { policy, node });
        }
        for (bucket_id, name, reason, node) in undecided {
            if pipelines == 0 || artifact_buckets.iter().flatten().any(|b| Some(b) == bucket_id.as_ref()) {
                out.push(Target::UndecidedPolicy {
                    bucket_arn: format!("arn:aws:s3:::{name}"),
                    reason,
                    node,
                });
            }
        }
        // Keys used for S3 default encryption.
        for (_, r) in of_type("AWS::S3::Bucket") {
            let rules = r
                .get("Properties")
                .and_then(|p| p.get("BucketEncryption"))
                .and_then(|e| e.get("ServerSideEncryptionConfiguration"));
            for rule in rules.map(Node::as_list).unwrap_or_default() {
                if let Some(k) = rule
                    .get("ServerSideEncryptionByDefault")
                    .and_then(|d| d.get("KMSMasterKeyID"))
                {
                    artifact_keys.extend(self.referenced_id(k));
                }
            }
        }
        for (id, r) in of_type("AWS::KMS::Key") {
            let node = with_symmetric(self.resolve(r));
            if artifact_keys.contains(id) {
                out.push(Target::KmsKey {
                    logical_id: id.clone(),
                    node: node.clone(),
                });
            }
            out.push(Target::Resource {
                type_name: "AWS::KMS::Key".into(),
                logical_id: id.clone(),
                node,
            });
        }
        for (id, r) in resources {
            let ty = r.get("Type").and_then(Node::as_str).unwrap_or_default();
            if ty != "AWS::KMS::Key" {
                out.push(Target::Resource {
                    type_name: ty.to_string(),
                    logical_id: id.clone(),
                    node: self.resolve(r),
                });
            }
        }
        out
    }
}

fn contains_symbolic(node: &Node) -> bool {
    match &node.value {
        Value::Symbolic(_) => true,
        Value::List(items) => items.iter().any(contains_symbolic),
        Value::Map(entries) => entries.iter().any(|(_, v)| contains_symbolic(v)),
        _ => false,
    }
}

fn is_intrinsic(name: &str) -> bool {
    name == "Ref" || name == "Condition" || name.starts_with("Fn::")
}

pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| veto_source::is_account_id(a))
}

/// Adds the derived `symmetric` field to a KMS key resource (under the node, beside
/// `Properties`): KeySpec absent or SYMMETRIC_DEFAULT, and KeyUsage absent or
/// ENCRYPT_DECRYPT.
pub fn with_symmetric(mut node: Node) -> Node {
    let props = node.get("Properties");
    let field = |name: &str, default: &str| -> Option<bool> {
        match props.and_then(|p| p.get(name)).map(|n| &n.value) {
            None | Some(Value::Null) => Some(true),
            Some(Value::Str(v)) => Some(v == default),
            _ => None,
        }
    };
    let symmetric = match (
        field("KeySpec", "SYMMETRIC_DEFAULT"),
        field("KeyUsage", "ENCRYPT_DECRYPT"),
    ) {
        (Some(a), Some(b)) => Value::Bool(a && b),
        _ => Value::Symbolic("the key's spec".into()),
    };
    let pos = node.pos;
    if let Value::Map(entries) = &mut node.value {
        entries.push(("symmetric".into(), Node::new(symmetric, pos)));
    }
    node
}

/// A resolved policy document as JSON text; symbolic parts become stand-in strings.
pub fn policy_text(node: &Node) -> String {
    fn json(node: &Node) -> serde_json::Value {
        match &node.value {
            Value::Symbolic(d) => serde_json::Value::String(format!(
                "veto-unknown-{}",
                d.to_ascii_lowercase().replace([' ', '.', '(', ')'], "-")
            )),
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .filter(|(_, v)| v.value != Value::Null)
                    .map(|(k, v)| (k.clone(), json(v)))
                    .collect(),
            ),
            Value::List(items) => serde_json::Value::Array(items.iter().map(json).collect()),
            _ => node.to_json(),
        }
    }
    json(node).to_string()
}
