//! Policy variables: `${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`.
//!
//! A template is parsed once at load time. At evaluation it is expanded against the
//! request context into a caller-supplied buffer, so evaluation allocates nothing
//! once the buffers have grown.

use crate::request::Context;
use crate::wildcard::{self, Atom};

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// Policy text as written: `*` and `?` in it are wildcards where the operator allows them.
    Text(String),
    /// `${*}`, `${?}` or `${$}`: a literal character.
    Escaped(char),
    /// `${key}` or `${key, 'default'}`; `key` is stored in lower case.
    Variable {
        /// The key, in lower case.
        key: String,
        /// The text to use when the key is absent from the context.
        default: Option<String>,
    },
}

/// Policy text with its `${…}` policy variables parsed out (spec §3.12).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// The pieces, in order.
    pub parts: Vec<Part>,
}

/// Why `${…}` text is not a valid variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// `${` with no closing `}`.
    #[error("`${{` is not closed by `}}`")]
    Unclosed,
    /// `${}`.
    #[error("empty policy variable `${{}}`")]
    Empty,
    /// A space in the variable name (only the default may hold one); holds the variable text.
    #[error("policy variable name `{0}` contains a space; only the default may (`${{key, 'default'}}`)")]
    SpaceInName(String),
    /// A default not written `'text'`; holds the variable text.
    #[error("malformed default in `{0}`: expected `${{key, 'default text'}}`")]
    BadDefault(String),
}

impl Template {
    /// Parses `${…}` variables (policy version 2012-10-17).
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut literal = String::new();
        while let Some(at) = rest.find("${") {
            literal.push_str(&rest[..at]);
            let after = &rest[at + 2..];
            let close = find_close(after).ok_or(TemplateError::Unclosed)?;
            let inner = &after[..close];
            rest = &after[close + 1..];
            match inner {
                "*" | "?" | "$" => {
                    flush(&mut parts, &mut literal);
                    parts.push(Part::Escaped(inner.chars().next().unwrap_or('$')));
                }
                _ => {
                    flush(&mut parts, &mut literal);
                    parts.push(parse_variable(inner)?);
                }
            }
        }
        literal.push_str(rest);
        flush(&mut parts, &mut literal);
        Ok(Template { parts })
    }

    /// A template of plain text (policy version 2008-10-17, where `${…}` is literal).
    pub fn text(text: &str) -> Template {
        Template {
            parts: vec![Part::Text(text.to_string())],
        }
    }

    /// Whether the text holds anything but plain text (a variable or an escape).
    pub fn has_variables(&self) -> bool {
        self.parts.iter().any(|p| !matches!(p, Part::Text(_)))
    }

    /// The keys of the variables, lower case, in order.
    pub fn variables(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Variable { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Expands into a pattern; text keeps its wildcards when `globs` is set.
    /// Returns false when a variable has no value and no default.
    pub fn expand_atoms(&self, context: &Context, globs: bool, out: &mut Vec<Atom>) -> bool {
        out.clear();
        for part in &self.parts {
            match part {
                Part::Text(t) if globs => wildcard::push_glob(out, t),
                Part::Text(t) => wildcard::push_literal(out, t),
                Part::Escaped(c) => wildcard::push_literal(out, c.encode_utf8(&mut [0; 4])),
                Part::Variable { key, default } => match resolve(context, key, default) {
                    Some(value) => wildcard::push_literal(out, value),
                    None => return false,
                },
            }
        }
        true
    }

    /// Expands into literal text. Returns false when a variable cannot be resolved.
    pub fn expand_text(&self, context: &Context, out: &mut String) -> bool {
        out.clear();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Escaped(c) => out.push(*c),
                Part::Variable { key, default } => match resolve(context, key, default) {
                    Some(value) => out.push_str(value),
                    None => return false,
                },
            }
        }
        true
    }
}

/// A variable takes its key's value when the key is single-valued; a multi-valued
/// or absent key falls back to the default, if any.
fn resolve<'a>(context: &'a Context, key: &str, default: &'a Option<String>) -> Option<&'a str> {
    context.single_lower(key).or(default.as_deref())
}

fn flush(parts: &mut Vec<Part>, literal: &mut String) {
    if !literal.is_empty() {
        parts.push(Part::Text(std::mem::take(literal)));
    }
}

/// The index of the `}` closing a variable, skipping over a quoted default.
fn find_close(s: &str) -> Option<usize> {
    let mut in_quote = false;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' if in_quote && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b'\'' => in_quote = !in_quote,
            b'}' if !in_quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

fn parse_variable(inner: &str) -> Result<Part, TemplateError> {
    let (name, default) = match inner.split_once(',') {
        None => (inner, None),
        Some((name, default)) => {
            let quoted = default.trim();
            let body = quoted
                .strip_prefix('\'')
                .and_then(|q| q.strip_suffix('\''))
                .filter(|_| quoted.len() >= 2)
                .ok_or_else(|| TemplateError::BadDefault(format!("${{{inner}}}")))?;
            // Inside the quotes, `''` stands for one quote; a lone quote ends nothing.
            if body.replace("''", "").contains('\'') {
                return Err(TemplateError::BadDefault(format!("${{{inner}}}")));
            }
            (name, Some(body.replace("''", "'")))
        }
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(TemplateError::Empty);
    }
    if name.chars().any(char::is_whitespace) {
        return Err(TemplateError::SpaceInName(name.to_string()));
    }
    Ok(Part::Variable {
        key: name.to_ascii_lowercase(),
        default,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_variables_defaults_and_escapes() {
        let t = Template::parse("b-${aws:PrincipalTag/team, 'company-wide'}/${*}x").unwrap();
        assert_eq!(
            t.parts,
            vec![
                Part::Text("b-".into()),
                Part::Variable {
                    key: "aws:principaltag/team".into(),
                    default: Some("company-wide".into())
                },
                Part::Text("/".into()),
                Part::Escaped('*'),
                Part::Text("x".into()),
            ]
        );
        assert_eq!(
            Template::parse("${a, 'it''s'}").unwrap().parts,
            vec![Part::Variable {
                key: "a".into(),
                default: Some("it's".into())
            }]
        );
    }

    #[test]
    fn rejects_malformed_variables() {
        assert_eq!(Template::parse("${}"), Err(TemplateError::Empty));
        assert_eq!(Template::parse("x${a"), Err(TemplateError::Unclosed));
        assert!(matches!(Template::parse("${a b}"), Err(TemplateError::SpaceInName(_))));
        assert!(matches!(Template::parse("${a, b}"), Err(TemplateError::BadDefault(_))));
    }
}

/// A wildcard pattern that may hold policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GlobValue {
    /// No variables: compiled once.
    Static(wildcard::Pattern),
    /// Holds variables: expanded against each request's context.
    Dynamic(Template),
}

/// Literal text that may hold policy variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextValue {
    /// No variables: the text itself.
    Static(String),
    /// Holds variables: expanded against each request's context.
    Dynamic(Template),
}

thread_local! {
    /// Buffers for expanding variables; they grow once per thread and are reused.
    static SCRATCH: std::cell::RefCell<(Vec<Atom>, String)> = const {
        std::cell::RefCell::new((Vec::new(), String::new()))
    };
}

impl GlobValue {
    /// `globs`: whether `*` and `?` in the policy text are wildcards.
    pub fn new(template: Template, globs: bool) -> GlobValue {
        if template.variables().next().is_none() {
            let mut atoms = Vec::new();
            template.expand_atoms(&Context::default(), globs, &mut atoms);
            GlobValue::Static(wildcard::Pattern::new(atoms))
        } else {
            GlobValue::Dynamic(template)
        }
    }

    /// Does the pattern match `input`? `None` when a variable cannot be resolved.
    #[inline]
    pub fn matches(&self, context: &Context, input: &str) -> Option<bool> {
        match self {
            GlobValue::Static(pattern) => Some(pattern.matches(input, false)),
            GlobValue::Dynamic(_) => self.with_pattern(context, |atoms| wildcard::matches(atoms, input, false)),
        }
    }

    /// Runs `f` on the expanded pattern; `None` when a variable cannot be resolved.
    pub fn with_pattern<R>(&self, context: &Context, f: impl FnOnce(&[Atom]) -> R) -> Option<R> {
        match self {
            GlobValue::Static(pattern) => Some(f(pattern.atoms())),
            GlobValue::Dynamic(template) => {
                SCRATCH.with_borrow_mut(|(atoms, _)| template.expand_atoms(context, true, atoms).then(|| f(atoms)))
            }
        }
    }
}

impl TextValue {
    /// Compiles a template; text without variables becomes static.
    pub fn new(template: Template) -> TextValue {
        if template.variables().next().is_none() {
            let mut text = String::new();
            template.expand_text(&Context::default(), &mut text);
            TextValue::Static(text)
        } else {
            TextValue::Dynamic(template)
        }
    }

    /// Runs `f` on the expanded text; `None` when a variable cannot be resolved.
    pub fn with_text<R>(&self, context: &Context, f: impl FnOnce(&str) -> R) -> Option<R> {
        match self {
            TextValue::Static(text) => Some(f(text)),
            TextValue::Dynamic(template) => {
                SCRATCH.with_borrow_mut(|(_, text)| template.expand_text(context, text).then(|| f(text)))
            }
        }
    }
}
