//! CloudFormation templates: resolving intrinsics as far as the template (and the
//! parameters given) allows, evaluating `Conditions`, and finding the policies,
//! pipelines and keys the rules apply to.
//!
//! What the template does not fix stays a [`Symbolic`] value named as the user
//! wrote it (parameter `DevAccount`, condition `IsProd`); see `doc.rs`.
//!
//! Longer than 600 lines on purpose: CloudFormation's intrinsic functions
//! (`Ref`, `Fn::Sub`, `Fn::If`, `Fn::Join`, `Fn::GetAtt`, conditions…) are one
//! resolver with one set of symbolic values, and each function's rules read best
//! next to the others'.

use crate::doc::{Node, Origin, Pos, StandIns, Symbolic, Value};
use crate::policy_doc::{self, PolicyDoc};
use crate::targets::{Target, TEMPLATE_ACCOUNT};
use crate::Problem;
use std::cell::RefCell;
use veto_iam::{Diagnostic, Policy};

/// Parameter values given on the command line (`--parameter`, `--parameters`).
pub type Parameters = [(String, String)];

pub struct Template<'n> {
    root: &'n Node,
    parameters: &'n Parameters,
    stand_ins: RefCell<StandIns>,
    /// Conditions being evaluated, to stop a cycle.
    evaluating: RefCell<Vec<String>>,
    /// Truths assumed for undecided conditions, to read each branch of a document.
    assumed: RefCell<Vec<(String, bool)>>,
}

/// At most this many undecided conditions in one policy document are read
/// branch by branch (2^n branches); past it the document is undecided.
const MAX_BRANCH_CONDITIONS: usize = 4;

fn s(text: impl Into<String>, pos: Pos) -> Node {
    Node::new(Value::Str(text.into()), pos)
}

fn symbolic(origin: Origin, name: impl Into<String>, pos: Pos) -> Node {
    Node::new(Value::Symbolic(Symbolic::new(origin, name)), pos)
}

/// The name a resource gets when the template does not name it: its logical ID
/// in angle brackets, the same everywhere in the template.
fn stand_in(id: &str) -> String {
    format!("<{id}>")
}

/// A policy document found in a template.
pub struct EmbeddedPolicy {
    /// `ArtifactBucketPolicy.PolicyDocument`, `PipelineRole.Policies[0].PolicyDocument`.
    pub path: String,
    pub node: Node,
}

/// Which bucket a `Bucket` or `Location` names: the same value means the same bucket.
#[derive(Debug, Clone, PartialEq)]
enum BucketKey {
    /// A bucket the template defines (by logical ID).
    Defined(String),
    /// A bucket outside the template, by its name or symbolic value.
    Outside(Value),
}

impl<'n> Template<'n> {
    pub fn new(root: &'n Node) -> Self {
        Template::with_parameters(root, &[])
    }

    pub fn with_parameters(root: &'n Node, parameters: &'n Parameters) -> Self {
        Template {
            root,
            parameters,
            stand_ins: RefCell::new(StandIns::default()),
            evaluating: RefCell::new(Vec::new()),
            assumed: RefCell::new(Vec::new()),
        }
    }

    /// The stand-ins used so far, to write messages back in the user's names.
    pub fn stand_ins(&self) -> StandIns {
        self.stand_ins.borrow().clone()
    }

    /// The names of the template's parameters.
    pub fn parameter_names(&self) -> Vec<String> {
        self.root
            .get("Parameters")
            .map(|p| p.entries().iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default()
    }

    /// The template's resources, without those whose `Condition` is false.
    fn resources(&self) -> Vec<&'n (String, Node)> {
        self.root
            .get("Resources")
            .map_or(&[][..], |r| r.entries())
            .iter()
            .filter(|(_, r)| {
                r.get("Condition")
                    .and_then(Node::as_str)
                    .is_none_or(|c| self.condition(c) != Some(false))
            })
            .collect()
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
        let name_prop = match ty {
            "AWS::S3::Bucket" => Some("BucketName"),
            "AWS::IAM::Role" => Some("RoleName"),
            _ => None,
        };
        match name_prop.and_then(named) {
            Some(n) if matches!(n.value, Value::Str(_) | Value::Symbolic(_)) => n,
            _ => s(stand_in(id), pos),
        }
    }

    fn get_att(&self, id: &str, attr: &str, pos: Pos) -> Node {
        let name = self.ref_resource(id, pos);
        let name = self.text_in(&name, "").unwrap_or_default();
        match (self.type_of(id), attr) {
            (Some("AWS::S3::Bucket"), "Arn") => s(format!("arn:aws:s3:::{name}"), pos),
            (Some("AWS::KMS::Key"), "Arn") => s(format!("arn:aws:kms:us-east-1:{TEMPLATE_ACCOUNT}:key/{name}"), pos),
            (Some("AWS::KMS::Key"), "KeyId") => s(name, pos),
            (Some("AWS::IAM::Role"), "Arn") => s(format!("arn:aws:iam::{TEMPLATE_ACCOUNT}:role/{name}"), pos),
            _ => symbolic(Origin::Attribute, format!("{id}.{attr}"), pos),
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
                    let list = p
                        .get("Type")
                        .and_then(Node::as_str)
                        .is_some_and(|t| t == "CommaDelimitedList" || t.starts_with("List<"));
                    let given = self.parameters.iter().rev().find(|(k, _)| k == name);
                    let value = match (given, p.get("Default")) {
                        (Some((_, v)), _) => s(v.clone(), pos),
                        (None, Some(d)) => self.resolve(d),
                        (None, None) => return symbolic(Origin::Parameter, name, pos),
                    };
                    return match (&value.value, list) {
                        (Value::Str(t), true) => {
                            Node::new(Value::List(t.split(',').map(|p| s(p.trim(), pos)).collect()), pos)
                        }
                        _ => value,
                    };
                }
                if self.resource(name).is_some() {
                    return self.ref_resource(name, pos);
                }
                symbolic(Origin::Import, format!("{name} (not defined in the template)"), pos)
            }
        }
    }

    /// Text for string building; `before` is the text built so far, so a symbolic
    /// value in an ARN's account field gets a fresh account number.
    fn text_in(&self, node: &Node, before: &str) -> Option<String> {
        match &self.resolve(node).value {
            Value::Str(t) => Some(t.clone()),
            Value::Number(n) => Some(n.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Symbolic(sym) if in_account_slot(before) => Some(self.stand_ins.borrow_mut().account(sym)),
            Value::Symbolic(sym) => Some(self.stand_ins.borrow_mut().text(sym)),
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
            let name = after[..end].trim();
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let value = if let Some((_, v)) = vars.iter().find(|(k, _)| k == name) {
                self.text_in(v, &out)
            } else if let Some((id, attr)) = name.split_once('.').filter(|_| !name.starts_with("AWS::")) {
                self.text_in(&self.get_att(id, attr, pos), &out)
            } else {
                self.text_in(&self.reference(name, pos), &out)
            };
            let value = value.unwrap_or_default();
            out.push_str(&value);
        }
        out.push_str(rest);
        s(out, pos)
    }

    /// A condition's truth: `None` when it depends on what the template does not fix.
    pub fn condition(&self, name: &str) -> Option<bool> {
        if let Some((_, b)) = self.assumed.borrow().iter().find(|(n, _)| n == name) {
            return Some(*b);
        }
        if self.evaluating.borrow().iter().any(|n| n == name) {
            return None;
        }
        let node = self.root.get("Conditions")?.get(name)?;
        self.evaluating.borrow_mut().push(name.to_string());
        let value = self.truth(node);
        self.evaluating.borrow_mut().pop();
        value
    }

    /// The truth of a condition function.
    fn truth(&self, node: &Node) -> Option<bool> {
        let (name, arg) = match node.entries() {
            [(name, arg)] => (name.as_str(), arg),
            _ => return None,
        };
        match name {
            "Condition" => self.condition(arg.as_str()?),
            "Fn::Not" => match arg.as_list() {
                [x] => self.truth(x).map(|b| !b),
                _ => None,
            },
            "Fn::And" | "Fn::Or" => {
                let and = name == "Fn::And";
                let mut unknown = false;
                for x in arg.as_list() {
                    match self.truth(x) {
                        Some(b) if b != and => return Some(b),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                (!unknown).then_some(and)
            }
            "Fn::Equals" => match arg.as_list() {
                [a, b] => {
                    let (a, b) = (self.resolve(a), self.resolve(b));
                    match (scalar(&a), scalar(&b)) {
                        (Some(a), Some(b)) => Some(a == b),
                        _ if a.value == b.value && !matches!(a.value, Value::Symbolic(_)) => Some(true),
                        _ if contains_symbolic(&a) || contains_symbolic(&b) => None,
                        _ => Some(a.value == b.value),
                    }
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// Resolves intrinsic functions as far as the template allows.
    pub fn resolve(&self, node: &Node) -> Node {
        let pos = node.pos;
        match &node.value {
            Value::Map(entries) if entries.len() == 1 && is_intrinsic(&entries[0].0) => {
                let (name, arg) = (&entries[0].0, &entries[0].1);
                let unmodelled = || symbolic(Origin::Attribute, name.clone(), pos);
                match name.as_str() {
                    "Ref" => match arg.as_str() {
                        Some(target) => self.reference(target, pos),
                        None => unmodelled(),
                    },
                    "Fn::GetAtt" => match arg.as_list() {
                        [a, b] => match (a.as_str(), self.resolve(b).as_str()) {
                            (Some(a), Some(b)) => self.get_att(a, b, pos),
                            _ => unmodelled(),
                        },
                        _ => match arg.as_str().and_then(|t| t.split_once('.')) {
                            Some((a, b)) => self.get_att(a, b, pos),
                            None => unmodelled(),
                        },
                    },
                    "Fn::ImportValue" => match self.resolve(arg).value {
                        Value::Str(export) => symbolic(Origin::Import, export, pos),
                        _ => symbolic(Origin::Import, "Fn::ImportValue", pos),
                    },
                    "Fn::If" => match arg.as_list() {
                        [cond, yes, no] => match cond.as_str().map(|c| (c, self.condition(c))) {
                            Some((_, Some(true))) => self.resolve(yes),
                            Some((_, Some(false))) => self.resolve(no),
                            Some((c, None)) => {
                                // Both branches alike: the condition does not matter.
                                let (yes, no) = (self.resolve(yes), self.resolve(no));
                                if same_value(&yes, &no) {
                                    yes
                                } else {
                                    symbolic(Origin::Condition, c, pos)
                                }
                            }
                            None => unmodelled(),
                        },
                        _ => unmodelled(),
                    },
                    "Fn::Sub" => match &arg.value {
                        Value::Str(t) => self.sub(t, &[], pos),
                        Value::List(items) if items.len() == 2 => match items[0].as_str() {
                            Some(t) => self.sub(t, items[1].entries(), pos),
                            None => unmodelled(),
                        },
                        _ => unmodelled(),
                    },
                    "Fn::Join" => match arg.as_list() {
                        [delimiter, parts] => {
                            let delimiter = self.text_in(delimiter, "").unwrap_or_default();
                            let parts = self.resolve(parts);
                            let mut out = String::new();
                            for (i, p) in parts.as_list().iter().enumerate() {
                                if i > 0 {
                                    out.push_str(&delimiter);
                                }
                                match self.text_in(p, &out) {
                                    Some(t) => out.push_str(&t),
                                    None => return unmodelled(),
                                }
                            }
                            match parts.value {
                                Value::List(_) => s(out, pos),
                                _ => unmodelled(),
                            }
                        }
                        _ => unmodelled(),
                    },
                    "Fn::Select" => match arg.as_list() {
                        [index, list] => {
                            let list = self.resolve(list);
                            match self.text_in(index, "").and_then(|i| i.parse::<usize>().ok()) {
                                Some(i) if i < list.as_list().len() => self.resolve(&list.as_list()[i]),
                                _ => unmodelled(),
                            }
                        }
                        _ => unmodelled(),
                    },
                    "Fn::Split" => match arg.as_list() {
                        [delimiter, text] => match (self.text_in(delimiter, ""), self.resolve(text).as_str()) {
                            (Some(d), Some(t)) if !d.is_empty() => {
                                Node::new(Value::List(t.split(d.as_str()).map(|p| s(p, pos)).collect()), pos)
                            }
                            _ => unmodelled(),
                        },
                        _ => unmodelled(),
                    },
                    "Fn::FindInMap" => match arg.as_list() {
                        [map, top, second, ..] => {
                            let keys = (self.text_in(map, ""), self.text_in(top, ""), self.text_in(second, ""));
                            let found = match keys {
                                (Some(m), Some(t), Some(k)) => self
                                    .root
                                    .get("Mappings")
                                    .and_then(|ms| ms.get(&m))
                                    .and_then(|x| x.get(&t))
                                    .and_then(|x| x.get(&k)),
                                _ => None,
                            };
                            found.map_or_else(unmodelled, |n| self.resolve(n))
                        }
                        _ => unmodelled(),
                    },
                    _ => unmodelled(),
                }
            }
            // `AWS::NoValue` (directly or through `Fn::If`) removes the property or item.
            Value::Map(entries) => Node::new(
                Value::Map(
                    entries
                        .iter()
                        .filter_map(|(k, v)| {
                            let r = self.resolve(v);
                            (!(is_intrinsic_node(v) && r.value == Value::Null)).then(|| (k.clone(), r))
                        })
                        .collect(),
                ),
                pos,
            ),
            Value::List(items) => Node::new(
                Value::List(
                    items
                        .iter()
                        .filter_map(|i| {
                            let r = self.resolve(i);
                            (!(is_intrinsic_node(i) && r.value == Value::Null)).then_some(r)
                        })
                        .collect(),
                ),
                pos,
            ),
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

    /// The bucket a node names, and its name as text (a stand-in when symbolic).
    /// `None` when the node is itself undecided (an `Fn::If` whose branches
    /// name different buckets): then the node's symbolic value is returned.
    fn bucket_of(&self, node: &Node) -> Result<(BucketKey, String), Node> {
        if let Some(id) = self
            .referenced_id(node)
            .filter(|id| self.type_of(id) == Some("AWS::S3::Bucket"))
        {
            let name = self.text_in(&self.ref_resource(&id, node.pos), "").unwrap_or_default();
            return Ok((BucketKey::Defined(id), name));
        }
        let resolved = self.resolve(node);
        let value = match &resolved.value {
            Value::Str(t) => Value::Str(bucket_name(t).to_string()),
            Value::Symbolic(sym) if sym.origin == Origin::Condition => return Err(resolved),
            Value::Symbolic(_) => resolved.value.clone(),
            _ => return Err(resolved),
        };
        // A template bucket whose BucketName is the same value.
        let defined = self.resources().into_iter().find_map(|(rid, r)| {
            (r.get("Type")?.as_str()? == "AWS::S3::Bucket"
                && self.property(rid, "BucketName").map(|n| self.resolve(n).value) == Some(value.clone()))
            .then(|| rid.clone())
        });
        let name = self
            .text_in(&Node::new(value.clone(), node.pos), "")
            .unwrap_or_default();
        Ok((defined.map_or(BucketKey::Outside(value), BucketKey::Defined), name))
    }

    /// Every policy document in the template, where it is.
    pub fn policies(&self) -> Vec<EmbeddedPolicy> {
        let mut out = Vec::new();
        for (id, r) in self.resources() {
            let props = r.get("Properties");
            let ty = r.get("Type").and_then(Node::as_str).unwrap_or_default();
            let mut take = |path: String, node: Option<&Node>| {
                if let Some(node) = node {
                    out.push(EmbeddedPolicy {
                        path,
                        node: node.clone(),
                    });
                }
            };
            let prop = |name: &str| props.and_then(|p| p.get(name));
            match ty {
                "AWS::S3::BucketPolicy"
                | "AWS::IAM::ManagedPolicy"
                | "AWS::IAM::Policy"
                | "AWS::SQS::QueuePolicy"
                | "AWS::SNS::TopicPolicy" => take(format!("{id}.PolicyDocument"), prop("PolicyDocument")),
                "AWS::KMS::Key" => take(format!("{id}.KeyPolicy"), prop("KeyPolicy")),
                "AWS::IAM::Role" => take(
                    format!("{id}.AssumeRolePolicyDocument"),
                    prop("AssumeRolePolicyDocument"),
                ),
                _ => {}
            }
            if matches!(ty, "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group") {
                for (i, p) in prop("Policies")
                    .map(Node::as_list)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    take(format!("{id}.Policies[{i}].PolicyDocument"), p.get("PolicyDocument"));
                }
            }
        }
        out
    }

    /// A document as a policy, with its text's map back into the template.
    fn read_policy(&self, node: &Node) -> (Result<Policy, veto_iam::PolicyError>, PolicyDoc, Node) {
        let mut resolved = self.resolve(node);
        // CloudFormation also takes a policy document as a JSON string (`|` block).
        if let Some(json) = resolved.as_str().and_then(|t| veto_iam::json::parse(t).ok()) {
            let text = resolved.as_str().unwrap_or_default().to_string();
            let index = veto_iam::LineIndex::new(&text);
            // A block scalar starts on the line after its key; columns are the text's own.
            let at = |offset: usize| {
                let lc = index.line_col(&text, offset);
                Pos {
                    line: node.pos.line + lc.line,
                    column: lc.column,
                }
            };
            resolved = crate::doc::from_json_at(&json, &at);
        }
        let doc = policy_doc::policy_doc(&resolved, &mut self.stand_ins.borrow_mut());
        (doc.parse(), doc, resolved)
    }

    /// The conditions of the `Fn::If`s in a node that the template does not decide.
    fn undecided_conditions(&self, node: &Node, out: &mut Vec<String>) {
        match &node.value {
            Value::Map(entries) => {
                if let [(name, arg)] = entries.as_slice() {
                    if name == "Fn::If" {
                        if let Some(c) = arg.as_list().first().and_then(Node::as_str) {
                            if self.condition(c).is_none() && !out.iter().any(|o| o == c) {
                                out.push(c.to_string());
                            }
                        }
                    }
                }
                entries.iter().for_each(|(_, v)| self.undecided_conditions(v, out));
            }
            Value::List(items) => items.iter().for_each(|i| self.undecided_conditions(i, out)),
            _ => {}
        }
    }

    /// A document read once per assignment of its undecided conditions; `None`
    /// when there are none, too many, or a branch is not a policy.
    fn read_branches(&self, node: &Node) -> Option<Vec<(String, Policy, PolicyDoc)>> {
        let mut conditions = Vec::new();
        self.undecided_conditions(node, &mut conditions);
        if conditions.is_empty() || conditions.len() > MAX_BRANCH_CONDITIONS {
            return None;
        }
        let mut branches = Vec::new();
        for mask in 0..(1u32 << conditions.len()) {
            let assignment: Vec<(String, bool)> = conditions
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), mask & (1 << i) != 0))
                .collect();
            *self.assumed.borrow_mut() = assignment.clone();
            let (parsed, text, _) = self.read_policy(node);
            self.assumed.borrow_mut().clear();
            let words: Vec<String> = assignment.iter().map(|(c, b)| format!("{c} is {b}")).collect();
            branches.push((words.join(" and "), parsed.ok()?, text));
        }
        Some(branches)
    }

    pub fn targets(&self, problems: &mut Vec<Problem>) -> Vec<Target> {
        self.read(problems).0
    }

    /// The targets, and the catalog findings of every policy document with their
    /// positions in the template.
    pub fn read(&self, problems: &mut Vec<Problem>) -> (Vec<Target>, Vec<(Pos, Diagnostic)>) {
        let mut out = Vec::new();
        let mut warnings = Vec::new();
        let resources = self.resources();
        let of_type = |t: &'static str| {
            resources
                .iter()
                .copied()
                .filter(move |(_, r)| r.get("Type").and_then(Node::as_str) == Some(t))
        };

        // Every policy document: catalog findings, and bucket policies by bucket.
        /// What a bucket policy document is: one policy, one per branch of its
        /// undecided conditions, or not known (why).
        enum Shape {
            One(Policy),
            Branches(Vec<(String, Policy)>),
            Unknown(String),
        }
        struct BucketPolicy {
            key: BucketKey,
            name: String,
            policy: Shape,
            node: Node,
        }
        let mut bucket_policies: Vec<BucketPolicy> = Vec::new();
        for embedded in self.policies() {
            let (parsed, text, resolved) = self.read_policy(&embedded.node);
            let node = Node {
                pos: embedded.node.pos,
                ..resolved.clone()
            };
            let policy = match parsed {
                Ok(policy) => {
                    for d in policy
                        .warnings
                        .iter()
                        .cloned()
                        .chain(veto_iam::validate::validate(&policy))
                    {
                        warnings.push((text.pos(d.span.start), d));
                    }
                    out.push(Target::Policy {
                        policy: policy.clone(),
                        node: node.clone(),
                    });
                    Shape::One(policy)
                }
                // A document shaped by a condition the template does not decide
                // (a statement under `Fn::If`) is not wrong, just not known: read
                // it on each branch.
                Err(_) if !symbols(&resolved).is_empty() => match self.read_branches(&embedded.node) {
                    Some(branches) => {
                        for (_, policy, text) in &branches {
                            for d in policy
                                .warnings
                                .iter()
                                .cloned()
                                .chain(veto_iam::validate::validate(policy))
                            {
                                let at = text.pos(d.span.start);
                                if !warnings.iter().any(|(p, w)| *p == at && w.message == d.message) {
                                    warnings.push((at, d));
                                }
                            }
                        }
                        Shape::Branches(branches.into_iter().map(|(w, p, _)| (w, p)).collect())
                    }
                    None => Shape::Unknown(format!(
                        "{} depends on {}",
                        embedded.path,
                        symbols(&resolved).join(", ")
                    )),
                },
                Err(e) => {
                    for d in e.errors() {
                        problems.push(Problem::new(text.pos(d.span.start), format!("{}: {d}", embedded.path)));
                    }
                    continue;
                }
            };
            let resource = embedded.path.split('.').next().unwrap_or_default();
            if self.type_of(resource) == Some("AWS::S3::BucketPolicy") {
                let Some(bucket) = self.property(resource, "Bucket") else {
                    problems.push(Problem::new(
                        embedded.node.pos,
                        format!("{resource}: AWS::S3::BucketPolicy needs Bucket"),
                    ));
                    continue;
                };
                match self.bucket_of(bucket) {
                    Ok((key, name)) => bucket_policies.push(BucketPolicy {
                        key,
                        name,
                        policy,
                        node,
                    }),
                    Err(unknown) => bucket_policies.push(BucketPolicy {
                        key: BucketKey::Outside(unknown.value.clone()),
                        name: self.text_in(&unknown, "").unwrap_or_default(),
                        policy,
                        node,
                    }),
                }
            }
        }

        // Pipelines with their derived fields.
        let mut artifact_buckets: Vec<BucketKey> = Vec::new();
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
            if let Some(location) = stores.first().and_then(|s| s.get("Location")) {
                match self.bucket_of(location) {
                    Ok((key, name)) => {
                        let policy = bucket_policies.iter().find(|b| b.key == key);
                        artifact_buckets.push(key.clone());
                        // A bucket outside the template may have its policy elsewhere:
                        // it is an artifact bucket here only when its policy is.
                        if matches!(key, BucketKey::Defined(_)) || policy.is_some() {
                            let mut fields = vec![("name".to_string(), s(name, location.pos))];
                            if let Some(b) = policy {
                                fields.push(("policy".into(), b.node.clone()));
                            }
                            derived.push(("artifact_bucket".into(), Node::new(Value::Map(fields), location.pos)));
                        }
                    }
                    Err(unknown) => derived.push(("artifact_bucket".into(), unknown)),
                }
            }
            let keys: Vec<Option<&Node>> = stores
                .iter()
                .map(|s| s.get("EncryptionKey").and_then(|k| k.get("Id")))
                .collect();
            if !keys.is_empty() && keys.iter().all(Option::is_some) {
                let key = keys[0].expect("checked");
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
                    let Some(role) = action.get("RoleArn") else { continue };
                    let resolved = self.resolve(role);
                    // An account given by a parameter is another account unless it
                    // is the template's own (`${AWS::AccountId}` resolves to that).
                    let account = match &resolved.value {
                        Value::Str(arn) => arn_account(arn).map(str::to_string),
                        _ => None,
                    };
                    match (account, &resolved.value) {
                        (Some(a), _) if a != own => cross = Value::Bool(true),
                        (Some(_), _) => {}
                        (None, Value::Symbolic(sym)) if cross == Value::Bool(false) => {
                            cross = Value::Symbolic(sym.clone())
                        }
                        _ => {}
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
        for b in bucket_policies {
            if pipelines > 0 && !artifact_buckets.contains(&b.key) {
                continue;
            }
            let bucket_arn = format!("arn:aws:s3:::{}", b.name);
            out.push(match b.policy {
                Shape::One(policy) => Target::BucketPolicy {
                    bucket_arn,
                    policy,
                    node: b.node,
                },
                Shape::Branches(branches) => Target::BranchedPolicy {
                    bucket_arn,
                    branches,
                    node: b.node,
                },
                Shape::Unknown(reason) => Target::UndecidedPolicy {
                    bucket_arn,
                    reason,
                    node: b.node,
                },
            });
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
        for (id, r) in &resources {
            let ty = r.get("Type").and_then(Node::as_str).unwrap_or_default();
            if ty != "AWS::KMS::Key" {
                out.push(Target::Resource {
                    type_name: ty.to_string(),
                    logical_id: id.clone(),
                    node: self.resolve(r),
                });
            }
        }
        (out, warnings)
    }
}

/// `arn:aws:s3:::name` or `name` → `name`.
fn bucket_name(text: &str) -> &str {
    text.strip_prefix("arn:aws:s3:::").unwrap_or(text)
}

/// Is the text built so far an ARN up to its account field (`arn:aws:iam::`)?
/// Then a symbolic value spliced in next is an account ([`StandIns::account`]);
/// for any loader that builds strings from symbolic parts (`!Sub`, HCL `"${var.x}"`).
pub fn in_account_slot(before: &str) -> bool {
    let Some(start) = before.rfind("arn:") else {
        return false;
    };
    let arn = &before[start..];
    arn.matches(':').count() == 4 && arn.ends_with(':') && !arn.contains(char::is_whitespace)
}

fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) | Value::Number(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Equal values, positions aside.
fn same_value(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, a), (l, b))| k == l && same_value(a, b))
        }
        (x, y) => x == y,
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

/// The symbolic values a document depends on, in words, each once.
fn symbols(node: &Node) -> Vec<String> {
    fn walk(node: &Node, out: &mut Vec<String>) {
        match &node.value {
            Value::Symbolic(s) => {
                let s = s.to_string();
                if !out.contains(&s) {
                    out.push(s);
                }
            }
            Value::List(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Map(entries) => entries.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(node, &mut out);
    out
}

fn is_intrinsic(name: &str) -> bool {
    name == "Ref" || name == "Condition" || name.starts_with("Fn::")
}

fn is_intrinsic_node(node: &Node) -> bool {
    matches!(node.entries(), [(name, _)] if is_intrinsic(name))
}

pub fn arn_account(arn: &str) -> Option<&str> {
    arn.split(':').nth(4).filter(|a| veto_source::is_account_id(a))
}

/// Adds the derived `symmetric` field to a KMS key resource (under the node, beside
/// `Properties`): KeySpec absent or SYMMETRIC_DEFAULT, and KeyUsage absent or
/// ENCRYPT_DECRYPT.
pub fn with_symmetric(mut node: Node) -> Node {
    let props = node.get("Properties");
    let field = |name: &str, default: &str| -> Result<bool, Symbolic> {
        match props.and_then(|p| p.get(name)).map(|n| &n.value) {
            None | Some(Value::Null) => Ok(true),
            Some(Value::Str(v)) => Ok(v == default),
            Some(Value::Symbolic(s)) => Err(s.clone()),
            Some(_) => Err(Symbolic::new(Origin::Other, format!("the key's {name}"))),
        }
    };
    let symmetric = match (
        field("KeySpec", "SYMMETRIC_DEFAULT"),
        field("KeyUsage", "ENCRYPT_DECRYPT"),
    ) {
        (Ok(a), Ok(b)) => Value::Bool(a && b),
        (Err(s), _) | (_, Err(s)) => Value::Symbolic(s),
    };
    let pos = node.pos;
    if let Value::Map(entries) = &mut node.value {
        entries.push(("symmetric".into(), Node::new(symmetric, pos)));
    }
    node
}

/// A resolved policy document read as a policy (no JSON text in between);
/// symbolic parts become stand-ins.
pub fn read_policy_tree(node: &Node) -> Result<Policy, veto_iam::PolicyError> {
    policy_doc::policy_doc(node, &mut StandIns::default()).parse()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::from_yaml;
    use crate::targets::TargetKind;

    fn targets(yaml: &str, parameters: &Parameters) -> (Vec<Target>, Vec<(Pos, Diagnostic)>, Vec<Problem>) {
        let root = from_yaml(yaml).unwrap();
        let mut problems = Vec::new();
        let (t, w) = Template::with_parameters(&root, parameters).read(&mut problems);
        (t, w, problems)
    }

    fn bucket_policies(ts: &[Target]) -> Vec<String> {
        ts.iter()
            .filter_map(|t| match t {
                Target::BucketPolicy { bucket_arn, .. } => Some(bucket_arn.clone()),
                Target::UndecidedPolicy { bucket_arn, .. } => Some(format!("undecided {bucket_arn}")),
                Target::BranchedPolicy { bucket_arn, .. } => Some(format!("branched {bucket_arn}")),
                _ => None,
            })
            .collect()
    }

    const CROSS_ACCOUNT: &str = "
Parameters:
  DevAccount: {Type: String}
  S3Bucket: {Type: String}
  Env: {Type: String}
Conditions:
  AlwaysTrue: !Equals ['true', 'true']
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref S3Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub 'arn:aws:iam::${DevAccount}:root'}
            Action: s3:GetObject
            Resource: !Sub 'arn:aws:s3:::${S3Bucket}/*'
          - Effect: Allow
            Principal: {AWS: !Ref DevAccount}
            Action: s3:ListBucket
            Resource: !Sub 'arn:aws:s3:::${S3Bucket}'
            Condition: !If [IsProd, {Bool: {aws:SecureTransport: true}}, !Ref AWS::NoValue]
  Pipeline:
    Type: AWS::CodePipeline::Pipeline
    Properties:
      ArtifactStore:
        Location: !If [AlwaysTrue, !Ref S3Bucket, other]
";

    #[test]
    fn parameters_without_values_are_symbolic_accounts_and_buckets() {
        let (ts, _, problems) = targets(CROSS_ACCOUNT, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        // The bucket named by a parameter is the artifact bucket: same value, same bucket.
        assert_eq!(bucket_policies(&ts), vec!["branched arn:aws:s3:::<S3Bucket>"]);
        let Some(Target::BranchedPolicy { branches, .. }) = ts.iter().find(|t| t.kind() == TargetKind::BucketPolicy)
        else {
            panic!()
        };
        // The statement under `Fn::If` on the undecided IsProd is read on each branch.
        let words: Vec<&str> = branches.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["IsProd is false", "IsProd is true"]);
        assert!(branches[0].1.statements[1].conditions.is_empty());
        assert_eq!(branches[1].1.statements[1].conditions.len(), 1);
    }

    #[test]
    fn parameter_values_and_conditions_decide() {
        let given = [
            ("Env".to_string(), "dev".to_string()),
            ("S3Bucket".to_string(), "artifacts".to_string()),
        ];
        let (ts, _, problems) = targets(CROSS_ACCOUNT, &given);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(bucket_policies(&ts), vec!["arn:aws:s3:::artifacts"]);
        let Some(Target::BucketPolicy { policy, .. }) = ts.iter().find(|t| t.kind() == TargetKind::BucketPolicy) else {
            panic!()
        };
        // Env=dev: IsProd false, the condition is AWS::NoValue and goes away.
        assert!(policy.statements[1].conditions.is_empty());
        // Both references to DevAccount are one fresh account.
        let text = format!("{:?}", policy.statements[0].principal);
        let root = from_yaml(CROSS_ACCOUNT).unwrap();
        let t = Template::with_parameters(&root, &given);
        let _ = t.read(&mut Vec::new());
        let account = t.stand_ins().describe(&text).contains("<DevAccount>");
        assert!(account, "{text}");
        assert_eq!(t.condition("NotProd"), Some(true));
        assert_eq!(t.condition("AlwaysTrue"), Some(true));
    }

    #[test]
    fn every_policy_document_gets_catalog_findings_at_its_position() {
        let yaml = "
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: codebuild.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: lambda:invokeasyc
                Resource: '*'
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}
            Action: kms:*
            Resource: '*'
            Condition: {StringEquals: {kms:CallerAcount: '1'}}
";
        let (ts, warnings, problems) = targets(yaml, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(ts.iter().filter(|t| t.kind() == TargetKind::Policy).count(), 3);
        let lines: Vec<(usize, &str)> = warnings.iter().map(|(p, d)| (p.line, d.code.unwrap_or(""))).collect();
        assert!(lines.contains(&(16, "IAM-UNKNOWN-ACTION")), "{lines:?}");
        assert!(lines.contains(&(27, "IAM-UNKNOWN-KEY")), "{lines:?}");
    }
}
