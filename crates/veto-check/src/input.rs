//! Reading one input file: detecting its kind from its content (IAM policy,
//! CloudFormation template in JSON or YAML, Terraform plan JSON) and finding its
//! targets.

use crate::cfn::{self, Template};
use crate::doc::{self, Node, Pos, Value};
use crate::targets::Target;
use crate::Problem;
use veto_iam::{json, Diagnostic, LineIndex, Policy};

/// Largest input file read.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Policy,
    CloudFormation,
    TerraformPlan,
    /// A `.tf` file read alone as a module (`veto lint` reads whole directories).
    Terraform,
}

/// A loaded input.
pub struct Input {
    pub kind: FileKind,
    pub targets: Vec<Target>,
    /// Catalog findings and warnings about the policies read, positioned in the file.
    pub warnings: Vec<(Pos, Diagnostic)>,
}

pub enum Loaded {
    Input(Input),
    /// Well-formed, but neither a policy nor a template (skipped when walking a directory).
    NotOurs(Problem),
    /// Broken input: every problem found.
    Failed(Vec<Problem>),
}

fn pos_of(text: &str, index: &LineIndex, offset: usize) -> Pos {
    let lc = index.line_col(text, offset);
    Pos {
        line: lc.line,
        column: lc.column,
    }
}

/// Loads `text`, read from `name` (its extension tells YAML from JSON).
pub fn load(name: &str, text: &str) -> Loaded {
    if text.len() > MAX_INPUT_BYTES {
        return Loaded::Failed(vec![Problem::new(
            Pos { line: 1, column: 1 },
            format!(
                "the file is {} bytes; veto reads inputs up to {MAX_INPUT_BYTES} bytes",
                text.len()
            ),
        )]);
    }
    if crate::terraform::is_terraform_file(name) {
        return match crate::terraform::load_text(name, text) {
            Ok(m) => Loaded::Input(Input {
                kind: FileKind::Terraform,
                targets: m.targets,
                warnings: m.warnings,
            }),
            Err(f) => Loaded::Failed(f.problems),
        };
    }
    let index = LineIndex::new(text);
    let yaml = name.ends_with(".yaml")
        || name.ends_with(".yml")
        || (!text.trim_start().starts_with('{') && !name.ends_with(".json"));
    let (root, json_value) = if yaml {
        match doc::from_yaml(text) {
            Ok(n) => (n, None),
            Err(e) => return Loaded::Failed(vec![Problem::new(e.pos, format!("not valid YAML: {}", e.message))]),
        }
    } else {
        match json::parse(text) {
            Ok(v) => (doc::from_json(&v, text, &index), Some(v)),
            Err(e) => {
                return Loaded::Failed(vec![Problem::new(
                    pos_of(text, &index, e.span.start),
                    format!("not valid JSON: {}", e.message),
                )])
            }
        }
    };
    let has = |k: &str| root.get(k).is_some();
    if has("Statement") {
        return load_policy_file(text, &index, &root, json_value.as_ref());
    }
    if has("Resources") || has("AWSTemplateFormatVersion") {
        let mut problems = Vec::new();
        let targets = Template::new(&root).targets(&mut problems);
        if !problems.is_empty() {
            return Loaded::Failed(problems);
        }
        let warnings = policy_warnings(&targets);
        return Loaded::Input(Input {
            kind: FileKind::CloudFormation,
            targets,
            warnings,
        });
    }
    if has("format_version") && (has("planned_values") || has("resource_changes") || has("terraform_version")) {
        let mut problems = Vec::new();
        let targets = terraform(&root, &mut problems);
        if !problems.is_empty() {
            return Loaded::Failed(problems);
        }
        let warnings = policy_warnings(&targets);
        return Loaded::Input(Input {
            kind: FileKind::TerraformPlan,
            targets,
            warnings,
        });
    }
    Loaded::NotOurs(Problem::new(
        root.pos,
        "neither an IAM policy (no `Statement`), a CloudFormation template (no `Resources`) nor a Terraform plan (no `format_version` and `planned_values`)",
    ))
}

/// Catalog findings for policies embedded in templates, at the policy's position.
fn policy_warnings(targets: &[Target]) -> Vec<(Pos, Diagnostic)> {
    let mut out = Vec::new();
    for t in targets {
        if let Target::Policy { policy, node } = t {
            for d in veto_iam::validate::validate(policy) {
                out.push((node.pos, d));
            }
        }
    }
    out
}

fn load_policy_file(text: &str, index: &LineIndex, root: &Node, json_value: Option<&json::JsonValue>) -> Loaded {
    let parsed = match json_value {
        Some(v) => Policy::from_json(v),
        None => Policy::parse(&cfn::policy_text(root)),
    };
    let at = |d: &Diagnostic| {
        if json_value.is_some() {
            pos_of(text, index, d.span.start)
        } else {
            root.pos
        }
    };
    let policy = match parsed {
        Ok(p) => p,
        Err(e) => return Loaded::Failed(e.errors().map(|d| Problem::new(at(d), d.to_string())).collect()),
    };
    let mut warnings: Vec<(Pos, Diagnostic)> = policy.warnings.iter().map(|d| (at(d), d.clone())).collect();
    warnings.extend(veto_iam::validate::validate(&policy).into_iter().map(|d| (at(&d), d)));
    let mut targets = Vec::new();
    // A policy whose statements carry Principal and name S3 ARNs is a bucket policy
    // for the buckets those ARNs name.
    if policy.statements.iter().any(|s| s.principal.is_some()) {
        let mut buckets: Vec<String> = Vec::new();
        for s in &policy.statements {
            for r in s.resource.iter().flat_map(|r| r.patterns.iter()) {
                if let Some(rest) = r.text.strip_prefix("arn:aws:s3:::") {
                    let bucket = rest.split('/').next().unwrap_or("");
                    if !bucket.is_empty() && !bucket.contains(['*', '?', '$']) && !buckets.iter().any(|b| b == bucket) {
                        buckets.push(bucket.to_string());
                    }
                }
            }
        }
        for b in buckets {
            targets.push(Target::BucketPolicy {
                bucket_arn: format!("arn:aws:s3:::{b}"),
                policy: policy.clone(),
                node: root.clone(),
            });
        }
    }
    targets.push(Target::Policy {
        policy,
        node: root.clone(),
    });
    Loaded::Input(Input {
        kind: FileKind::Policy,
        targets,
        warnings,
    })
}

/// Terraform resources in a plan's `planned_values`, modules included.
fn plan_resources(module: &Node, out: &mut Vec<Node>) {
    out.extend(
        module
            .get("resources")
            .map(Node::as_list)
            .unwrap_or_default()
            .iter()
            .cloned(),
    );
    for child in module.get("child_modules").map(Node::as_list).unwrap_or_default() {
        plan_resources(child, out);
    }
}

fn str_node(text: &str, pos: Pos) -> Node {
    Node::new(Value::Str(text.into()), pos)
}

/// Maps a plan's resources onto the CloudFormation shapes the rules read.
fn terraform(root: &Node, problems: &mut Vec<Problem>) -> Vec<Target> {
    let mut resources = Vec::new();
    if let Some(module) = root.get("planned_values").and_then(|p| p.get("root_module")) {
        plan_resources(module, &mut resources);
    }
    let values = |r: &Node| {
        r.get("values")
            .cloned()
            .unwrap_or_else(|| Node::new(Value::Map(vec![]), r.pos))
    };
    let address = |r: &Node| {
        r.get("address")
            .and_then(Node::as_str)
            .unwrap_or("resource")
            .to_string()
    };
    let unknown = |what: String, pos: Pos| Node::new(Value::Symbolic(what), pos);
    let field = |v: &Node, k: &str, r: &Node| match v.get(k) {
        Some(n) if n.value != Value::Null => n.clone(),
        _ => unknown(format!("{}.{k} (known after apply)", address(r)), r.pos),
    };
    let mut targets = Vec::new();
    let mut bucket_policies: Vec<(String, Policy, Node)> = Vec::new();
    let mut buckets: Vec<String> = Vec::new();
    for r in &resources {
        let v = values(r);
        match r.get("type").and_then(Node::as_str) {
            Some("aws_s3_bucket") => buckets.extend(v.get("bucket").and_then(Node::as_str).map(str::to_string)),
            Some("aws_s3_bucket_policy") => {
                let bucket = v
                    .get("bucket")
                    .and_then(Node::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("veto-bucket-{}", address(r)));
                let Some(text) = v.get("policy").and_then(Node::as_str) else {
                    problems.push(Problem::new(
                        r.pos,
                        format!("{}: the policy is not known in the plan", address(r)),
                    ));
                    continue;
                };
                match Policy::parse(text) {
                    Ok(policy) => {
                        let pos = v.get("policy").map_or(r.pos, |n| n.pos);
                        bucket_policies.push((bucket, policy, str_node(text, pos)));
                    }
                    Err(e) => problems.push(Problem::new(
                        v.get("policy").map_or(r.pos, |n| n.pos),
                        format!("{}.policy: {e}", address(r)),
                    )),
                }
            }
            Some("aws_kms_key") => {
                let mut props = Vec::new();
                for (tf, cfn) in [
                    ("customer_master_key_spec", "KeySpec"),
                    ("key_usage", "KeyUsage"),
                    ("enable_key_rotation", "EnableKeyRotation"),
                ] {
                    if let Some(n) = v.get(tf).filter(|n| n.value != Value::Null) {
                        props.push((cfn.to_string(), n.clone()));
                    }
                }
                let node = cfn::with_symmetric(Node::new(
                    Value::Map(vec![
                        ("Type".into(), str_node("AWS::KMS::Key", r.pos)),
                        ("Properties".into(), Node::new(Value::Map(props), r.pos)),
                    ]),
                    r.pos,
                ));
                targets.push(Target::KmsKey {
                    logical_id: address(r),
                    node: node.clone(),
                });
                targets.push(Target::Resource {
                    type_name: "AWS::KMS::Key".into(),
                    logical_id: address(r),
                    node,
                });
            }
            _ => {}
        }
    }
    let mut pipelines = 0;
    let mut artifact_buckets: Vec<String> = Vec::new();
    for r in &resources {
        if r.get("type").and_then(Node::as_str) != Some("aws_codepipeline") {
            continue;
        }
        pipelines += 1;
        let v = values(r);
        let store = v.get("artifact_store").and_then(|s| s.as_list().first().cloned());
        let mut derived: Vec<(String, Node)> = Vec::new();
        if let Some(store) = &store {
            let location = field(store, "location", r);
            if let Some(name) = location.as_str() {
                artifact_buckets.push(name.to_string());
                if buckets.iter().any(|b| b == name) || bucket_policies.iter().any(|(b, ..)| b == name) {
                    let mut fields = vec![("name".to_string(), location.clone())];
                    if let Some((_, _, doc)) = bucket_policies.iter().find(|(b, ..)| b == name) {
                        fields.push(("policy".into(), doc.clone()));
                    }
                    derived.push(("artifact_bucket".into(), Node::new(Value::Map(fields), location.pos)));
                }
            }
            if let Some(key) = store.get("encryption_key").and_then(|k| k.as_list().first().cloned()) {
                derived.push(("artifact_key".into(), field(&key, "id", r)));
            }
        }
        let own = v
            .get("role_arn")
            .and_then(Node::as_str)
            .and_then(cfn::arn_account)
            .map(str::to_string);
        let mut cross = Value::Bool(false);
        for stage in v.get("stage").map(Node::as_list).unwrap_or_default() {
            for action in stage.get("action").map(Node::as_list).unwrap_or_default() {
                match (
                    action.get("role_arn").and_then(Node::as_str).and_then(cfn::arn_account),
                    &own,
                ) {
                    (Some(a), Some(o)) if a != o => cross = Value::Bool(true),
                    (Some(_), None) if cross == Value::Bool(false) => {
                        cross = Value::Symbolic("the pipeline's account".into())
                    }
                    _ => {}
                }
            }
        }
        derived.push(("cross_account".into(), Node::new(cross, r.pos)));
        let mut node = r.clone();
        if let Value::Map(entries) = &mut node.value {
            entries.extend(derived);
        }
        targets.push(Target::Pipeline {
            logical_id: address(r),
            node,
        });
    }
    for (bucket, policy, node) in bucket_policies {
        if pipelines == 0 || artifact_buckets.contains(&bucket) {
            targets.push(Target::BucketPolicy {
                bucket_arn: format!("arn:aws:s3:::{bucket}"),
                policy: policy.clone(),
                node: node.clone(),
            });
        }
        targets.push(Target::Policy { policy, node });
    }
    targets
}
