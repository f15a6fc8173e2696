//! Reading one input file: detecting its kind from its content (IAM policy,
//! CloudFormation template in JSON or YAML, Terraform plan JSON) and finding its
//! targets.

use crate::cfn::{self, Template};
use crate::cli_output;
use crate::doc::{self, Node, Origin, Pos, StandIns, Symbolic, Value};
use crate::targets::Target;
use crate::Problem;
use veto_iam::{json, Diagnostic, LineIndex, Policy};

pub use crate::limits::MAX_INPUT_BYTES;

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
    /// For AWS CLI output, which command's output and the member the policy is in.
    pub wrapper: Option<&'static str>,
    /// The stand-ins chosen for symbolic values, to write messages in the user's names.
    pub stand_ins: StandIns,
    /// A template's parameter names (for checking `--parameter` names).
    pub parameters: Vec<String>,
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
    load_with(name, text, &[])
}

/// [`load`], with values for template parameters (`KEY`, `VALUE`; later wins).
pub fn load_with(name: &str, text: &str, parameters: &cfn::Parameters) -> Loaded {
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
                wrapper: None,
                stand_ins: StandIns::default(),
                parameters: Vec::new(),
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
    let file_pos = |offset: usize| pos_of(text, &index, offset);
    if has("Statement") {
        return load_policy(&root, json_value.as_ref(), &file_pos);
    }
    if let Some(wrapped) = json_value.as_ref().and_then(cli_output::unwrap) {
        return load_wrapped(text, &wrapped, &file_pos);
    }
    if has("Resources") || has("AWSTemplateFormatVersion") {
        let mut problems = Vec::new();
        let template = Template::with_parameters(&root, parameters);
        let (targets, warnings) = template.read(&mut problems);
        if !problems.is_empty() {
            return Loaded::Failed(problems);
        }
        return Loaded::Input(Input {
            kind: FileKind::CloudFormation,
            targets,
            warnings,
            wrapper: None,
            stand_ins: template.stand_ins(),
            parameters: template.parameter_names(),
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
            wrapper: None,
            stand_ins: StandIns::default(),
            parameters: Vec::new(),
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

/// The policy inside an AWS CLI output, positioned in the file (inside the
/// `Policy` string too).
fn load_wrapped(text: &str, wrapped: &cli_output::Wrapped, file_pos: &dyn Fn(usize) -> Pos) -> Loaded {
    let mut loaded = match wrapped.document {
        cli_output::Document::Inline(v) => load_policy(&doc::from_json_at(v, file_pos), Some(v), file_pos),
        cli_output::Document::Text(v) => {
            let inner = v.as_str().unwrap_or_default();
            // The literal as written in the file: from the opening quote to the closing one.
            let start = v.span.start;
            let raw = text.get(v.span.start..v.span.end).unwrap_or_default();
            let offsets = cli_output::decoded_offsets(raw);
            let at = |offset: usize| cli_output::position_in_literal(&offsets, start, offset, file_pos);
            match json::parse(inner) {
                Ok(parsed) => load_policy(&doc::from_json_at(&parsed, &at), Some(&parsed), &at),
                Err(e) => {
                    return Loaded::Failed(vec![Problem::new(
                        at(e.span.start),
                        format!("{}: not valid JSON: {}", wrapped.wrapper, e.message),
                    )])
                }
            }
        }
    };
    match &mut loaded {
        Loaded::Input(input) => input.wrapper = Some(wrapped.wrapper),
        Loaded::Failed(problems) => {
            for p in problems {
                p.message = format!("{}: {}", wrapped.wrapper, p.message);
            }
        }
        Loaded::NotOurs(_) => {}
    }
    loaded
}

fn load_policy(root: &Node, json_value: Option<&json::JsonValue>, file_pos: &dyn Fn(usize) -> Pos) -> Loaded {
    // JSON is read as written; YAML through its tree, with positions mapped back.
    let (parsed, yaml_doc) = match json_value {
        Some(v) => (Policy::from_json(v), None),
        None => {
            let doc = crate::policy_doc::policy_doc(root, &mut StandIns::default());
            (doc.parse(), Some(doc))
        }
    };
    let at = |d: &Diagnostic| match &yaml_doc {
        None => file_pos(d.span.start),
        Some(t) => t.pos(d.span.start),
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
        wrapper: None,
        stand_ins: StandIns::default(),
        parameters: Vec::new(),
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
    let unknown = |what: String, pos: Pos| Node::new(Value::Symbolic(Symbolic::new(Origin::Computed, what)), pos);
    let field = |v: &Node, k: &str, r: &Node| match v.get(k) {
        Some(n) if n.value != Value::Null => n.clone(),
        _ => unknown(format!("{}.{k}", address(r)), r.pos),
    };
    let mut targets = Vec::new();
    let mut bucket_policies: Vec<(String, Policy, Node)> = Vec::new();
    let mut computed_policies: Vec<(String, String, Pos)> = Vec::new();
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
                    .unwrap_or_else(|| format!("<{}.bucket>", address(r)));
                // A policy computed at apply time (`after_unknown`) is not wrong,
                // just not known: its bucket rules cannot be decided.
                let Some(text) = v.get("policy").and_then(Node::as_str) else {
                    computed_policies.push((
                        bucket,
                        format!("{}.policy is known only after apply", address(r)),
                        r.pos,
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
                        cross = Value::Symbolic(Symbolic::new(Origin::Computed, format!("{}.role_arn", address(r))))
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
    for (bucket, reason, pos) in computed_policies {
        if pipelines == 0 || artifact_buckets.contains(&bucket) {
            targets.push(Target::UndecidedPolicy {
                bucket_arn: format!("arn:aws:s3:::{bucket}"),
                reason,
                node: Node::new(Value::Map(Vec::new()), pos),
            });
        }
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
