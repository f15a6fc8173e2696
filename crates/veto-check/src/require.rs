//! `require`: three-valued evaluation of a rule's expression over the target's
//! document tree (a value the input does not fix is unknown, never a pass), and
//! the facts a failing or undecided `require` reports.

use crate::binding::{binding_node, lookup, path_text, Lookup};
use crate::doc::{Node, Pos, Value};
use crate::targets::Target;
use crate::wording::{field_words, target_words};
use veto_lang::ast::{self, CompareOp, Expr, Term};

/// A `require` that does not hold: false, or unknown (undecided).
pub(crate) struct Unmet {
    pub undecided: bool,
    pub pos: Pos,
    pub message: String,
}

/// Three-valued truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    True,
    False,
    Unknown,
}

fn not(t: Truth) -> Truth {
    match t {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

/// A scalar for comparison: strings, numbers and booleans (YAML's "true" included).
fn scalar(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

enum Eval {
    Value(String),
    Missing,
    Unknown,
}

fn eval_value(v: &ast::Value, root: &Node, binding: &str) -> Eval {
    let mut out = String::new();
    for t in &v.terms {
        match &t.node {
            Term::Str(s) => out.push_str(s),
            Term::Number(n) => out.push_str(n),
            Term::Bool(b) => out.push_str(&b.to_string()),
            Term::Path(p) if p.root.node == binding => match lookup(root, p) {
                Lookup::Found(n) => match scalar(n) {
                    Some(s) => out.push_str(&s),
                    None => return Eval::Unknown,
                },
                Lookup::Missing => return Eval::Missing,
                Lookup::Unknown(_) => return Eval::Unknown,
            },
            Term::Path(_) => return Eval::Unknown,
        }
    }
    Eval::Value(out)
}

fn same(a: &str, b: &str) -> bool {
    a == b || (a.eq_ignore_ascii_case("true") && b == "true") || (a.eq_ignore_ascii_case("false") && b == "false")
}

fn eval(e: &Expr, root: &Node, binding: &str) -> Truth {
    match e {
        Expr::Implies(a, b) => match eval(&a.node, root, binding) {
            Truth::False => Truth::True,
            Truth::True => eval(&b.node, root, binding),
            Truth::Unknown => match eval(&b.node, root, binding) {
                Truth::True => Truth::True,
                _ => Truth::Unknown,
            },
        },
        Expr::Or(es) => {
            let mut result = Truth::False;
            for x in es {
                match eval(&x.node, root, binding) {
                    Truth::True => return Truth::True,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::False => {}
                }
            }
            result
        }
        Expr::And(es) => {
            let mut result = Truth::True;
            for x in es {
                match eval(&x.node, root, binding) {
                    Truth::False => return Truth::False,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::True => {}
                }
            }
            result
        }
        Expr::Not(x) => not(eval(&x.node, root, binding)),
        Expr::Missing(p) | Expr::Present(p) => {
            let missing = match lookup(root, &p.node) {
                Lookup::Found(_) => Truth::False,
                Lookup::Missing => Truth::True,
                Lookup::Unknown(_) => Truth::Unknown,
            };
            if matches!(e, Expr::Missing(_)) {
                missing
            } else {
                not(missing)
            }
        }
        Expr::Truthy(v) => match eval_value(&v.node, root, binding) {
            Eval::Value(s) => {
                if same(&s, "true") {
                    Truth::True
                } else {
                    Truth::False
                }
            }
            Eval::Missing => Truth::False,
            Eval::Unknown => Truth::Unknown,
        },
        Expr::Compare(left, op, right) => {
            let left = match eval_value(&left.node, root, binding) {
                Eval::Value(s) => Some(s),
                Eval::Missing => None,
                Eval::Unknown => return Truth::Unknown,
            };
            let mut rights = Vec::new();
            for v in right.node.values() {
                match eval_value(v, root, binding) {
                    Eval::Value(s) => rights.push(s),
                    Eval::Missing => {}
                    Eval::Unknown => return Truth::Unknown,
                }
            }
            let hit = match (&left, op.node) {
                (None, _) => false,
                (Some(l), CompareOp::Matches) => rights.iter().any(|p| veto_iam::wildcard::naive_matches(p, l)),
                (Some(l), _) => rights.iter().any(|r| same(l, r)),
            };
            let truth = match op.node {
                CompareOp::Eq | CompareOp::In | CompareOp::Matches => hit,
                CompareOp::Ne | CompareOp::NotIn => !hit,
            };
            if truth {
                Truth::True
            } else {
                Truth::False
            }
        }
    }
}

/// Every path an expression reads, for the finding's message and position.
fn paths<'e>(e: &'e Expr, out: &mut Vec<&'e ast::Path>) {
    let value_paths = |v: &'e ast::Value, out: &mut Vec<&'e ast::Path>| {
        for t in &v.terms {
            if let Term::Path(p) = &t.node {
                out.push(p);
            }
        }
    };
    match e {
        Expr::Implies(a, b) => {
            paths(&a.node, out);
            paths(&b.node, out);
        }
        Expr::Or(es) | Expr::And(es) => es.iter().for_each(|x| paths(&x.node, out)),
        Expr::Not(x) => paths(&x.node, out),
        Expr::Missing(p) | Expr::Present(p) => out.push(&p.node),
        Expr::Truthy(v) => value_paths(&v.node, out),
        Expr::Compare(l, _, r) => {
            value_paths(&l.node, out);
            for v in r.node.values() {
                value_paths(v, out);
            }
        }
    }
}

pub(crate) fn require(expr: &Expr, binding: &str, target: &Target) -> Option<Unmet> {
    let root = binding_node(target);
    let truth = eval(expr, &root, binding);
    if truth == Truth::True {
        return None;
    }
    let mut read = Vec::new();
    paths(expr, &mut read);
    let mut seen: Vec<String> = Vec::new();
    let mut facts = Vec::new();
    let mut pos = target.pos();
    for p in read {
        let text = path_text(p);
        if seen.contains(&text) {
            continue;
        }
        seen.push(text.clone());
        let words = field_words(p);
        match lookup(&root, p) {
            Lookup::Found(n) => {
                if pos == target.pos() {
                    pos = n.pos;
                }
                match &n.value {
                    Value::Bool(b) if text.ends_with(".symmetric") => facts.push(
                        if *b {
                            "the key is symmetric"
                        } else {
                            "the key is not symmetric"
                        }
                        .into(),
                    ),
                    Value::Map(_) if text.ends_with(".artifact_bucket") => match n.get("name").and_then(Node::as_str) {
                        Some(name) => facts.push(format!("the artifact bucket is `{name}`")),
                        None => facts.push(format!("{words} is set")),
                    },
                    Value::Bool(true) if words.starts_with("an ") => facts.push(format!("there is {words}")),
                    Value::Bool(false) if words.starts_with("an ") => facts.push(format!("there is no {words}")),
                    Value::Map(_) | Value::List(_) => facts.push(format!("{words} is set")),
                    _ => facts.push(format!("{words} is {}", n.to_json())),
                }
            }
            Lookup::Missing => facts.push(format!("{words} is not set")),
            Lookup::Unknown(d) => facts.push(format!("{words} depends on {d}")),
        }
    }
    let facts = facts.join(", ");
    let who = target_words(target);
    Some(match truth {
        Truth::Unknown => Unmet {
            undecided: true,
            pos,
            message: format!("could not be decided for {who}: {facts}"),
        },
        _ => Unmet {
            undecided: false,
            pos,
            message: format!("{who}: {facts}"),
        },
    })
}
