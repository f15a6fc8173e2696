//! Evaluating Terraform expressions as far as the module allows.
//!
//! Known: literals, variables with a value (default, tfvars, `--var`), locals,
//! resource attributes written in the module and the names veto derives from them
//! (`aws_s3_bucket.b.arn`), local module outputs, policy documents, and the usual
//! functions. Unknown: everything else, as `Value::Symbolic` naming what it depends on
//! (`var.dev_account`, `data.aws_caller_identity.current.account_id`); inside a
//! string an unknown becomes a stand-in, `veto-unknown-var.dev_account`.
//!
//! Errors (exit 2) are what terraform itself would reject and veto cannot read
//! past: references to undeclared things, reference cycles, nesting too deep.

use super::paths::{local_source, normalize};
use super::Sources;
use crate::doc::{Node, Origin, Pos, Symbolic, Value};
use crate::targets::{Target, TEMPLATE_ACCOUNT};
use crate::Problem;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::Span;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::path::PathBuf;
use std::rc::{Rc, Weak};
use veto_iam::Diagnostic;

/// Deepest evaluation (expressions within references within expressions) followed.
const MAX_EVAL_DEPTH: usize = 200;
/// Most elements a collection built by `count`, `for_each`, `for` or `range` may have.
const MAX_ELEMENTS: usize = 10_000;
/// The work one evaluation may do: every expression evaluated counts one, plus
/// the size of the value it gives (nodes, and string bytes / 8), so values that
/// double through locals or `concat` run out of budget instead of memory.
const MAX_WORK: usize = 5_000_000;

/// A value's size for the work budget, counted up to `limit`.
fn weight(node: &Node, limit: usize) -> usize {
    let mut total = 0;
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        total += 1;
        if total > limit {
            break;
        }
        match &n.value {
            Value::Str(s) => total += s.len() / 8,
            Value::List(items) => stack.extend(items.iter()),
            Value::Map(entries) => stack.extend(entries.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    total
}

pub(super) type R<T> = Result<T, Problem>;

/// A module's targets and the catalog findings about its policies.
pub(super) type Built = (Vec<Target>, Vec<(Pos, Diagnostic)>);

/// One declaration: a variable, resource, data source, module call or output block.
pub(super) struct Decl<'a> {
    pub ty: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    pub file: usize,
}

/// What one module directory declares.
#[derive(Default)]
pub(super) struct ModuleDef<'a> {
    pub dir: usize,
    /// `path.module`, relative to the root module.
    pub path_module: String,
    pub variables: Vec<Decl<'a>>,
    pub locals: Vec<(&'a str, &'a Expression, usize)>,
    pub resources: Vec<Decl<'a>>,
    pub data: Vec<Decl<'a>>,
    pub modules: Vec<Decl<'a>>,
    pub outputs: Vec<Decl<'a>>,
}

/// One instance of a module: its definition, input values and caches.
pub(super) struct Scope<'a> {
    pub def: &'a ModuleDef<'a>,
    /// `""` for the root module, `module.pipeline.` for a child.
    pub address: String,
    /// Variable values known so far (all of them for the root module).
    vars: RefCell<HashMap<String, Node>>,
    /// For a local module: the scope that calls it and the call, whose arguments
    /// are evaluated when first read (modules may feed each other's outputs).
    call: Option<(Rc<Scope<'a>>, &'a Block, usize)>,
    me: Weak<Scope<'a>>,
    locals: RefCell<HashMap<String, Node>>,
    values: RefCell<HashMap<String, Node>>,
    children: RefCell<HashMap<String, Rc<Scope<'a>>>>,
    in_progress: RefCell<Vec<String>>,
}

/// Names bound while evaluating: `count`, `each`, `for` variables, dynamic iterators.
pub(super) type Env = Vec<(String, Node)>;

/// What evaluation needs from the sibling modules that build on it, as function
/// pointers the loader supplies, so `eval` depends on none of them.
#[derive(Clone, Copy)]
pub(super) struct Hooks {
    /// A function call in an expression (`jsonencode`, `merge`, …).
    pub call: for<'x> fn(&Evaluator<'x>, &Scope<'x>, &str, Vec<Node>, Pos) -> R<Node>,
    /// A `data "aws_iam_policy_document"` rendered to its JSON.
    pub render: for<'x> fn(&Evaluator<'x>, &Scope<'x>, &Decl<'x>, &Env) -> R<String>,
    /// The evaluated root module mapped onto targets.
    pub build: for<'x> fn(&Evaluator<'x>, &Rc<Scope<'x>>) -> R<Built>,
}

pub(super) struct Evaluator<'a> {
    pub sources: &'a Sources,
    hooks: Hooks,
    defs: &'a [ModuleDef<'a>],
    dirs: &'a [PathBuf],
    /// JSON text veto produced or read (jsonencode, policy documents, heredocs) and
    /// the tree it came from, with the positions of the HCL that wrote it.
    pub json_trees: RefCell<HashMap<String, Node>>,
    depth: Cell<usize>,
    work: Cell<usize>,
    /// The unknowns of the conditions whose branch the world chose.
    pub chosen: RefCell<Vec<String>>,
}

/// An unknown value, described in the user's words (`var.dev_account`,
/// `aws_s3_bucket.a.arn (known after apply)`): the description is its identity,
/// so two references to one variable are one value.
pub(super) fn sym(desc: impl Into<String>, pos: Pos) -> Node {
    Node::new(Value::Symbolic(Symbolic::new(Origin::Other, desc)), pos)
}

pub(super) fn string(text: impl Into<String>, pos: Pos) -> Node {
    Node::new(Value::Str(text.into()), pos)
}

thread_local! {
    /// Which of the two worlds a module is evaluated in (see `World`).
    static WORLD: Cell<World> = const { Cell::new(World::First) };
}

/// A module is evaluated twice. In the first world a condition veto cannot decide
/// takes its true branch and unknowns read as `veto-unknown-…` stand-ins; in the
/// second, the false branch and other stand-ins (`veto-unknowb-…`). A finding that
/// is not the same in both depends on the unknowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum World {
    First,
    Second,
}

pub(super) fn world() -> World {
    WORLD.with(Cell::get)
}

pub(super) fn set_world(w: World) {
    WORLD.with(|c| c.set(w));
}

/// The prefixes of stand-ins, in the first and second world.
pub(super) const PREFIXES: [&str; 2] = ["veto-unknown-", "veto-unknowb-"];

/// The stand-in text for an unknown inside a string.
pub(super) fn marker(desc: &str) -> String {
    let name: String = desc
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    // `..` ends the name: stand-ins sit inside longer names (`${var.x}-artifacts`).
    let prefix = match world() {
        World::First => PREFIXES[0],
        World::Second => PREFIXES[1],
    };
    format!("{prefix}{name}..")
}

/// Every unknown a value depends on: symbolic nodes and stand-ins inside strings.
pub(super) fn unknowns(node: &Node, out: &mut Vec<String>) {
    let mut add = |d: String| {
        if !out.contains(&d) {
            out.push(d);
        }
    };
    match &node.value {
        Value::Symbolic(d) => add(d.to_string()),
        Value::Str(s) => {
            let mut rest = s.as_str();
            while let Some((i, prefix)) = PREFIXES.iter().filter_map(|p| rest.find(p).map(|i| (i, p))).min() {
                let after = &rest[i + prefix.len()..];
                let end = after
                    .find("..")
                    .or_else(|| after.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))))
                    .unwrap_or(after.len());
                add(after[..end].to_string());
                rest = &after[end..];
            }
        }
        Value::List(items) => items.iter().for_each(|i| unknowns(i, out)),
        Value::Map(entries) => entries.iter().for_each(|(_, v)| unknowns(v, out)),
        _ => {}
    }
}

/// A value as text for a string template; unknowns become stand-ins.
pub(super) fn text_of(node: &Node) -> Option<String> {
    match &node.value {
        Value::Str(s) => Some(s.clone()),
        Value::Number(n) => Some(n.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some(String::new()),
        Value::Symbolic(d) => Some(marker(&d.to_string())),
        _ => None,
    }
}

/// A value as JSON, as `jsonencode` writes it (unknowns as stand-in strings).
pub(super) fn to_json(node: &Node) -> serde_json::Value {
    match &node.value {
        Value::Symbolic(d) => serde_json::Value::String(marker(&d.to_string())),
        Value::List(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => {
            serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
        Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| serde_json::Value::String(n.clone())),
        _ => node.to_json(),
    }
}

/// Equal values, positions aside.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::List(x), Value::List(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b)),
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((k, a), (l, b))| k == l && same(a, b))
        }
        (Value::Number(x), Value::Number(y)) => x == y || x.parse::<f64>().ok() == y.parse::<f64>().ok(),
        (x, y) => x == y,
    }
}

fn truth(node: &Node) -> Option<bool> {
    match &node.value {
        Value::Bool(b) => Some(*b),
        Value::Str(s) if s == "true" => Some(true),
        Value::Str(s) if s == "false" => Some(false),
        _ => None,
    }
}

fn number(node: &Node) -> Option<f64> {
    match &node.value {
        Value::Number(n) | Value::Str(n) => n.parse().ok(),
        _ => None,
    }
}

fn number_node(n: f64, pos: Pos) -> Node {
    let text = if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    };
    Node::new(Value::Number(text), pos)
}

/// The first unknown a value depends on, for naming it.
fn first_unknown(nodes: &[&Node]) -> Option<String> {
    let mut out = Vec::new();
    for n in nodes {
        unknowns(n, &mut out);
    }
    out.into_iter().next()
}

impl<'a> Evaluator<'a> {
    pub(super) fn new(sources: &'a Sources, defs: &'a [ModuleDef<'a>], dirs: &'a [PathBuf], hooks: Hooks) -> Self {
        Evaluator {
            sources,
            hooks,
            defs,
            dirs,
            json_trees: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
            work: Cell::new(0),
            chosen: RefCell::new(Vec::new()),
        }
    }

    pub(super) fn pos(&self, file: usize, span: Option<std::ops::Range<usize>>) -> Pos {
        match span {
            Some(s) => self.sources.pos(file, s.start),
            None => self.sources.start(file),
        }
    }

    fn new_scope(
        &self,
        def: &'a ModuleDef<'a>,
        address: String,
        vars: HashMap<String, Node>,
        call: Option<(Rc<Scope<'a>>, &'a Block, usize)>,
    ) -> Rc<Scope<'a>> {
        Rc::new_cyclic(|me| Scope {
            def,
            address,
            vars: RefCell::new(vars),
            call,
            me: me.clone(),
            locals: RefCell::new(HashMap::new()),
            values: RefCell::new(HashMap::new()),
            children: RefCell::new(HashMap::new()),
            in_progress: RefCell::new(Vec::new()),
        })
    }

    /// Evaluates the whole module and maps it onto targets.
    pub(super) fn run(&self, tfvars: &[(usize, &Body)], cli_vars: &[(String, String)]) -> Result<Built, Vec<Problem>> {
        let root_def = &self.defs[0];
        let bare = self.new_scope(root_def, String::new(), HashMap::new(), None);
        let mut given: HashMap<String, Node> = HashMap::new();
        for (file, body) in tfvars {
            for a in body.attributes() {
                let v = self.eval(&bare, &a.value, &Vec::new(), *file).map_err(|p| vec![p])?;
                given.insert(a.key.as_str().to_string(), v);
            }
        }
        for (k, v) in cli_vars {
            given.insert(k.clone(), string(v.clone(), Pos { line: 1, column: 1 }));
        }
        let mut vars = HashMap::new();
        for v in &root_def.variables {
            let value = match given.remove(v.name) {
                Some(value) => value,
                None => self.default(&bare, v).map_err(|p| vec![p])?,
            };
            vars.insert(v.name.to_string(), value);
        }
        let root = self.new_scope(root_def, String::new(), vars, None);
        (self.hooks.build)(self, &root).map_err(|p| vec![p])
    }

    /// A variable's default, or an unknown named after it.
    fn default(&self, scope: &Scope<'a>, v: &Decl<'a>) -> R<Node> {
        let pos = self.pos(v.file, v.block.span());
        match v.block.body.get_attribute("default") {
            Some(d) => self.eval(scope, &d.value, &Vec::new(), v.file),
            None => Ok(sym(format!("{}var.{}", scope.address, v.name), pos)),
        }
    }

    /// The scope of a local module call, or `None` for a registry or git module.
    pub(super) fn child(&self, scope: &Scope<'a>, decl: &Decl<'a>) -> R<Option<Rc<Scope<'a>>>> {
        if let Some(c) = scope.children.borrow().get(decl.name) {
            return Ok(Some(c.clone()));
        }
        let Some(source) = local_source(decl.block) else {
            return Ok(None);
        };
        let dir = normalize(&self.dirs[scope.def.dir].join(source));
        let Some(def) = self.dirs.iter().position(|d| d == &dir).and_then(|i| self.defs.get(i)) else {
            return Ok(None);
        };
        let address = format!("{}module.{}.", scope.address, decl.name);
        let parent = scope.me.upgrade().expect("a scope lives while it is evaluated");
        let child = self.new_scope(def, address, HashMap::new(), Some((parent, decl.block, decl.file)));
        scope.children.borrow_mut().insert(decl.name.to_string(), child.clone());
        Ok(Some(child))
    }

    /// A variable's value: given by the caller, its default, or unknown.
    fn var(&self, scope: &Scope<'a>, name: &str, pos: Pos) -> R<Node> {
        if let Some(v) = scope.vars.borrow().get(name) {
            return Ok(v.clone());
        }
        let Some(decl) = scope.def.variables.iter().find(|v| v.name == name) else {
            return Err(Problem::new(
                pos,
                format!("var.{name} is not declared (no variable \"{name}\" block)"),
            ));
        };
        let v = match &scope.call {
            Some((parent, block, file)) => match block.body.get_attribute(name) {
                Some(a) => self.guarded(scope, &format!("var.{name}"), pos, || {
                    self.eval(parent, &a.value, &Vec::new(), *file)
                })?,
                None => self.default(scope, decl)?,
            },
            // The root module's values were all settled before evaluation began.
            None => self.default(scope, decl)?,
        };
        scope.vars.borrow_mut().insert(name.to_string(), v.clone());
        Ok(v)
    }

    /// The instances `count` or `for_each` make of a block, each with its bindings
    /// and its address suffix (`[0]`, `["a"]`).
    pub(super) fn instances(&self, scope: &Scope<'a>, block: &Block, file: usize) -> R<Vec<(String, Env)>> {
        let pos = self.pos(file, block.span());
        if let Some(c) = block.body.get_attribute("count") {
            let n = self.eval(scope, &c.value, &Vec::new(), file)?;
            return Ok(match number(&n) {
                Some(n) if n >= 0.0 && (n as usize) <= MAX_ELEMENTS => (0..n as usize)
                    .map(|i| {
                        let count = Node::new(Value::Map(vec![("index".into(), number_node(i as f64, pos))]), pos);
                        (format!("[{i}]"), vec![("count".to_string(), count)])
                    })
                    .collect(),
                Some(n) => {
                    return Err(Problem::new(
                        pos,
                        format!("count = {n}: veto reads up to {MAX_ELEMENTS}"),
                    ))
                }
                None => {
                    let d = first_unknown(&[&n]).unwrap_or_else(|| "count".into());
                    let count = Node::new(Value::Map(vec![("index".into(), sym(d, pos))]), pos);
                    vec![("[?]".to_string(), vec![("count".to_string(), count)])]
                }
            });
        }
        if let Some(f) = block.body.get_attribute("for_each") {
            let v = self.eval(scope, &f.value, &Vec::new(), file)?;
            let each = |k: Node, v: Node| Node::new(Value::Map(vec![("key".into(), k), ("value".into(), v)]), pos);
            return Ok(match &v.value {
                Value::Map(entries) => entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            format!("[{k:?}]"),
                            vec![("each".to_string(), each(string(k.clone(), pos), v.clone()))],
                        )
                    })
                    .collect(),
                Value::List(items) => items
                    .iter()
                    .map(|i| {
                        let k = text_of(i).unwrap_or_default();
                        (
                            format!("[{k:?}]"),
                            vec![("each".to_string(), each(i.clone(), i.clone()))],
                        )
                    })
                    .collect(),
                _ => {
                    let d = first_unknown(&[&v]).unwrap_or_else(|| "for_each".into());
                    vec![(
                        "[?]".to_string(),
                        vec![("each".to_string(), each(sym(&d, pos), sym(&d, pos)))],
                    )]
                }
            });
        }
        Ok(vec![(String::new(), Vec::new())])
    }

    /// A block's attributes and nested blocks as a tree (blocks as lists under their
    /// name), `dynamic` blocks expanded.
    pub(super) fn block_tree(&self, scope: &Scope<'a>, body: &Body, env: &Env, file: usize, pos: Pos) -> R<Node> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        for a in body.attributes() {
            let key = a.key.as_str();
            if matches!(key, "count" | "for_each" | "depends_on" | "provider" | "providers") {
                continue;
            }
            let v = self.eval(scope, &a.value, env, file)?;
            entries.push((key.to_string(), v));
        }
        let push_block = |entries: &mut Vec<(String, Node)>, name: &str, node: Node| match entries
            .iter_mut()
            .find(|(k, _)| k == name)
        {
            Some((
                _,
                Node {
                    value: Value::List(items),
                    ..
                },
            )) => items.push(node),
            _ => {
                let p = node.pos;
                entries.push((name.to_string(), Node::new(Value::List(vec![node]), p)));
            }
        };
        for b in body.blocks() {
            let bpos = self.pos(file, b.span());
            if b.ident.as_str() == "dynamic" {
                let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
                    continue;
                };
                for (item_env, content) in self.dynamic(scope, b, &name, env, file)? {
                    let node =
                        self.block_tree(scope, &content.body, &item_env, file, self.pos(file, content.span()))?;
                    push_block(&mut entries, &name, Node { pos: bpos, ..node });
                }
                continue;
            }
            if matches!(b.ident.as_str(), "lifecycle" | "provisioner" | "connection") {
                continue;
            }
            let node = self.block_tree(scope, &b.body, env, file, bpos)?;
            push_block(&mut entries, b.ident.as_str(), node);
        }
        Ok(Node::new(Value::Map(entries), pos))
    }

    /// A `dynamic "name"` block's expansions: the bindings for each and its `content` block.
    pub(super) fn dynamic<'b>(
        &self,
        scope: &Scope<'a>,
        b: &'b Block,
        name: &str,
        env: &Env,
        file: usize,
    ) -> R<Vec<(Env, &'b Block)>> {
        let pos = self.pos(file, b.span());
        let Some(content) = b.body.get_blocks("content").next() else {
            return Err(Problem::new(pos, format!("dynamic \"{name}\" has no content block")));
        };
        let iterator = match b.body.get_attribute("iterator").map(|a| &a.value) {
            Some(Expression::Variable(v)) => v.as_str().to_string(),
            _ => name.to_string(),
        };
        let Some(f) = b.body.get_attribute("for_each") else {
            return Err(Problem::new(pos, format!("dynamic \"{name}\" has no for_each")));
        };
        let collection = self.eval(scope, &f.value, env, file)?;
        let item = |k: Node, v: Node| Node::new(Value::Map(vec![("key".into(), k), ("value".into(), v)]), pos);
        let items: Vec<Node> = match &collection.value {
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| item(number_node(i as f64, pos), v.clone()))
                .collect(),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| item(string(k.clone(), pos), v.clone()))
                .collect(),
            Value::Null => Vec::new(),
            _ => {
                let d = first_unknown(&[&collection]).unwrap_or_else(|| "for_each".into());
                vec![item(sym(&d, pos), sym(&d, pos))]
            }
        };
        Ok(items
            .into_iter()
            .map(|i| {
                let mut e = env.clone();
                e.push((iterator.clone(), i));
                (e, content)
            })
            .collect())
    }

    pub(super) fn eval(&self, scope: &Scope<'a>, expr: &Expression, env: &Env, file: usize) -> R<Node> {
        let pos = self.pos(file, expr.span());
        let depth = self.depth.get();
        if depth >= MAX_EVAL_DEPTH {
            return Err(Problem::new(
                pos,
                format!("expressions and references nest deeper than {MAX_EVAL_DEPTH} levels"),
            ));
        }
        self.depth.set(depth + 1);
        let result = self.eval_inner(scope, expr, env, file, pos);
        self.depth.set(depth);
        let result = result?;
        let left = MAX_WORK.saturating_sub(self.work.get());
        let work = self.work.get() + 1 + weight(&result, left);
        self.work.set(work);
        if work > MAX_WORK {
            return Err(Problem::new(
                pos,
                format!("evaluating the module takes more than {MAX_WORK} steps (values grow too large)"),
            ));
        }
        Ok(result)
    }

    fn eval_inner(&self, scope: &Scope<'a>, expr: &Expression, env: &Env, file: usize, pos: Pos) -> R<Node> {
        Ok(match expr {
            Expression::Null(_) => Node::new(Value::Null, pos),
            Expression::Bool(b) => Node::new(Value::Bool(*b.value()), pos),
            Expression::Number(n) => Node::new(Value::Number(n.value().to_string()), pos),
            Expression::String(s) => string(s.value().as_str(), pos),
            Expression::Array(items) => Node::new(
                Value::List(items.iter().map(|i| self.eval(scope, i, env, file)).collect::<R<_>>()?),
                pos,
            ),
            Expression::Object(object) => {
                let mut entries: Vec<(String, Node)> = Vec::new();
                for (k, v) in object.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => id.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(id)) => id.as_str().to_string(),
                        ObjectKey::Expression(e) => {
                            let k = self.eval(scope, e, env, file)?;
                            text_of(&k).unwrap_or_default()
                        }
                    };
                    let v = self.eval(scope, v.expr(), env, file)?;
                    match entries.iter_mut().find(|(k, _)| *k == key) {
                        Some(slot) => slot.1 = v,
                        None => entries.push((key, v)),
                    }
                }
                Node::new(Value::Map(entries), pos)
            }
            Expression::StringTemplate(t) => {
                let elements: Vec<&Element> = t.iter().collect();
                if let [Element::Interpolation(i)] = elements.as_slice() {
                    // `"${x}"` is x itself, whatever its type.
                    return self.eval(scope, &i.expr, env, file);
                }
                string(self.template(scope, elements, env, file)?, pos)
            }
            Expression::HeredocTemplate(h) => {
                let text = self.template(scope, h.template.iter().collect(), env, file)?;
                // Heredoc JSON keeps its lines: its tree is positioned in the .tf file.
                let first_line = Pos {
                    line: pos.line + 1,
                    column: 1,
                };
                self.remember_json(&text, first_line, true);
                string(text, pos)
            }
            Expression::Parenthesis(p) => self.eval(scope, p.inner(), env, file)?,
            Expression::Variable(v) => self.reference(scope, v.as_str(), &[], env, file, pos)?,
            Expression::Traversal(t) => {
                let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
                match &t.expr {
                    Expression::Variable(v) => self.reference(scope, v.as_str(), &ops, env, file, pos)?,
                    e => {
                        let base = self.eval(scope, e, env, file)?;
                        self.apply(scope, base, &ops, env, file)?
                    }
                }
            }
            Expression::Conditional(c) => {
                let cond = self.eval(scope, &c.cond_expr, env, file)?;
                match truth(&cond) {
                    Some(true) => self.eval(scope, &c.true_expr, env, file)?,
                    Some(false) => self.eval(scope, &c.false_expr, env, file)?,
                    None => {
                        // Both branches: equal ones are the value; otherwise it
                        // depends on what the condition does.
                        let a = self.eval(scope, &c.true_expr, env, file)?;
                        let b = self.eval(scope, &c.false_expr, env, file)?;
                        if same(&a, &b) {
                            a
                        } else {
                            self.chose(&cond);
                            match world() {
                                World::First => a,
                                World::Second => b,
                            }
                        }
                    }
                }
            }
            Expression::FuncCall(f) => {
                let name = f.name.name.as_str();
                let mut args: Vec<Node> = Vec::new();
                for a in f.args.iter() {
                    args.push(self.eval(scope, a, env, file)?);
                }
                if f.args.expand_final() {
                    if let Some(last) = args.pop() {
                        match last.value {
                            Value::List(items) => args.extend(items),
                            _ => return Ok(sym(format!("{name}(…)"), pos)),
                        }
                    }
                }
                let namespaced = f.name.is_namespaced();
                if namespaced {
                    sym(format!("{name}(…)"), pos)
                } else {
                    (self.hooks.call)(self, scope, name, args, pos)?
                }
            }
            Expression::UnaryOp(u) => {
                let v = self.eval(scope, &u.expr, env, file)?;
                match (u.operator.value(), &v.value) {
                    (UnaryOperator::Not, _) if truth(&v).is_some() => {
                        Node::new(Value::Bool(!truth(&v).unwrap_or(false)), pos)
                    }
                    (UnaryOperator::Neg, _) if number(&v).is_some() => number_node(-number(&v).unwrap_or(0.0), pos),
                    _ => sym(first_unknown(&[&v]).unwrap_or_else(|| "an operation".into()), pos),
                }
            }
            Expression::BinaryOp(b) => {
                let op = *b.operator.value();
                let l = self.eval(scope, &b.lhs_expr, env, file)?;
                // && and || decide on one side when it settles the answer.
                if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
                    let want = op == BinaryOperator::Or;
                    if truth(&l) == Some(want) {
                        return Ok(Node::new(Value::Bool(want), pos));
                    }
                    let r = self.eval(scope, &b.rhs_expr, env, file)?;
                    return Ok(match (truth(&l), truth(&r)) {
                        (_, Some(x)) if x == want => Node::new(Value::Bool(want), pos),
                        (Some(_), Some(_)) => Node::new(Value::Bool(!want), pos),
                        _ => sym(first_unknown(&[&l, &r]).unwrap_or_else(|| "an operation".into()), pos),
                    });
                }
                let r = self.eval(scope, &b.rhs_expr, env, file)?;
                let unknown = first_unknown(&[&l, &r]);
                let has_symbolic = matches!(l.value, Value::Symbolic(_)) || matches!(r.value, Value::Symbolic(_));
                match op {
                    BinaryOperator::Eq | BinaryOperator::NotEq if !has_symbolic => {
                        Node::new(Value::Bool(same(&l, &r) == (op == BinaryOperator::Eq)), pos)
                    }
                    _ => match (number(&l), number(&r)) {
                        (Some(x), Some(y)) if !has_symbolic => match op {
                            BinaryOperator::Plus => number_node(x + y, pos),
                            BinaryOperator::Minus => number_node(x - y, pos),
                            BinaryOperator::Mul => number_node(x * y, pos),
                            BinaryOperator::Div if y != 0.0 => number_node(x / y, pos),
                            BinaryOperator::Mod if y != 0.0 => number_node(x % y, pos),
                            BinaryOperator::Less => Node::new(Value::Bool(x < y), pos),
                            BinaryOperator::LessEq => Node::new(Value::Bool(x <= y), pos),
                            BinaryOperator::Greater => Node::new(Value::Bool(x > y), pos),
                            BinaryOperator::GreaterEq => Node::new(Value::Bool(x >= y), pos),
                            _ => sym(unknown.unwrap_or_else(|| "an operation".into()), pos),
                        },
                        _ => sym(unknown.unwrap_or_else(|| "an operation".into()), pos),
                    },
                }
            }
            Expression::ForExpr(f) => {
                let collection = self.eval(scope, &f.intro.collection_expr, env, file)?;
                let items: Vec<(Node, Node)> = match &collection.value {
                    Value::List(items) => items
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (number_node(i as f64, pos), v.clone()))
                        .collect(),
                    Value::Map(entries) => entries
                        .iter()
                        .map(|(k, v)| (string(k.clone(), pos), v.clone()))
                        .collect(),
                    _ => {
                        return Ok(sym(
                            first_unknown(&[&collection]).unwrap_or_else(|| "a collection".into()),
                            pos,
                        ))
                    }
                };
                let mut list = Vec::new();
                let mut map: Vec<(String, Node)> = Vec::new();
                for (k, v) in items {
                    let mut e = env.clone();
                    if let Some(kv) = &f.intro.key_var {
                        e.push((kv.as_str().to_string(), k));
                    }
                    e.push((f.intro.value_var.as_str().to_string(), v));
                    if let Some(cond) = &f.cond {
                        let c = self.eval(scope, &cond.expr, &e, file)?;
                        match truth(&c) {
                            Some(true) => {}
                            Some(false) => continue,
                            None => return Ok(sym(first_unknown(&[&c]).unwrap_or_else(|| "a condition".into()), pos)),
                        }
                    }
                    let value = self.eval(scope, &f.value_expr, &e, file)?;
                    match &f.key_expr {
                        Some(ke) => {
                            let key = self.eval(scope, ke, &e, file)?;
                            let key = text_of(&key).unwrap_or_default();
                            if f.grouping {
                                match map.iter_mut().find(|(k, _)| *k == key) {
                                    Some((
                                        _,
                                        Node {
                                            value: Value::List(items),
                                            ..
                                        },
                                    )) => items.push(value),
                                    _ => map.push((key, Node::new(Value::List(vec![value]), pos))),
                                }
                            } else {
                                map.retain(|(k, _)| *k != key);
                                map.push((key, value));
                            }
                        }
                        None => list.push(value),
                    }
                }
                if f.key_expr.is_some() {
                    Node::new(Value::Map(map), pos)
                } else {
                    Node::new(Value::List(list), pos)
                }
            }
        })
    }

    /// A string template's text; unknowns become stand-ins.
    fn template(&self, scope: &Scope<'a>, elements: Vec<&Element>, env: &Env, file: usize) -> R<String> {
        let mut out = String::new();
        for e in elements {
            match e {
                Element::Literal(s) => out.push_str(s.value()),
                Element::Interpolation(i) => {
                    let v = self.eval(scope, &i.expr, env, file)?;
                    match text_of(&v) {
                        Some(t) => out.push_str(&t),
                        None => {
                            return Err(Problem::new(
                                v.pos,
                                "a list or object cannot be written into a string (use jsonencode or join)",
                            ))
                        }
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(i) => {
                        let c = self.eval(scope, &i.if_expr.cond_expr, env, file)?;
                        let chosen: Option<&Template> = match truth(&c) {
                            Some(true) => Some(&i.if_expr.template),
                            Some(false) => i.else_expr.as_ref().map(|e| &e.template),
                            None => {
                                self.chose(&c);
                                match world() {
                                    World::First => Some(&i.if_expr.template),
                                    World::Second => i.else_expr.as_ref().map(|e| &e.template),
                                }
                            }
                        };
                        if let Some(t) = chosen {
                            out.push_str(&self.template(scope, t.iter().collect(), env, file)?);
                        }
                    }
                    Directive::For(f) => {
                        let fe = &f.for_expr;
                        let collection = self.eval(scope, &fe.collection_expr, env, file)?;
                        let items: Vec<(Node, Node)> = match &collection.value {
                            Value::List(items) => items
                                .iter()
                                .enumerate()
                                .map(|(i, v)| (number_node(i as f64, collection.pos), v.clone()))
                                .collect(),
                            Value::Map(entries) => entries
                                .iter()
                                .map(|(k, v)| (string(k.clone(), collection.pos), v.clone()))
                                .collect(),
                            _ => {
                                out.push_str(&marker(
                                    &first_unknown(&[&collection]).unwrap_or_else(|| "a collection".into()),
                                ));
                                continue;
                            }
                        };
                        for (k, v) in items {
                            let mut e = env.clone();
                            if let Some(kv) = &fe.key_var {
                                e.push((kv.as_str().to_string(), k));
                            }
                            e.push((fe.value_var.as_str().to_string(), v));
                            out.push_str(&self.template(scope, fe.template.iter().collect(), &e, file)?);
                        }
                    }
                },
            }
        }
        Ok(out)
    }

    /// Notes that the world chose a branch of a condition on these unknowns.
    fn chose(&self, cond: &Node) {
        let mut u = Vec::new();
        unknowns(cond, &mut u);
        let mut chosen = self.chosen.borrow_mut();
        for d in u {
            if !chosen.contains(&d) {
                chosen.push(d);
            }
        }
    }

    /// A template read by `templatefile`, with its variables bound.
    pub(super) fn template_text(&self, scope: &Scope<'a>, t: &Template, env: &Env, _pos: Pos) -> R<String> {
        self.template(scope, t.iter().collect(), env, 0)
    }

    /// The root module's directory: `file()` paths are relative to it, as for terraform.
    pub(super) fn root_dir(&self) -> &PathBuf {
        &self.dirs[0]
    }

    /// Keeps the tree of JSON text veto read, so a policy built from it points
    /// into the HCL (`shift`: the text's line 1 is at `at`).
    pub(super) fn remember_json(&self, text: &str, at: Pos, shift: bool) {
        let trimmed = text.trim_start();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[')) || self.json_trees.borrow().contains_key(text) {
            return;
        }
        let Ok(value) = veto_iam::json::parse(text) else { return };
        let index = veto_iam::LineIndex::new(text);
        let mut tree = crate::doc::from_json(&value, text, &index);
        fn place(node: &mut Node, at: Pos, shift: bool) {
            node.pos = if shift {
                Pos {
                    line: at.line + node.pos.line - 1,
                    column: node.pos.column,
                }
            } else {
                at
            };
            match &mut node.value {
                Value::List(items) => items.iter_mut().for_each(|i| place(i, at, shift)),
                Value::Map(entries) => entries.iter_mut().for_each(|(_, v)| place(v, at, shift)),
                _ => {}
            }
        }
        place(&mut tree, at, shift);
        self.json_trees.borrow_mut().insert(text.to_string(), tree);
    }

    fn lookup_decl<'d>(decls: &'d [Decl<'a>], ty: &str, name: &str) -> Option<&'d Decl<'a>> {
        decls.iter().find(|d| d.ty == ty && d.name == name)
    }

    fn attr_name<'o>(ops: &[&'o TraversalOperator], i: usize) -> Option<&'o str> {
        match ops.get(i) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        }
    }

    /// `root.op.op…`: variables, locals, resources, data sources, module outputs, bindings.
    fn reference(
        &self,
        scope: &Scope<'a>,
        root: &str,
        ops: &[&TraversalOperator],
        env: &Env,
        file: usize,
        pos: Pos,
    ) -> R<Node> {
        if let Some((_, v)) = env.iter().rev().find(|(k, _)| k == root) {
            return self.apply(scope, Node { pos, ..v.clone() }, ops, env, file);
        }
        let name = Self::attr_name(ops, 0);
        let missing = |what: &str| Problem::new(pos, format!("`{root}` needs {what} after it"));
        match root {
            "var" => {
                let name = name.ok_or_else(|| missing("a variable name"))?;
                let v = self.var(scope, name, pos)?;
                self.apply(scope, Node { pos, ..v }, &ops[1..], env, file)
            }
            "local" => {
                let name = name.ok_or_else(|| missing("a local name"))?;
                let v = self.local(scope, name, pos)?;
                self.apply(scope, Node { pos, ..v }, &ops[1..], env, file)
            }
            "path" => {
                let v = match name {
                    Some("module") => scope.def.path_module.clone(),
                    _ => ".".into(),
                };
                self.apply(scope, string(v, pos), &ops[1..], env, file)
            }
            "terraform" => self.apply(scope, string("default", pos), &ops[1..], env, file),
            "count" | "each" | "self" => Ok(sym(root, pos)),
            "data" => {
                let (Some(ty), Some(name)) = (name, Self::attr_name(ops, 1)) else {
                    return Err(missing("a type and a name"));
                };
                let decl = Self::lookup_decl(&scope.def.data, ty, name)
                    .ok_or_else(|| Problem::new(pos, format!("data.{ty}.{name} is not declared")))?;
                let v = self.data_value(scope, decl)?;
                self.apply(scope, Node { pos, ..v }, &ops[2..], env, file)
            }
            "module" => {
                let name = name.ok_or_else(|| missing("a module name"))?;
                let decl = Self::lookup_decl(&scope.def.modules, "module", name)
                    .ok_or_else(|| Problem::new(pos, format!("module.{name} is not declared")))?;
                let Some(output) = Self::attr_name(ops, 1) else {
                    return Ok(sym(format!("{}module.{name}", scope.address), pos));
                };
                let v = match self.child(scope, decl)? {
                    None => sym(format!("{}module.{name}.{output}", scope.address), pos),
                    Some(child) => match Self::lookup_decl(&child.def.outputs, "output", output) {
                        None => {
                            return Err(Problem::new(pos, format!("module.{name} has no output \"{output}\"")));
                        }
                        Some(o) => match o.block.body.get_attribute("value") {
                            Some(a) => self.eval(&child, &a.value, &Vec::new(), o.file)?,
                            None => sym(format!("module.{name}.{output}"), pos),
                        },
                    },
                };
                self.apply(scope, Node { pos, ..v }, &ops[2..], env, file)
            }
            ty => {
                let name = name.ok_or_else(|| Problem::new(pos, format!("`{ty}` is not a reference veto knows")))?;
                let decl = Self::lookup_decl(&scope.def.resources, ty, name).ok_or_else(|| {
                    Problem::new(
                        pos,
                        format!("{ty}.{name} is not declared (no resource \"{ty}\" \"{name}\" block)"),
                    )
                })?;
                let v = self.resource_value(scope, decl)?;
                self.apply(scope, Node { pos, ..v }, &ops[1..], env, file)
            }
        }
    }

    /// Follows attribute and index operators into a value.
    fn apply(&self, scope: &Scope<'a>, mut value: Node, ops: &[&TraversalOperator], env: &Env, file: usize) -> R<Node> {
        for (i, op) in ops.iter().enumerate() {
            let pos = value.pos;
            if let Value::Symbolic(d) = &value.value {
                let d = match op {
                    TraversalOperator::GetAttr(a) => format!("{d}.{}", a.as_str()),
                    _ => d.to_string(),
                };
                value = sym(d, pos);
                continue;
            }
            value = match op {
                TraversalOperator::GetAttr(a) => match value.get(a.as_str()) {
                    Some(v) => v.clone(),
                    None => sym(format!("{} (not set in the module)", a.as_str()), pos),
                },
                TraversalOperator::Index(e) => {
                    let k = self.eval(scope, e, env, file)?;
                    self.index(&value, &k, pos)
                }
                TraversalOperator::LegacyIndex(n) => self.index(&value, &number_node(*n.value() as f64, pos), pos),
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    let items = match &value.value {
                        Value::List(items) => items.clone(),
                        Value::Null => Vec::new(),
                        _ => vec![value.clone()],
                    };
                    let mapped = items
                        .into_iter()
                        .map(|item| self.apply(scope, item, rest, env, file))
                        .collect::<R<Vec<_>>>()?;
                    return Ok(Node::new(Value::List(mapped), pos));
                }
            };
        }
        Ok(value)
    }

    fn index(&self, value: &Node, key: &Node, pos: Pos) -> Node {
        if let Value::Symbolic(d) = &key.value {
            return sym(d.to_string(), pos);
        }
        match &value.value {
            Value::List(items) => match number(key) {
                Some(n) if n >= 0.0 && (n as usize) < items.len() => items[n as usize].clone(),
                _ => sym("an index out of range", pos),
            },
            Value::Map(_) => match text_of(key).and_then(|k| value.get(&k).cloned()) {
                Some(v) => v,
                None => sym(format!("[{}]", text_of(key).unwrap_or_default()), pos),
            },
            _ => sym("an index", pos),
        }
    }

    fn local(&self, scope: &Scope<'a>, name: &str, pos: Pos) -> R<Node> {
        if let Some(v) = scope.locals.borrow().get(name) {
            return Ok(v.clone());
        }
        let Some((_, expr, file)) = scope.def.locals.iter().find(|(n, ..)| *n == name) else {
            return Err(Problem::new(
                pos,
                format!("local.{name} is not declared (no `{name} =` in a locals block)"),
            ));
        };
        let v = self.guarded(scope, &format!("local.{name}"), self.pos(*file, expr.span()), || {
            self.eval(scope, expr, &Vec::new(), *file)
        })?;
        scope.locals.borrow_mut().insert(name.to_string(), v.clone());
        Ok(v)
    }

    /// Runs `f` for `key`, refusing a reference cycle through it.
    fn guarded(&self, scope: &Scope<'a>, key: &str, pos: Pos, f: impl FnOnce() -> R<Node>) -> R<Node> {
        if let Some(i) = scope.in_progress.borrow().iter().position(|k| k == key) {
            let chain: Vec<String> = scope.in_progress.borrow()[i..].to_vec();
            return Err(Problem::new(
                pos,
                format!("a reference cycle: {} → {key}", chain.join(" → ")),
            ));
        }
        scope.in_progress.borrow_mut().push(key.to_string());
        let result = f();
        scope.in_progress.borrow_mut().pop();
        result
    }

    /// A resource's value: its instances' attributes as written plus the names veto
    /// derives (`id`, `arn`, `bucket`…); a list under `count`, a map under `for_each`.
    pub(super) fn resource_value(&self, scope: &Scope<'a>, decl: &Decl<'a>) -> R<Node> {
        let key = format!("{}.{}", decl.ty, decl.name);
        if let Some(v) = scope.values.borrow().get(&key) {
            return Ok(v.clone());
        }
        let pos = self.pos(decl.file, decl.block.span());
        let v = self.guarded(scope, &key, pos, || {
            let instances = self.instances(scope, decl.block, decl.file)?;
            let mut objects = Vec::new();
            for (suffix, env) in &instances {
                let mut object = self.block_tree(scope, &decl.block.body, env, decl.file, pos)?;
                derive(decl.ty, &format!("{}{}{suffix}", scope.address, decl.name), &mut object);
                objects.push((suffix.clone(), object));
            }
            Ok(combine(decl.block, objects, pos))
        })?;
        scope.values.borrow_mut().insert(key, v.clone());
        Ok(v)
    }

    fn data_value(&self, scope: &Scope<'a>, decl: &Decl<'a>) -> R<Node> {
        let pos = self.pos(decl.file, decl.block.span());
        if decl.ty != "aws_iam_policy_document" {
            return Ok(sym(format!("{}data.{}.{}", scope.address, decl.ty, decl.name), pos));
        }
        let key = format!("data.{}.{}", decl.ty, decl.name);
        if let Some(v) = scope.values.borrow().get(&key) {
            return Ok(v.clone());
        }
        let v = self.guarded(scope, &key, pos, || {
            let mut objects = Vec::new();
            for (suffix, env) in self.instances(scope, decl.block, decl.file)? {
                let text = (self.hooks.render)(self, scope, decl, &env)?;
                let object = Node::new(
                    Value::Map(vec![
                        ("json".into(), string(text.clone(), pos)),
                        ("minified_json".into(), string(text, pos)),
                    ]),
                    pos,
                );
                objects.push((suffix, object));
            }
            Ok(combine(decl.block, objects, pos))
        })?;
        scope.values.borrow_mut().insert(key, v.clone());
        Ok(v)
    }
}

/// Instances as one value: the object, a list (`count`) or a map (`for_each`).
fn combine(block: &Block, mut objects: Vec<(String, Node)>, pos: Pos) -> Node {
    if block.body.get_attribute("count").is_some() {
        Node::new(Value::List(objects.into_iter().map(|(_, o)| o).collect()), pos)
    } else if block.body.get_attribute("for_each").is_some() {
        Node::new(
            Value::Map(
                objects
                    .into_iter()
                    .map(|(k, o)| (k.trim_start_matches("[\"").trim_end_matches("\"]").to_string(), o))
                    .collect(),
            ),
            pos,
        )
    } else {
        objects
            .pop()
            .map(|(_, o)| o)
            .unwrap_or_else(|| Node::new(Value::Null, pos))
    }
}

/// A stand-in name for what only `apply` decides, stable within the module.
pub(super) fn stand_in(kind: &str, address: &str) -> String {
    let name: String = address
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("veto-{kind}-{}", name.trim_matches('-'))
}

/// Adds the attributes AWS derives from what is written (`arn`, `id`, a name
/// chosen at apply as a stand-in), the way `cfn` derives `Ref` and `GetAtt`.
fn derive(ty: &str, address: &str, object: &mut Node) {
    let pos = object.pos;
    let Value::Map(entries) = &mut object.value else { return };
    let get = |entries: &Vec<(String, Node)>, k: &str| entries.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let set = |entries: &mut Vec<(String, Node)>, k: &str, v: Node| {
        if !entries.iter().any(|(n, _)| n == k) {
            entries.push((k.to_string(), v));
        }
    };
    let name_or = |entries: &Vec<(String, Node)>, field: &str, kind: &str| {
        get(entries, field).unwrap_or_else(|| string(stand_in(kind, address), pos))
    };
    let text = |n: &Node| text_of(n).unwrap_or_default();
    let acct = TEMPLATE_ACCOUNT;
    let region = "us-east-1";
    match ty {
        "aws_s3_bucket" => {
            let name = name_or(entries, "bucket", "bucket");
            set(entries, "bucket", name.clone());
            set(entries, "id", name.clone());
            set(entries, "arn", string(format!("arn:aws:s3:::{}", text(&name)), pos));
        }
        "aws_kms_key" => {
            let id = stand_in("key", address);
            set(entries, "key_id", string(id.clone(), pos));
            set(entries, "id", string(id.clone(), pos));
            set(
                entries,
                "arn",
                string(format!("arn:aws:kms:{region}:{acct}:key/{id}"), pos),
            );
        }
        "aws_kms_alias" => {
            let name = name_or(entries, "name", "alias");
            set(entries, "id", name.clone());
            set(
                entries,
                "arn",
                string(format!("arn:aws:kms:{region}:{acct}:{}", text(&name)), pos),
            );
            if let Some(k) = get(entries, "target_key_id") {
                set(entries, "target_key_arn", k);
            }
        }
        "aws_iam_role" | "aws_iam_user" | "aws_iam_group" | "aws_iam_policy" => {
            let kind = ty.trim_start_matches("aws_iam_");
            let name = name_or(entries, "name", kind);
            let path = get(entries, "path").map(|p| text(&p)).unwrap_or_else(|| "/".into());
            set(entries, "id", name.clone());
            set(
                entries,
                "arn",
                string(format!("arn:aws:iam::{acct}:{kind}{path}{}", text(&name)), pos),
            );
        }
        "aws_sns_topic" => {
            let name = name_or(entries, "name", "topic");
            let arn = string(format!("arn:aws:sns:{region}:{acct}:{}", text(&name)), pos);
            set(entries, "id", arn.clone());
            set(entries, "arn", arn);
        }
        "aws_sqs_queue" => {
            let name = name_or(entries, "name", "queue");
            let url = string(
                format!("https://sqs.{region}.amazonaws.com/{acct}/{}", text(&name)),
                pos,
            );
            set(entries, "id", url.clone());
            set(entries, "url", url);
            set(
                entries,
                "arn",
                string(format!("arn:aws:sqs:{region}:{acct}:{}", text(&name)), pos),
            );
        }
        "aws_codepipeline" => {
            let name = name_or(entries, "name", "pipeline");
            set(entries, "id", name.clone());
            set(
                entries,
                "arn",
                string(format!("arn:aws:codepipeline:{region}:{acct}:{}", text(&name)), pos),
            );
        }
        "aws_codebuild_project" => {
            let name = name_or(entries, "name", "project");
            set(entries, "id", name.clone());
            set(
                entries,
                "arn",
                string(
                    format!("arn:aws:codebuild:{region}:{acct}:project/{}", text(&name)),
                    pos,
                ),
            );
        }
        _ => {}
    }
    // Anything else a reference reads is known only after apply.
    for attr in ["id", "arn"] {
        if !entries.iter().any(|(n, _)| n == attr) {
            entries.push((attr.to_string(), sym(format!("{address}.{attr}"), pos)));
        }
    }
    let _ = address;
}
