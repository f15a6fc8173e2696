//! One document tree for JSON, YAML and Terraform plans: values with the line and
//! column they came from, and symbolic values for what a template cannot tell.

use veto_iam::json::{JsonKind, JsonValue};
use veto_iam::LineIndex;

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// As written.
    Number(String),
    Str(String),
    List(Vec<Node>),
    /// Keys in source order.
    Map(Vec<(String, Node)>),
    /// A value the input does not determine: see [`Symbolic`].
    Symbolic(Symbolic),
}

/// A value the input does not determine, named as the user wrote it: a
/// CloudFormation parameter without a value (`DevAccount`), an imported value,
/// an attribute veto does not model, a Terraform variable or a value "known
/// after apply", a condition whose inputs are unknown.
///
/// Two symbolic values with the same `origin` and `name` are the same value
/// (two `!Ref DevAccount` name one account). Where a policy needs text, a
/// symbolic value becomes a stand-in chosen by [`StandIns`]: a fresh account
/// number distinct from every literal in an account slot, `<name>` elsewhere;
/// messages are written back in the user's names with [`StandIns::describe`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Symbolic {
    pub origin: Origin,
    /// The user's name: `DevAccount`, `Key.Arn`, `var.dev_account`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// A template parameter (or Terraform variable) without a value.
    Parameter,
    /// `Fn::ImportValue`, or a resource the input does not define.
    Import,
    /// An attribute or intrinsic veto does not model.
    Attribute,
    /// A Terraform value known only after apply.
    Computed,
    /// A value that depends on a condition whose inputs are unknown (`name` is
    /// the condition).
    Condition,
    /// Anything else, described in `name` (a YAML alias).
    Other,
}

impl Symbolic {
    pub fn new(origin: Origin, name: impl Into<String>) -> Self {
        Symbolic {
            origin,
            name: name.into(),
        }
    }
}

impl std::fmt::Display for Symbolic {
    /// In words, for messages: "parameter DevAccount".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = &self.name;
        match self.origin {
            Origin::Parameter => write!(f, "parameter {n}"),
            Origin::Import => write!(f, "imported value {n}"),
            Origin::Attribute => write!(f, "{n}"),
            Origin::Computed => write!(f, "{n} (known after apply)"),
            Origin::Condition => write!(f, "condition {n}"),
            Origin::Other => write!(f, "{n}"),
        }
    }
}

/// The text that stands for each symbolic value inside strings a policy needs
/// (an ARN built with `!Sub`), kept so messages can name the value again.
#[derive(Debug, Clone, Default)]
pub struct StandIns {
    entries: Vec<(Symbolic, String)>,
    accounts: usize,
}

/// Fresh account numbers start here; a template using this range literally
/// would confuse them (none of the real templates tried does).
const FRESH_ACCOUNT_BASE: u64 = 987_654_000_000;

impl StandIns {
    /// `<name>`: the same for every use of the value.
    pub fn text(&mut self, symbol: &Symbolic) -> String {
        if let Some((_, t)) = self.entries.iter().find(|(s, t)| s == symbol && t.starts_with('<')) {
            return t.clone();
        }
        let text = format!("<{}>", symbol.name);
        self.entries.push((symbol.clone(), text.clone()));
        text
    }

    /// A fresh 12-digit account, the same for every use of the value.
    pub fn account(&mut self, symbol: &Symbolic) -> String {
        if let Some((_, t)) = self.entries.iter().find(|(s, t)| s == symbol && !t.starts_with('<')) {
            return t.clone();
        }
        self.accounts += 1;
        let text = format!("{:012}", FRESH_ACCOUNT_BASE + self.accounts as u64);
        self.entries.push((symbol.clone(), text.clone()));
        text
    }

    /// `message` with every stand-in account written as the user's name (`<DevAccount>`).
    pub fn describe(&self, message: &str) -> String {
        let mut out = message.to_string();
        for (symbol, text) in &self.entries {
            if !text.starts_with('<') {
                out = out.replace(text.as_str(), &format!("<{}>", symbol.name));
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl Node {
    pub fn new(value: Value, pos: Pos) -> Node {
        Node { value, pos }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_list(&self) -> &[Node] {
        match &self.value {
            Value::List(items) => items,
            _ => &[],
        }
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The node as JSON text (symbolic values become strings naming them).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n).unwrap_or_else(|_| serde_json::Value::String(n.clone())),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                serde_json::Value::Object(entries.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Symbolic(d) => serde_json::Value::String(format!("<{}>", d.name)),
        }
    }
}

/// A JSON value as a document tree.
pub fn from_json(value: &JsonValue, text: &str, index: &LineIndex) -> Node {
    from_json_at(value, &|offset| {
        let lc = index.line_col(text, offset);
        Pos {
            line: lc.line,
            column: lc.column,
        }
    })
}

/// A JSON value as a document tree, with `at` turning the value's byte offsets
/// into positions (for JSON read out of a string inside another file).
pub fn from_json_at(value: &JsonValue, at: &dyn Fn(usize) -> Pos) -> Node {
    let pos = at(value.span.start);
    let v = match &value.kind {
        JsonKind::Null => Value::Null,
        JsonKind::Bool(b) => Value::Bool(*b),
        JsonKind::Number(n) => Value::Number(n.clone()),
        JsonKind::String(s) => Value::Str(s.clone()),
        JsonKind::Array(items) => Value::List(items.iter().map(|i| from_json_at(i, at)).collect()),
        JsonKind::Object(members) => Value::Map(
            members
                .iter()
                .map(|m| (m.key.clone(), from_json_at(&m.value, at)))
                .collect(),
        ),
    };
    Node::new(v, pos)
}

/// Deepest YAML nesting read.
pub const MAX_YAML_DEPTH: usize = 128;

/// Why YAML did not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub message: String,
    pub pos: Pos,
}

/// Parses YAML (the first document). CloudFormation's short-form tags become their
/// long forms: `!Ref X` is `{"Ref": X}`, `!GetAtt A.B` is `{"Fn::GetAtt": ["A", "B"]}`,
/// `!Sub …` is `{"Fn::Sub": …}`, and so on.
pub fn from_yaml(text: &str) -> Result<Node, YamlError> {
    use saphyr::{LoadableYamlNode, MarkedYaml};
    check_flow_depth(text)?;
    let mut fixed: Option<String> = None;
    let docs = loop {
        let attempt = fixed.as_deref().unwrap_or(text);
        match MarkedYaml::load_from_str(attempt) {
            Ok(docs) => break docs,
            Err(e) => {
                let error = YamlError {
                    message: e.info().to_string(),
                    pos: Pos {
                        line: e.marker().line(),
                        column: e.marker().col() + 1,
                    },
                };
                // CloudFormation, cfn-lint and PyYAML read a multi-line quoted
                // scalar whose continuation lines are indented less than YAML 1.2
                // asks (saphyr rejects it, as the spec does: saphyr-rs/saphyr#57,
                // #62). Leading blanks of continuation lines are folded away, so
                // indenting them further changes no value: do that and retry.
                if e.info() != "invalid indentation in quoted scalar" {
                    return Err(error);
                }
                match reindent_quoted(attempt, error.pos.line, error.pos.column) {
                    Some(t) if t != attempt => fixed = Some(t),
                    _ => return Err(error),
                }
            }
        }
    };
    let Some(doc) = docs.into_iter().next() else {
        return Err(YamlError {
            message: "the file holds no YAML document".into(),
            pos: Pos { line: 1, column: 1 },
        });
    };
    convert_yaml(&doc, 0)
}

/// The text with the continuation lines of the quoted scalar whose opening quote
/// is at `line`:`column` (1-based) indented one column deeper than the line it
/// starts on (its key's indentation, `- ` of a list item counted). `None` when no
/// quoted scalar starts there.
fn reindent_quoted(text: &str, line: usize, column: usize) -> Option<String> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let first = lines.get(line.checked_sub(1)?)?;
    let start = first.char_indices().nth(column.checked_sub(1)?)?.0;
    let quote = first[start..].chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let indent = first.len() - first.trim_start_matches([' ', '-']).len();
    // Walk to the closing quote: `''` is a quote in single-quoted scalars, `\"` in double-quoted ones.
    let (mut l, mut rest_start) = (line - 1, start + 1);
    loop {
        let current = lines.get(l)?.clone();
        let mut chars = current[rest_start..].chars().peekable();
        let mut closed = false;
        while let Some(c) = chars.next() {
            match (quote, c) {
                ('"', '\\') => {
                    chars.next();
                }
                ('\'', '\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                }
                (q, c) if c == q => {
                    closed = true;
                    break;
                }
                _ => {}
            }
        }
        if closed {
            break;
        }
        l += 1;
        let next = lines.get_mut(l)?;
        let blanks = next.len() - next.trim_start_matches([' ', '\t']).len();
        if blanks <= indent && !next.trim().is_empty() {
            next.insert_str(0, &" ".repeat(indent + 1 - blanks));
        }
        rest_start = 0;
    }
    Some(lines.join("\n"))
}

/// Flow collections (`[[[…` or `{{{…`) nest without indentation; refuse deep ones
/// before the parser sees them.
fn check_flow_depth(text: &str) -> Result<(), YamlError> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut quote: Option<char> = None;
    for c in text.chars() {
        column += 1;
        match (c, quote) {
            ('\n', _) => {
                line += 1;
                column = 0;
                if quote == Some('#') {
                    quote = None;
                }
            }
            ('"' | '\'', None) => quote = Some(c),
            ('#', None) => quote = Some('#'),
            (q, Some(open)) if q == open && open != '#' => quote = None,
            ('[' | '{', None) => {
                depth += 1;
                if depth > MAX_YAML_DEPTH {
                    return Err(YamlError {
                        message: format!("nesting deeper than {MAX_YAML_DEPTH} levels: veto refuses such input"),
                        pos: Pos { line, column },
                    });
                }
            }
            (']' | '}', None) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn convert_yaml(node: &saphyr::MarkedYaml, depth: usize) -> Result<Node, YamlError> {
    use saphyr::{Scalar, YamlData};
    let pos = Pos {
        line: node.span.start.line(),
        column: node.span.start.col() + 1,
    };
    if depth > MAX_YAML_DEPTH {
        return Err(YamlError {
            message: format!("nesting deeper than {MAX_YAML_DEPTH} levels: veto refuses such input"),
            pos,
        });
    }
    let value = match &node.data {
        YamlData::Value(s) => match s {
            Scalar::Null => Value::Null,
            Scalar::Boolean(b) => Value::Bool(*b),
            Scalar::Integer(i) => Value::Number(i.to_string()),
            Scalar::FloatingPoint(f) => Value::Number(f.to_string()),
            Scalar::String(s) => Value::Str(s.to_string()),
        },
        YamlData::Representation(raw, _, _) => Value::Str(raw.to_string()),
        YamlData::Sequence(items) => Value::List(
            items
                .iter()
                .map(|i| convert_yaml(i, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        YamlData::Mapping(map) => {
            let mut entries = Vec::new();
            for (k, v) in map.iter() {
                let key = match &k.data {
                    YamlData::Value(Scalar::String(s)) => s.to_string(),
                    YamlData::Value(Scalar::Integer(i)) => i.to_string(),
                    YamlData::Value(Scalar::Boolean(b)) => b.to_string(),
                    _ => {
                        return Err(YamlError {
                            message: "mapping keys must be plain strings".into(),
                            pos: Pos {
                                line: k.span.start.line(),
                                column: k.span.start.col() + 1,
                            },
                        })
                    }
                };
                entries.push((key, convert_yaml(v, depth + 1)?));
            }
            Value::Map(entries)
        }
        YamlData::Tagged(tag, inner) => {
            // A tagged scalar's inner node has an empty span; keep the tag's position.
            let mut inner = convert_yaml(inner, depth + 1)?;
            inner.pos = pos;
            return Ok(short_form(&tag.suffix, &tag.handle, inner, pos));
        }
        YamlData::Alias(_) => Value::Symbolic(Symbolic::new(Origin::Other, "a YAML alias")),
        YamlData::BadValue => {
            return Err(YamlError {
                message: "a value that does not fit its tag".into(),
                pos,
            })
        }
    };
    Ok(Node::new(value, pos))
}

/// `!Ref`, `!Sub`, `!GetAtt`… to their long forms.
fn short_form(suffix: &str, handle: &str, inner: Node, pos: Pos) -> Node {
    if handle != "!" {
        return inner;
    }
    let name = match suffix {
        "Ref" => "Ref".to_string(),
        "Condition" => "Condition".to_string(),
        other => format!("Fn::{other}"),
    };
    let inner = if suffix == "GetAtt" {
        match &inner.value {
            Value::Str(s) => {
                let (a, b) = s.split_once('.').unwrap_or((s, ""));
                Node::new(
                    Value::List(vec![
                        Node::new(Value::Str(a.into()), pos),
                        Node::new(Value::Str(b.into()), pos),
                    ]),
                    pos,
                )
            }
            _ => inner,
        }
    } else {
        inner
    };
    Node::new(Value::Map(vec![(name, inner)]), pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_short_forms_and_positions() {
        let n = from_yaml("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Name: !Ref Param\n    Arn: !GetAtt Key.Arn\n    S: !Sub 'arn:aws:s3:::${B}/*'\n").unwrap();
        let b = n.get("Resources").unwrap().get("B").unwrap();
        assert_eq!(b.get("Type").unwrap().as_str(), Some("AWS::S3::Bucket"));
        let r = b.get("Name").unwrap();
        assert_eq!(r.get("Ref").unwrap().as_str(), Some("Param"));
        assert_eq!(r.pos.line, 4);
        let g = b.get("Arn").unwrap().get("Fn::GetAtt").unwrap();
        assert_eq!(g.as_list()[1].as_str(), Some("Arn"));
        assert!(b.get("S").unwrap().get("Fn::Sub").is_some());
    }

    #[test]
    fn multi_line_quoted_scalars_load_as_cloudformation_reads_them() {
        let n = from_yaml(
            "Resources:\n  P:\n    Properties:\n      - Resource: !Sub 'arn:aws:s3:::${B}\n  /*'\n        Other: \"a\n b \\\" c\n\"\n",
        )
        .unwrap();
        let item = &n
            .get("Resources")
            .unwrap()
            .get("P")
            .unwrap()
            .get("Properties")
            .unwrap()
            .as_list()[0];
        let sub = item.get("Resource").unwrap().get("Fn::Sub").unwrap();
        assert_eq!(sub.as_str(), Some("arn:aws:s3:::${B} /*"));
        assert_eq!(item.get("Other").unwrap().as_str(), Some("a b \" c "));
        // The next key keeps its line.
        assert_eq!(item.get("Other").unwrap().pos.line, 6);
    }

    #[test]
    fn bad_yaml_is_positioned() {
        let e = from_yaml("a:\n  b: 1\n c: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 3);
        let deep = format!("a: {}", "[".repeat(10_000));
        assert!(from_yaml(&deep).unwrap_err().message.contains("nesting"));
    }
}
