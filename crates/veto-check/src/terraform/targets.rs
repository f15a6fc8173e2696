//! Terraform resources onto the targets the rule pack reads, the way `cfn`
//! maps CloudFormation: bucket policies of the pipelines' artifact buckets (of
//! every bucket when the module has no pipeline), pipelines with their derived
//! `artifact_bucket`, `artifact_key` and `cross_account`, KMS keys in CloudFormation
//! shape, and every IAM policy for the catalog findings.

use super::eval::{marker, string, sym, text_of, unknowns, world, Built, Evaluator, Scope, World, PREFIXES, R};
use super::policy;
use crate::cfn::{arn_account, read_policy_tree, with_symmetric};
use crate::doc::{Node, Origin, Pos, Symbolic, Value};
use crate::targets::{Target, TEMPLATE_ACCOUNT};
use crate::Problem;
use hcl_edit::Span;
use std::rc::Rc;
use veto_iam::{Diagnostic, Policy};

/// Deepest local-module nesting walked.
const MAX_DEPTH: usize = 16;

/// Resource types whose `policy` attribute is an IAM policy document.
const POLICY_RESOURCES: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_kms_key",
    "aws_sqs_queue_policy",
    "aws_sqs_queue",
    "aws_sns_topic_policy",
    "aws_sns_topic",
    "aws_ecr_repository_policy",
    "aws_secretsmanager_secret_policy",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_access_point",
    "aws_lambda_permission",
    "aws_glacier_vault",
    "aws_efs_file_system_policy",
    "aws_backup_vault_policy",
    "aws_cloudwatch_log_resource_policy",
];

/// A policy read from the module: parsed, or depending on unknowns that keep it from parsing.
enum Read {
    Parsed(Policy, Node),
    Undecided(String, Node),
}

struct BucketPolicy {
    bucket: String,
    read: Read,
}

struct Pipeline {
    address: String,
    node: Node,
    location: Option<String>,
}

struct Key {
    address: String,
    node: Node,
    /// The texts that name it: id, ARN, aliases.
    names: Vec<String>,
}

pub(super) struct Builder<'e, 'a> {
    ev: &'e Evaluator<'a>,
    targets: Vec<Target>,
    warnings: Vec<(Pos, Diagnostic)>,
    buckets: Vec<String>,
    bucket_policies: Vec<BucketPolicy>,
    pipelines: Vec<Pipeline>,
    keys: Vec<Key>,
    /// Key names used for artifacts or S3 default encryption.
    key_uses: Vec<String>,
    /// Alias name or ARN → the key text it targets.
    aliases: Vec<(String, String)>,
}

/// The tree with unknowns as this world's stand-ins, and unknown account IDs in ARNs (`arn:aws:iam::${var.dev_account}:root`)
/// as 12-digit stand-ins starting with `base`, one per unknown, so the policy parses.
fn accounts(node: &Node) -> Node {
    let base = match world() {
        World::First => 1000,
        World::Second => 2000,
    };
    let value = match &node.value {
        Value::Str(s) => {
            let mut parts: Vec<&str> = s.split(':').collect();
            let unknown = |p: &str| PREFIXES.iter().any(|x| p.starts_with(x));
            let number;
            if parts.len() >= 6 && parts[0] == "arn" && unknown(parts[4]) {
                let hash = parts[4]
                    .bytes()
                    .fold(0u64, |h, b| (h * 131 + u64::from(b)) % 100_000_000);
                number = format!("{base:04}{hash:08}");
                parts[4] = &number;
                Value::Str(parts.join(":"))
            } else {
                Value::Str(s.clone())
            }
        }
        Value::Symbolic(d) => accounts(&string(marker(&d.to_string()), node.pos)).value,
        Value::List(items) => Value::List(items.iter().map(accounts).collect()),
        Value::Map(entries) => Value::Map(entries.iter().map(|(k, v)| (k.clone(), accounts(v))).collect()),
        v => v.clone(),
    };
    Node::new(value, node.pos)
}

fn first<'n>(node: &'n Node, block: &str) -> Option<&'n Node> {
    node.get(block).and_then(|b| b.as_list().first())
}

/// The evaluated root module mapped onto targets (the evaluator's `build` hook).
pub(super) fn build<'a>(ev: &Evaluator<'a>, root: &Rc<Scope<'a>>) -> R<Built> {
    let mut out = Builder::new(ev);
    out.module(root, 0)?;
    Ok(out.finish())
}

impl<'e, 'a> Builder<'e, 'a> {
    pub(super) fn new(ev: &'e Evaluator<'a>) -> Self {
        Builder {
            ev,
            targets: Vec::new(),
            warnings: Vec::new(),
            buckets: Vec::new(),
            bucket_policies: Vec::new(),
            pipelines: Vec::new(),
            keys: Vec::new(),
            key_uses: Vec::new(),
            aliases: Vec::new(),
        }
    }

    /// Reads a policy value: JSON text, a tree from jsonencode or a policy document.
    fn read_policy(&mut self, value: &Node, what: &str) -> R<Option<Read>> {
        if matches!(value.value, Value::Null) {
            return Ok(None);
        }
        let Some(tree) = policy::tree(self.ev, value) else {
            let mut u = Vec::new();
            unknowns(value, &mut u);
            let reason = match u.first() {
                Some(d) => format!("{what} depends on {d}"),
                None => format!("{what} is not a policy document"),
            };
            if u.is_empty() {
                return Err(Problem::new(value.pos, reason));
            }
            return Ok(Some(Read::Undecided(reason, Node::new(Value::Map(vec![]), value.pos))));
        };
        let tree = Node { pos: value.pos, ..tree };
        match read_policy_tree(&accounts(&tree)) {
            Ok(p) => Ok(Some(Read::Parsed(p, tree))),
            Err(e) => {
                let mut u = Vec::new();
                unknowns(&tree, &mut u);
                // Shaped by what only the caller or apply decides (the error is about
                // a stand-in): not wrong, not known. Other errors are the policy's own.
                match u.first() {
                    Some(_) if e.errors().all(|d| PREFIXES.iter().any(|p| d.to_string().contains(p))) => Ok(Some(
                        Read::Undecided(format!("{what} depends on {}", u.join(", ")), tree),
                    )),
                    _ => Err(Problem::new(
                        tree.get("Statement").map_or(tree.pos, |s| s.pos),
                        format!("{what}: {e}"),
                    )),
                }
            }
        }
    }

    fn policy_target(&mut self, read: &Read) {
        if let Read::Parsed(policy, node) = read {
            let at = node.get("Statement").map_or(node.pos, |s| s.pos);
            // A stand-in is no name AWS knows: the catalog says nothing about it.
            for d in veto_iam::validate::validate(policy) {
                if !PREFIXES.iter().any(|p| d.to_string().contains(p)) {
                    self.warnings.push((at, d));
                }
            }
            self.targets.push(Target::Policy {
                policy: policy.clone(),
                node: node.clone(),
            });
        }
    }

    fn plain_policy(&mut self, value: Option<&Node>, what: &str) -> R<()> {
        if let Some(v) = value {
            if let Some(read) = self.read_policy(v, what)? {
                self.policy_target(&read);
            }
        }
        Ok(())
    }

    /// Every resource of a module instance, then its local modules.
    pub(super) fn module(&mut self, scope: &Rc<Scope<'a>>, depth: usize) -> R<()> {
        for decl in &scope.def.resources {
            let pos = self.ev.pos(decl.file, decl.block.span());
            for (suffix, env) in self.ev.instances(scope, decl.block, decl.file)? {
                let address = format!("{}{}.{}{suffix}", scope.address, decl.ty, decl.name);
                let node = self.ev.block_tree(scope, &decl.block.body, &env, decl.file, pos)?;
                self.resource(decl.ty, &address, scope, decl, node)?;
            }
        }
        if depth < MAX_DEPTH {
            for decl in &scope.def.modules {
                if let Some(child) = self.ev.child(scope, decl)? {
                    self.module(&child, depth + 1)?;
                }
            }
        }
        Ok(())
    }

    fn resource(
        &mut self,
        ty: &str,
        address: &str,
        scope: &Rc<Scope<'a>>,
        decl: &super::eval::Decl<'a>,
        node: Node,
    ) -> R<()> {
        let pos = node.pos;
        let what = |attr: &str| format!("{address}.{attr}");
        match ty {
            "aws_s3_bucket" => {
                // The bucket's name as references see it (a stand-in when apply picks it).
                let value = self.ev.resource_value(scope, decl)?;
                let names: Vec<String> = match &value.value {
                    Value::List(items) => items.iter().filter_map(|i| i.get("bucket").and_then(text_of)).collect(),
                    Value::Map(_) if value.get("bucket").is_none() => value
                        .entries()
                        .iter()
                        .filter_map(|(_, i)| i.get("bucket").and_then(text_of))
                        .collect(),
                    _ => value.get("bucket").and_then(text_of).into_iter().collect(),
                };
                let name = node
                    .get("bucket")
                    .and_then(text_of)
                    .or_else(|| names.first().cloned())
                    .unwrap_or_default();
                self.buckets.push(name.clone());
                // AWS provider v3 wrote the policy and encryption inside the bucket.
                if let Some(p) = node.get("policy") {
                    if let Some(read) = self.read_policy(p, &what("policy"))? {
                        self.policy_target_for_bucket(name.clone(), read);
                    }
                }
                self.sse_keys(&node);
            }
            "aws_s3_bucket_policy" => {
                let bucket = node.get("bucket").and_then(text_of).unwrap_or_default();
                let bucket = bucket.trim_start_matches("arn:aws:s3:::").to_string();
                if let Some(p) = node.get("policy") {
                    if let Some(read) = self.read_policy(p, &what("policy"))? {
                        self.policy_target_for_bucket(bucket, read);
                    }
                }
            }
            "aws_s3_bucket_server_side_encryption_configuration" => self.sse_keys(&node),
            "aws_kms_key" => {
                self.plain_policy(node.get("policy"), &what("policy"))?;
                let value = self.ev.resource_value(scope, decl)?;
                let instance = match &value.value {
                    Value::Map(_) if value.get("arn").is_some() => value.clone(),
                    _ => node.clone(),
                };
                let names = ["id", "arn", "key_id"]
                    .iter()
                    .filter_map(|k| instance.get(k).and_then(text_of))
                    .collect();
                let mut props = Vec::new();
                for (tf, cfn) in [
                    ("customer_master_key_spec", "KeySpec"),
                    ("key_spec", "KeySpec"),
                    ("key_usage", "KeyUsage"),
                    ("enable_key_rotation", "EnableKeyRotation"),
                ] {
                    if let Some(n) = node.get(tf).filter(|n| n.value != Value::Null) {
                        props.push((cfn.to_string(), n.clone()));
                    }
                }
                let shaped = with_symmetric(Node::new(
                    Value::Map(vec![
                        ("Type".into(), string("AWS::KMS::Key", pos)),
                        ("Properties".into(), Node::new(Value::Map(props), pos)),
                    ]),
                    pos,
                ));
                self.keys.push(Key {
                    address: address.to_string(),
                    node: shaped,
                    names,
                });
            }
            "aws_kms_alias" => {
                if let (Some(name), Some(target)) = (
                    node.get("name").and_then(text_of),
                    node.get("target_key_id").and_then(text_of),
                ) {
                    self.aliases.push((
                        format!("arn:aws:kms:us-east-1:{TEMPLATE_ACCOUNT}:{name}"),
                        target.clone(),
                    ));
                    self.aliases.push((name, target));
                }
            }
            "aws_codepipeline" => self.pipeline(address, node),
            "aws_iam_role" => {
                self.plain_policy(node.get("assume_role_policy"), &what("assume_role_policy"))?;
                for (i, inline) in node
                    .get("inline_policy")
                    .map(Node::as_list)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    self.plain_policy(inline.get("policy"), &format!("{address}.inline_policy[{i}].policy"))?;
                }
            }
            t if POLICY_RESOURCES.contains(&t) => self.plain_policy(node.get("policy"), &what("policy"))?,
            _ => {}
        }
        Ok(())
    }

    fn policy_target_for_bucket(&mut self, bucket: String, read: Read) {
        self.policy_target(&read);
        self.bucket_policies.push(BucketPolicy { bucket, read });
    }

    /// Keys named by S3 default encryption (the split resource or the v3 inline block).
    fn sse_keys(&mut self, node: &Node) {
        let config = first(node, "server_side_encryption_configuration").unwrap_or(node);
        for rule in config.get("rule").map(Node::as_list).unwrap_or_default() {
            for d in rule
                .get("apply_server_side_encryption_by_default")
                .map(Node::as_list)
                .unwrap_or_default()
            {
                if let Some(k) = d.get("kms_master_key_id").and_then(text_of) {
                    self.key_uses.push(k);
                }
            }
        }
    }

    fn pipeline(&mut self, address: &str, mut node: Node) {
        let pos = node.pos;
        let stores: Vec<Node> = node
            .get("artifact_store")
            .map(Node::as_list)
            .unwrap_or_default()
            .to_vec();
        let mut derived: Vec<(String, Node)> = Vec::new();
        let location = stores.first().and_then(|s| s.get("location")).and_then(text_of);
        let keys: Vec<Option<Node>> = stores
            .iter()
            .map(|s| first(s, "encryption_key").and_then(|k| k.get("id")).cloned())
            .collect();
        for k in keys.iter().flatten() {
            if let Some(t) = text_of(k) {
                self.key_uses.push(t);
            }
        }
        if !keys.is_empty() && keys.iter().all(Option::is_some) {
            derived.push((
                "artifact_key".into(),
                keys[0].clone().unwrap_or_else(|| sym("the artifact key", pos)),
            ));
        }
        // Cross-account: an action role in another account than the pipeline's.
        let account = |n: &Node| -> Result<Option<String>, String> {
            match &n.value {
                Value::Symbolic(d) => Err(d.to_string()),
                Value::Str(s) => match arn_account(s) {
                    Some(a) => Ok(Some(a.to_string())),
                    None => {
                        let mut u = Vec::new();
                        unknowns(n, &mut u);
                        match u.into_iter().next() {
                            Some(d)
                                if s.split(':')
                                    .nth(4)
                                    .is_some_and(|a| PREFIXES.iter().any(|p| a.contains(p))) =>
                            {
                                Err(d)
                            }
                            _ => Ok(None),
                        }
                    }
                },
                _ => Ok(None),
            }
        };
        let own = match node.get("role_arn").map(account) {
            Some(Ok(Some(a))) => Ok(a),
            Some(Err(d)) => Err(d),
            _ => Ok(TEMPLATE_ACCOUNT.to_string()),
        };
        let mut cross = Value::Bool(false);
        for stage in node.get("stage").map(Node::as_list).unwrap_or_default() {
            for action in stage.get("action").map(Node::as_list).unwrap_or_default() {
                let Some(role) = action.get("role_arn") else { continue };
                match (account(role), &own) {
                    (Ok(Some(a)), Ok(o)) if &a != o => cross = Value::Bool(true),
                    (Ok(_), Ok(_)) => {}
                    (Err(d), _) => {
                        if cross == Value::Bool(false) {
                            cross = Value::Symbolic(Symbolic::new(Origin::Other, d));
                        }
                    }
                    (Ok(Some(_)), Err(d)) => {
                        if cross == Value::Bool(false) {
                            cross = Value::Symbolic(Symbolic::new(Origin::Other, d.clone()));
                        }
                    }
                    (Ok(None), Err(_)) => {}
                }
            }
        }
        derived.push(("cross_account".into(), Node::new(cross, pos)));
        if let Value::Map(entries) = &mut node.value {
            entries.extend(derived);
        }
        self.pipelines.push(Pipeline {
            address: address.to_string(),
            node,
            location,
        });
    }

    pub(super) fn finish(mut self) -> (Vec<Target>, Vec<(Pos, Diagnostic)>) {
        let known = |name: &str, buckets: &[String], policies: &[BucketPolicy]| {
            buckets.iter().any(|b| b == name) || policies.iter().any(|p| p.bucket == name)
        };
        let mut artifact_buckets: Vec<String> = Vec::new();
        for p in std::mem::take(&mut self.pipelines) {
            let mut node = p.node;
            if let Some(name) = p.location.filter(|n| known(n, &self.buckets, &self.bucket_policies)) {
                let at = first(&node, "artifact_store")
                    .and_then(|s| s.get("location"))
                    .map_or(node.pos, |n| n.pos);
                let mut fields = vec![("name".to_string(), string(name.clone(), at))];
                if let Some(bp) = self.bucket_policies.iter().find(|b| b.bucket == name) {
                    let doc = match &bp.read {
                        Read::Parsed(_, n) | Read::Undecided(_, n) => n.clone(),
                    };
                    fields.push(("policy".into(), doc));
                }
                if let Value::Map(entries) = &mut node.value {
                    entries.push(("artifact_bucket".into(), Node::new(Value::Map(fields), at)));
                }
                artifact_buckets.push(name);
            }
            self.targets.push(Target::Pipeline {
                logical_id: p.address,
                node,
            });
        }
        let any_pipeline = self.targets.iter().any(|t| matches!(t, Target::Pipeline { .. }));
        for bp in std::mem::take(&mut self.bucket_policies) {
            if any_pipeline && !artifact_buckets.contains(&bp.bucket) {
                continue;
            }
            let bucket_arn = format!("arn:aws:s3:::{}", bp.bucket);
            let read = bp.read;
            self.targets.push(match read {
                Read::Parsed(policy, node) => Target::BucketPolicy {
                    bucket_arn,
                    policy,
                    node,
                },
                Read::Undecided(reason, node) => Target::UndecidedPolicy {
                    bucket_arn,
                    reason,
                    node,
                },
            });
        }
        // Keys named directly or through an alias.
        let mut uses = self.key_uses.clone();
        for (alias, target) in &self.aliases {
            if self.key_uses.contains(alias) {
                uses.push(target.clone());
            }
        }
        for k in std::mem::take(&mut self.keys) {
            if k.names.iter().any(|n| uses.contains(n)) {
                self.targets.push(Target::KmsKey {
                    logical_id: k.address.clone(),
                    node: k.node.clone(),
                });
            }
            self.targets.push(Target::Resource {
                type_name: "AWS::KMS::Key".into(),
                logical_id: k.address,
                node: k.node,
            });
        }
        (self.targets, self.warnings)
    }
}
