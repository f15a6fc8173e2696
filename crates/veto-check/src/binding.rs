//! The tree a rule's binding reads, and reading a rule's paths (`p.Properties.X`)
//! in it: shared by lowering to proofs, `require` evaluation and explanations.

use crate::doc::{Node, Value};
use crate::targets::Target;
use veto_lang::ast::{self, PathSegment};

/// The tree a rule's binding reads: the target's node, plus `bucket` for bucket policies.
pub(crate) fn binding_node(target: &Target) -> Node {
    match target {
        Target::BucketPolicy { bucket_arn, node, .. } | Target::BranchedPolicy { bucket_arn, node, .. } => {
            let mut n = node.clone();
            if let Value::Map(entries) = &mut n.value {
                entries.push(("bucket".into(), Node::new(Value::Str(bucket_arn.clone()), node.pos)));
            } else {
                n = Node::new(
                    Value::Map(vec![(
                        "bucket".into(),
                        Node::new(Value::Str(bucket_arn.clone()), node.pos),
                    )]),
                    node.pos,
                );
            }
            n
        }
        t => t.node().clone(),
    }
}

/// What a path reads in a document tree.
pub(crate) enum Lookup<'n> {
    Found(&'n Node),
    Missing,
    Unknown(String),
}

pub(crate) fn lookup<'n>(root: &'n Node, path: &ast::Path) -> Lookup<'n> {
    let mut node = root;
    for segment in &path.segments {
        if let Value::Symbolic(d) = &node.value {
            return Lookup::Unknown(d.to_string());
        }
        let next = match segment {
            PathSegment::Field(f) => node.get(f),
            PathSegment::Index(i) => node.as_list().get(*i),
        };
        match next {
            Some(n) => node = n,
            None => return Lookup::Missing,
        }
    }
    match &node.value {
        Value::Symbolic(d) => Lookup::Unknown(d.to_string()),
        Value::Null => Lookup::Missing,
        _ => Lookup::Found(node),
    }
}

/// A path as the rule wrote it (`p.Properties.X[0]`).
pub(crate) fn path_text(p: &ast::Path) -> String {
    let mut out = p.root.node.clone();
    for s in &p.segments {
        match s {
            PathSegment::Field(f) => {
                out.push('.');
                out.push_str(f);
            }
            PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
