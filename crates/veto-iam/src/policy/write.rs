//! Writing a policy back as JSON text. Reading the result gives an equivalent policy.

use super::model::*;
use super::scalar::*;

impl Policy {
    /// Writes the policy back as JSON. Reading the result gives an equivalent policy.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{");
        match self.version {
            Version::V2012 => out.push_str("\"Version\":\"2012-10-17\","),
            Version::V2008 => out.push_str("\"Version\":\"2008-10-17\","),
            Version::Missing => {}
        }
        if let Some(id) = &self.id {
            out.push_str(&format!("\"Id\":{},", quote(&id.value)));
        }
        out.push_str("\"Statement\":");
        let statements: Vec<String> = self.statements.iter().map(Statement::to_json).collect();
        if self.statement_is_array {
            out.push_str(&format!("[{}]", statements.join(",")));
        } else {
            out.push_str(&statements.join(","));
        }
        out.push('}');
        out
    }
}

impl Statement {
    pub(crate) fn to_json(&self) -> String {
        let mut fields = Vec::new();
        if let Some(sid) = &self.sid {
            fields.push(format!("\"Sid\":{}", quote(&sid.value)));
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        fields.push(format!("\"Effect\":\"{effect}\""));
        if let Some(p) = &self.principal {
            let name = if p.negated { "NotPrincipal" } else { "Principal" };
            if p.bare_star {
                fields.push(format!("\"{name}\":\"*\""));
            } else {
                let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
                for e in &p.entries {
                    match groups.iter_mut().find(|(k, _)| *k == e.key) {
                        Some((_, v)) => v.push(quote(&e.text)),
                        None => groups.push((&e.key, vec![quote(&e.text)])),
                    }
                }
                let body: Vec<String> = groups
                    .iter()
                    .map(|(k, v)| format!("{}:[{}]", quote(k), v.join(",")))
                    .collect();
                fields.push(format!("\"{name}\":{{{}}}", body.join(",")));
            }
        }
        let actions: Vec<String> = self.action.patterns.iter().map(|a| quote(&a.text)).collect();
        let name = if self.action.negated { "NotAction" } else { "Action" };
        fields.push(format!("\"{name}\":[{}]", actions.join(",")));
        if let Some(r) = &self.resource {
            let resources: Vec<String> = r.patterns.iter().map(|p| quote(&p.text)).collect();
            let name = if r.negated { "NotResource" } else { "Resource" };
            fields.push(format!("\"{name}\":[{}]", resources.join(",")));
        }
        if self.condition_span.is_some() {
            let mut blocks: Vec<(String, Vec<String>)> = Vec::new();
            for c in &self.conditions {
                let values: Vec<String> = c
                    .values
                    .iter()
                    .map(|v| match v.kind {
                        ScalarKind::String => quote(&v.text),
                        ScalarKind::Number | ScalarKind::Bool => v.text.clone(),
                    })
                    .collect();
                let values = if c.values_are_array {
                    format!("[{}]", values.join(","))
                } else {
                    values.join(",")
                };
                let entry = format!("{}:{values}", quote(&c.key));
                let op = c.operator.name();
                match blocks.iter_mut().find(|(o, _)| *o == op) {
                    Some((_, entries)) => entries.push(entry),
                    None => blocks.push((op, vec![entry])),
                }
            }
            let body: Vec<String> = blocks
                .iter()
                .map(|(op, entries)| format!("{}:{{{}}}", quote(op), entries.join(",")))
                .collect();
            fields.push(format!("\"Condition\":{{{}}}", body.join(",")));
        }
        format!("{{{}}}", fields.join(","))
    }
}

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
