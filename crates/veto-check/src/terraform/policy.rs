//! Policy documents: `data "aws_iam_policy_document"` rendered to the IAM policy
//! it produces (positions at its HCL blocks), policy text read back into a tree,
//! and the functions expressions call.

use super::eval::{string, sym, text_of, to_json, unknowns, Decl, Env, Evaluator, Scope, R};
use crate::doc::{Node, Pos, Value};
use crate::Problem;
use hcl_edit::structure::Body;
use hcl_edit::Span;

/// The blocks named `name` in a body, `dynamic "name"` blocks expanded: each with
/// its bindings, body and position.
fn blocks<'b, 'a>(
    ev: &Evaluator<'a>,
    scope: &Scope<'a>,
    body: &'b Body,
    name: &str,
    env: &Env,
    file: usize,
) -> R<Vec<(Env, &'b Body, Pos)>> {
    let mut out = Vec::new();
    for b in body.blocks() {
        let pos = ev.pos(file, b.span());
        if b.ident.as_str() == name {
            out.push((env.clone(), &b.body, pos));
        } else if b.ident.as_str() == "dynamic" && b.labels.first().map(|l| l.as_str()) == Some(name) {
            for (e, content) in ev.dynamic(scope, b, name, env, file)? {
                out.push((e, &content.body, pos));
            }
        }
    }
    Ok(out)
}

fn attr<'a>(ev: &Evaluator<'a>, scope: &Scope<'a>, body: &Body, key: &str, env: &Env, file: usize) -> R<Option<Node>> {
    match body.get_attribute(key) {
        Some(a) => Ok(Some(ev.eval(scope, &a.value, env, file)?)),
        None => Ok(None),
    }
}

/// `principals` / `not_principals` blocks as the policy's `Principal` map.
fn principals<'a>(
    ev: &Evaluator<'a>,
    scope: &Scope<'a>,
    body: &Body,
    name: &str,
    env: &Env,
    file: usize,
) -> R<Option<Node>> {
    let found = blocks(ev, scope, body, name, env, file)?;
    let Some(first) = found.first().map(|(_, _, p)| *p) else {
        return Ok(None);
    };
    let mut map: Vec<(String, Node)> = Vec::new();
    for (e, b, pos) in found {
        let ty = attr(ev, scope, b, "type", &e, file)?
            .and_then(|t| text_of(&t))
            .unwrap_or_default();
        let ids = attr(ev, scope, b, "identifiers", &e, file)?.unwrap_or_else(|| Node::new(Value::List(vec![]), pos));
        if ty == "*" {
            return Ok(Some(string("*", pos)));
        }
        match map.iter_mut().find(|(k, _)| *k == ty) {
            Some((
                _,
                Node {
                    value: Value::List(items),
                    ..
                },
            )) => items.extend(ids.as_list().iter().cloned()),
            _ => map.push((ty, ids)),
        }
    }
    Ok(Some(Node::new(Value::Map(map), first)))
}

/// One `statement` block as an IAM statement, positioned at the block.
fn statement<'a>(ev: &Evaluator<'a>, scope: &Scope<'a>, body: &Body, env: &Env, file: usize, pos: Pos) -> R<Node> {
    let mut entries: Vec<(String, Node)> = Vec::new();
    if let Some(sid) = attr(ev, scope, body, "sid", env, file)? {
        entries.push(("Sid".into(), sid));
    }
    let effect = attr(ev, scope, body, "effect", env, file)?.unwrap_or_else(|| string("Allow", pos));
    entries.push(("Effect".into(), effect));
    for (hcl, iam) in [
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        if let Some(v) = attr(ev, scope, body, hcl, env, file)? {
            entries.push((iam.into(), v));
        }
    }
    if let Some(p) = principals(ev, scope, body, "principals", env, file)? {
        entries.push(("Principal".into(), p));
    }
    if let Some(p) = principals(ev, scope, body, "not_principals", env, file)? {
        entries.push(("NotPrincipal".into(), p));
    }
    let conditions = blocks(ev, scope, body, "condition", env, file)?;
    if let Some(first) = conditions.first().map(|(_, _, p)| *p) {
        let mut tests: Vec<(String, Node)> = Vec::new();
        for (e, b, cpos) in conditions {
            let test = attr(ev, scope, b, "test", &e, file)?
                .and_then(|t| text_of(&t))
                .unwrap_or_default();
            let variable = attr(ev, scope, b, "variable", &e, file)?
                .and_then(|t| text_of(&t))
                .unwrap_or_default();
            let values =
                attr(ev, scope, b, "values", &e, file)?.unwrap_or_else(|| Node::new(Value::List(vec![]), cpos));
            let slot = match tests.iter().position(|(k, _)| *k == test) {
                Some(i) => i,
                None => {
                    tests.push((test, Node::new(Value::Map(vec![]), cpos)));
                    tests.len() - 1
                }
            };
            if let Value::Map(vars) = &mut tests[slot].1.value {
                vars.push((variable, values));
            }
        }
        entries.push(("Condition".into(), Node::new(Value::Map(tests), first)));
    }
    Ok(Node::new(Value::Map(entries), pos))
}

fn sid(statement: &Node) -> Option<String> {
    statement.get("Sid").and_then(text_of).filter(|s| !s.is_empty())
}

/// Adds statements, replacing one with the same Sid.
fn merge(into: &mut Vec<Node>, statements: Vec<Node>) {
    for s in statements {
        match sid(&s).and_then(|id| into.iter().position(|t| sid(t).as_deref() == Some(id.as_str()))) {
            Some(i) => into[i] = s,
            None => into.push(s),
        }
    }
}

/// The statements of policy documents given as JSON text (`source_policy_documents`).
fn document_statements<'a>(ev: &Evaluator<'a>, docs: Option<Node>) -> Vec<Node> {
    let mut out = Vec::new();
    let Some(docs) = docs else { return out };
    let items = match &docs.value {
        Value::List(items) => items.clone(),
        Value::Str(_) => vec![docs.clone()],
        _ => vec![docs.clone()],
    };
    for d in items {
        match tree(ev, &d) {
            Some(t) => match t.get("Statement").map(|s| &s.value) {
                Some(Value::List(items)) => out.extend(items.iter().cloned()),
                Some(_) => out.extend(t.get("Statement").cloned()),
                None => {}
            },
            // A document the module does not fix: its statements are unknown.
            None => out.push(sym(
                unknowns_named(&d).unwrap_or_else(|| "a source policy document".into()),
                d.pos,
            )),
        }
    }
    out
}

fn unknowns_named(node: &Node) -> Option<String> {
    let mut u = Vec::new();
    unknowns(node, &mut u);
    u.into_iter().next()
}

/// Renders a policy document data source; returns its JSON text (its tree kept).
pub(super) fn render<'a>(ev: &Evaluator<'a>, scope: &Scope<'a>, decl: &Decl<'a>, env: &Env) -> R<String> {
    let body = &decl.block.body;
    let file = decl.file;
    let pos = ev.pos(file, decl.block.span());
    let mut statements = document_statements(ev, attr(ev, scope, body, "source_policy_documents", env, file)?);
    merge(
        &mut statements,
        document_statements(ev, attr(ev, scope, body, "source_json", env, file)?),
    );
    let mut own = Vec::new();
    for (e, b, spos) in blocks(ev, scope, body, "statement", env, file)? {
        own.push(statement(ev, scope, b, &e, file, spos)?);
    }
    merge(&mut statements, own);
    merge(
        &mut statements,
        document_statements(ev, attr(ev, scope, body, "override_policy_documents", env, file)?),
    );
    merge(
        &mut statements,
        document_statements(ev, attr(ev, scope, body, "override_json", env, file)?),
    );
    let version = attr(ev, scope, body, "version", env, file)?.unwrap_or_else(|| string("2012-10-17", pos));
    let mut entries = vec![("Version".to_string(), version)];
    if let Some(id) = attr(ev, scope, body, "policy_id", env, file)? {
        entries.push(("Id".into(), id));
    }
    // The Statement list points at the first statement block: findings about the
    // policy as a whole land on the HCL that writes it.
    let spos = statements.first().map_or(pos, |s| s.pos);
    entries.push(("Statement".into(), Node::new(Value::List(statements), spos)));
    let tree = Node::new(Value::Map(entries), pos);
    let text = to_json(&tree).to_string();
    ev.json_trees.borrow_mut().insert(text.clone(), tree);
    Ok(text)
}

/// The tree of a policy given as a value: JSON text veto produced or read keeps
/// its positions; other text is parsed and placed at the value.
pub(super) fn tree(ev: &Evaluator<'_>, node: &Node) -> Option<Node> {
    match &node.value {
        Value::Str(text) => {
            if let Some(t) = ev.json_trees.borrow().get(text) {
                return Some(t.clone());
            }
            ev.remember_json(text, node.pos, false);
            ev.json_trees.borrow().get(text).cloned()
        }
        Value::Map(_) => Some(node.clone()),
        _ => None,
    }
}

fn read_module_file(ev: &Evaluator<'_>, path: &str, pos: Pos) -> R<String> {
    let full = ev.root_dir().join(path);
    let meta = std::fs::metadata(&full).map_err(|e| Problem::new(pos, format!("file(\"{path}\"): {e}")))?;
    if meta.len() as usize > crate::limits::MAX_INPUT_BYTES {
        return Err(Problem::new(pos, format!("file(\"{path}\"): larger than veto reads")));
    }
    let bytes = std::fs::read(&full).map_err(|e| Problem::new(pos, format!("file(\"{path}\"): {e}")))?;
    String::from_utf8(bytes).map_err(|_| Problem::new(pos, format!("file(\"{path}\"): not valid UTF-8")))
}

fn list(items: Vec<Node>, pos: Pos) -> Node {
    Node::new(Value::List(items), pos)
}

/// Terraform's functions, as far as veto needs them; others are unknown.
pub(super) fn call<'a>(ev: &Evaluator<'a>, scope: &Scope<'a>, name: &str, args: Vec<Node>, pos: Pos) -> R<Node> {
    let unknown_arg = args.iter().find_map(|a| match &a.value {
        Value::Symbolic(d) => Some(d.to_string()),
        _ => None,
    });
    let arg = |i: usize| args.get(i).cloned().unwrap_or_else(|| Node::new(Value::Null, pos));
    let texts = |from: usize| -> Option<Vec<String>> { args[from.min(args.len())..].iter().map(text_of).collect() };
    // Functions that keep unknown parts inside their result.
    match name {
        "jsonencode" => {
            let v = arg(0);
            let text = to_json(&v).to_string();
            ev.json_trees.borrow_mut().insert(text.clone(), Node { pos, ..v });
            return Ok(string(text, pos));
        }
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match &a.value {
                    Value::List(items) => out.extend(items.iter().cloned()),
                    Value::Symbolic(d) => return Ok(sym(d.to_string(), pos)),
                    _ => out.push(a.clone()),
                }
            }
            return Ok(list(out, pos));
        }
        "merge" => {
            let mut out: Vec<(String, Node)> = Vec::new();
            for a in &args {
                match &a.value {
                    Value::Map(entries) => {
                        for (k, v) in entries {
                            out.retain(|(n, _)| n != k);
                            out.push((k.clone(), v.clone()));
                        }
                    }
                    Value::Null => {}
                    _ => return Ok(sym(unknowns_named(a).unwrap_or_else(|| "merge(…)".into()), pos)),
                }
            }
            return Ok(Node::new(Value::Map(out), pos));
        }
        "tolist" | "toset" | "tomap" | "sensitive" | "nonsensitive" | "tostring" | "tonumber" | "tobool" => {
            return Ok(arg(0));
        }
        "try" | "coalesce" => {
            for a in &args {
                match &a.value {
                    Value::Symbolic(_) if name == "try" => continue,
                    Value::Symbolic(_) => return Ok(a.clone()),
                    Value::Null => continue,
                    Value::Str(s) if s.is_empty() && name == "coalesce" => continue,
                    _ => return Ok(a.clone()),
                }
            }
            return Ok(args.first().cloned().unwrap_or_else(|| sym(format!("{name}(…)"), pos)));
        }
        "lookup" => {
            return Ok(match &arg(0).value {
                Value::Map(_) => match text_of(&arg(1)).and_then(|k| arg(0).get(&k).cloned()) {
                    Some(v) => v,
                    None if args.len() > 2 => arg(2),
                    None => sym(format!("lookup(…, {})", text_of(&arg(1)).unwrap_or_default()), pos),
                },
                _ => sym(unknowns_named(&arg(0)).unwrap_or_else(|| "lookup(…)".into()), pos),
            });
        }
        "element" => {
            let items = arg(0);
            return Ok(
                match (&items.value, text_of(&arg(1)).and_then(|i| i.parse::<usize>().ok())) {
                    (Value::List(l), Some(i)) if !l.is_empty() => l[i % l.len()].clone(),
                    _ => sym(unknowns_named(&items).unwrap_or_else(|| "element(…)".into()), pos),
                },
            );
        }
        "flatten" => {
            fn flat(n: &Node, out: &mut Vec<Node>) {
                match &n.value {
                    Value::List(items) => items.iter().for_each(|i| flat(i, out)),
                    _ => out.push(n.clone()),
                }
            }
            let mut out = Vec::new();
            flat(&arg(0), &mut out);
            return Ok(list(out, pos));
        }
        "compact" => {
            return Ok(list(
                arg(0)
                    .as_list()
                    .iter()
                    .filter(|n| !matches!(&n.value, Value::Null) && n.as_str() != Some(""))
                    .cloned()
                    .collect(),
                pos,
            ))
        }
        "distinct" => {
            let mut out: Vec<Node> = Vec::new();
            for i in arg(0).as_list() {
                if !out.iter().any(|o| o.value == i.value) {
                    out.push(i.clone());
                }
            }
            return Ok(list(out, pos));
        }
        "keys" | "values" => {
            return Ok(match &arg(0).value {
                Value::Map(entries) => list(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            if name == "keys" {
                                string(k.clone(), pos)
                            } else {
                                v.clone()
                            }
                        })
                        .collect(),
                    pos,
                ),
                _ => sym(unknowns_named(&arg(0)).unwrap_or_else(|| format!("{name}(…)")), pos),
            });
        }
        "zipmap" => {
            let keys = arg(0);
            let values = arg(1);
            if let (Value::List(k), Value::List(v)) = (&keys.value, &values.value) {
                let entries = k
                    .iter()
                    .zip(v)
                    .map(|(k, v)| (text_of(k).unwrap_or_default(), v.clone()))
                    .collect();
                return Ok(Node::new(Value::Map(entries), pos));
            }
            return Ok(sym("zipmap(…)", pos));
        }
        "length" => {
            return Ok(match &arg(0).value {
                Value::List(l) => Node::new(Value::Number(l.len().to_string()), pos),
                Value::Map(m) => Node::new(Value::Number(m.len().to_string()), pos),
                Value::Str(s) => Node::new(Value::Number(s.chars().count().to_string()), pos),
                _ => sym(unknowns_named(&arg(0)).unwrap_or_else(|| "length(…)".into()), pos),
            })
        }
        "contains" => {
            let hay = arg(0);
            if let Value::List(items) = &hay.value {
                if !matches!(arg(1).value, Value::Symbolic(_))
                    && !items.iter().any(|i| matches!(i.value, Value::Symbolic(_)))
                {
                    return Ok(Node::new(
                        Value::Bool(items.iter().any(|i| i.value == arg(1).value)),
                        pos,
                    ));
                }
            }
            return Ok(sym(
                unknowns_named(&hay)
                    .or(unknown_arg)
                    .unwrap_or_else(|| "contains(…)".into()),
                pos,
            ));
        }
        "can" => return Ok(Node::new(Value::Bool(unknown_arg.is_none()), pos)),
        "one" => {
            return Ok(match arg(0).as_list() {
                [] => Node::new(Value::Null, pos),
                [x] => x.clone(),
                _ => sym("one(…)", pos),
            })
        }
        "range" => {
            let n: Vec<f64> = args.iter().filter_map(|a| text_of(a)?.parse().ok()).collect();
            let (start, end, step) = match n.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, 1.0),
                [s, e, st] => (*s, *e, *st),
                _ => return Ok(sym("range(…)", pos)),
            };
            if step == 0.0 || ((end - start) / step).abs() > 10_000.0 {
                return Err(Problem::new(pos, "range(…) with more than 10000 elements"));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Node::new(Value::Number(format!("{x}")), pos));
                x += step;
            }
            return Ok(list(out, pos));
        }
        "join" => {
            let sep = text_of(&arg(0)).unwrap_or_default();
            let mut parts = Vec::new();
            for a in &args[1.min(args.len())..] {
                match &a.value {
                    Value::List(items) => {
                        for i in items {
                            parts.push(text_of(i).unwrap_or_default());
                        }
                    }
                    _ => parts.push(text_of(a).unwrap_or_default()),
                }
            }
            return Ok(string(parts.join(&sep), pos));
        }
        "format" => {
            let Some(all) = texts(0) else {
                return Ok(sym("format(…)", pos));
            };
            let (fmt, rest) = all
                .split_first()
                .map(|(f, r)| (f.clone(), r.to_vec()))
                .unwrap_or_default();
            let mut out = String::new();
            let mut next = rest.into_iter();
            let mut chars = fmt.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('%') => out.push('%'),
                    Some('q') => out.push_str(&format!("{:?}", next.next().unwrap_or_default())),
                    Some(_) => out.push_str(&next.next().unwrap_or_default()),
                    None => out.push('%'),
                }
            }
            return Ok(string(out, pos));
        }
        _ => {}
    }
    if let Some(d) = unknown_arg {
        return Ok(sym(d, pos));
    }
    let s = |i: usize| text_of(&arg(i)).unwrap_or_default();
    Ok(match name {
        "jsondecode" => match tree(ev, &arg(0)) {
            Some(t) => t,
            None => return Err(Problem::new(pos, "jsondecode: the text is not JSON")),
        },
        "file" => {
            let text = read_module_file(ev, &s(0), pos)?;
            ev.remember_json(&text, pos, false);
            string(text, pos)
        }
        "templatefile" => {
            let text = read_module_file(ev, &s(0), pos)?;
            let template = hcl_edit::parser::parse_template(&text)
                .map_err(|e| Problem::new(pos, format!("templatefile(\"{}\"): {}", s(0), e.message())))?;
            let env: Env = arg(1).entries().to_vec();
            let out = ev.template_text(scope, &template, &env, pos)?;
            ev.remember_json(&out, pos, false);
            string(out, pos)
        }
        "lower" => string(s(0).to_lowercase(), pos),
        "upper" => string(s(0).to_uppercase(), pos),
        "trimspace" => string(s(0).trim(), pos),
        "replace" => string(s(0).replace(&s(1), &s(2)), pos),
        "split" => list(s(1).split(s(0).as_str()).map(|p| string(p, pos)).collect(), pos),
        "startswith" => Node::new(Value::Bool(s(0).starts_with(&s(1))), pos),
        "endswith" => Node::new(Value::Bool(s(0).ends_with(&s(1))), pos),
        "basename" => string(s(0).rsplit('/').next().unwrap_or_default(), pos),
        "dirname" => string(s(0).rsplit_once('/').map_or(".", |(d, _)| d), pos),
        "abspath" | "trimsuffix" | "trimprefix" if name == "abspath" => arg(0),
        "trimsuffix" => string(s(0).strip_suffix(&s(1)).unwrap_or(&s(0)), pos),
        "trimprefix" => string(s(0).strip_prefix(&s(1)).unwrap_or(&s(0)), pos),
        "sort" => {
            let mut items: Vec<String> = arg(0).as_list().iter().filter_map(text_of).collect();
            items.sort();
            list(items.into_iter().map(|i| string(i, pos)).collect(), pos)
        }
        other => sym(format!("{other}(…)"), pos),
    })
}
