//! A policy document held in a document tree (a template's `PolicyDocument`, a
//! YAML policy file) as the JSON text the policy reader takes, with a map from
//! every byte of that text back to the position in the file it came from, so
//! findings on embedded policies point into the template.

use crate::doc::{Node, Pos, StandIns, Value};

pub struct PolicyText {
    pub text: String,
    /// `(offset in text, position in the file)`, offsets increasing.
    marks: Vec<(usize, Pos)>,
}

impl PolicyText {
    /// Where the byte at `offset` of the text came from.
    pub fn pos(&self, offset: usize) -> Pos {
        let i = self.marks.partition_point(|(o, _)| *o <= offset);
        self.marks
            .get(i.saturating_sub(1))
            .map_or_else(Pos::default, |(_, p)| *p)
    }
}

/// The document as JSON. Symbolic values become their stand-ins: a fresh account
/// number as an `AWS` principal entry (where a bare account ID is read as that
/// account), `<name>` elsewhere. Null members (`AWS::NoValue`) are left out.
pub fn policy_text(node: &Node, stand_ins: &mut StandIns) -> PolicyText {
    let mut out = PolicyText {
        text: String::new(),
        marks: Vec::new(),
    };
    write(node, false, stand_ins, &mut out);
    out
}

fn string(text: &str, out: &mut PolicyText) {
    out.text
        .push_str(&serde_json::Value::String(text.to_string()).to_string());
}

fn write(node: &Node, account_slot: bool, stand_ins: &mut StandIns, out: &mut PolicyText) {
    out.marks.push((out.text.len(), node.pos));
    match &node.value {
        Value::Null => out.text.push_str("null"),
        Value::Bool(b) => out.text.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
            Ok(_) => out.text.push_str(n),
            Err(_) => string(n, out),
        },
        Value::Str(s) => string(s, out),
        Value::Symbolic(sym) => {
            let text = if account_slot {
                stand_ins.account(sym)
            } else {
                stand_ins.text(sym)
            };
            string(&text, out)
        }
        Value::List(items) => {
            out.text.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.text.push(',');
                }
                write(item, account_slot, stand_ins, out);
            }
            out.text.push(']');
        }
        Value::Map(entries) => {
            out.text.push('{');
            let mut first = true;
            for (k, v) in entries.iter().filter(|(_, v)| v.value != Value::Null) {
                if !first {
                    out.text.push(',');
                }
                first = false;
                out.marks.push((out.text.len(), v.pos));
                string(k, out);
                out.text.push(':');
                // `Principal: {AWS: !Ref DevAccount}` names an account.
                write(v, k == "AWS", stand_ins, out);
            }
            out.text.push('}');
        }
    }
    out.marks.push((out.text.len(), node.pos));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::{from_yaml, Origin, Symbolic};

    #[test]
    fn positions_map_back_and_symbols_get_stand_ins() {
        let node = from_yaml(
            "Statement:\n  - Effect: Allow\n    Principal:\n      AWS: !Ref DevAccount\n    Action: s3:GetObjekt\n",
        )
        .unwrap();
        // Replace the Ref with the symbolic value the template would give.
        let mut node = node;
        if let Value::Map(e) = &mut node.value {
            if let Value::List(items) = &mut e[0].1.value {
                if let Value::Map(st) = &mut items[0].value {
                    if let Value::Map(p) = &mut st[1].1.value {
                        p[0].1.value = Value::Symbolic(Symbolic::new(Origin::Parameter, "DevAccount"));
                    }
                }
            }
        }
        let mut stand_ins = StandIns::default();
        let text = policy_text(&node, &mut stand_ins);
        let v: serde_json::Value = serde_json::from_str(&text.text).unwrap();
        let account = v["Statement"][0]["Principal"]["AWS"].as_str().unwrap().to_string();
        assert_eq!(account.len(), 12);
        assert_eq!(
            stand_ins.describe(&format!("arn:aws:iam::{account}:root")),
            "arn:aws:iam::<DevAccount>:root"
        );
        let at = text.text.find("s3:GetObjekt").unwrap();
        assert_eq!(text.pos(at - 1).line, 5);
    }
}
