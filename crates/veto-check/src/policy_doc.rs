//! A policy document held in a document tree (a template's `PolicyDocument`, a
//! YAML policy file) turned into the policy reader's own document tree — no JSON
//! text in between — with a map from every node back to the position in the file
//! it came from, so findings on embedded policies point at the element.

use crate::doc::{Node, Pos, StandIns, Value};
use veto_iam::json::{JsonKind, JsonMember, JsonValue};
use veto_iam::{Policy, PolicyError, Span};

/// A policy document as the reader takes it. Its spans are not byte offsets into
/// any text: each node's span starts at its index in `marks`, the position in the
/// file the node came from.
pub struct PolicyDoc {
    pub value: JsonValue,
    marks: Vec<Pos>,
}

impl PolicyDoc {
    /// Where the node whose span starts at `offset` came from.
    pub fn pos(&self, offset: usize) -> Pos {
        self.marks.get(offset).copied().unwrap_or_default()
    }

    /// The policy, read by the one policy reader.
    pub fn parse(&self) -> Result<Policy, PolicyError> {
        Policy::from_json(&self.value)
    }
}

/// The document as the reader's tree. Symbolic values become their stand-ins: a
/// fresh account number as an `AWS` principal entry (where a bare account ID is
/// read as that account), `<name>` elsewhere. Null members (`AWS::NoValue`) are
/// left out.
pub fn policy_doc(node: &Node, stand_ins: &mut StandIns) -> PolicyDoc {
    let mut marks = Vec::new();
    let value = convert(node, false, stand_ins, &mut marks);
    PolicyDoc { value, marks }
}

/// A span standing for `pos`: its start is the index of `pos` in `marks`.
fn mark(pos: Pos, marks: &mut Vec<Pos>) -> Span {
    marks.push(pos);
    Span::new(marks.len() - 1, marks.len())
}

fn convert(node: &Node, account_slot: bool, stand_ins: &mut StandIns, marks: &mut Vec<Pos>) -> JsonValue {
    let span = mark(node.pos, marks);
    let kind = match &node.value {
        Value::Null => JsonKind::Null,
        Value::Bool(b) => JsonKind::Bool(*b),
        // A YAML number that JSON would not accept (`0x1F`, `.5`) is its text.
        Value::Number(n) => match serde_json::from_str::<serde_json::Number>(n) {
            Ok(_) => JsonKind::Number(n.clone()),
            Err(_) => JsonKind::String(n.clone()),
        },
        Value::Str(s) => JsonKind::String(s.clone()),
        Value::Symbolic(sym) => JsonKind::String(if account_slot {
            stand_ins.account(sym)
        } else {
            stand_ins.text(sym)
        }),
        Value::List(items) => JsonKind::Array(
            items
                .iter()
                .map(|item| convert(item, account_slot, stand_ins, marks))
                .collect(),
        ),
        Value::Map(entries) => JsonKind::Object(
            entries
                .iter()
                .filter(|(_, v)| v.value != Value::Null)
                .map(|(k, v)| JsonMember {
                    key: k.clone(),
                    key_span: mark(v.pos, marks),
                    // `Principal: {AWS: !Ref DevAccount}` names an account.
                    value: convert(v, k == "AWS", stand_ins, marks),
                })
                .collect(),
        ),
    };
    JsonValue { kind, span }
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
        let doc = policy_doc(&node, &mut stand_ins);
        let statement = &doc.value.get("Statement").unwrap().kind;
        let JsonKind::Array(statements) = statement else {
            panic!("a list of statements")
        };
        let principal = statements[0].get("Principal").unwrap();
        let account = principal.get("AWS").unwrap().as_str().unwrap().to_string();
        assert_eq!(account.len(), 12);
        assert_eq!(
            stand_ins.describe(&format!("arn:aws:iam::{account}:root")),
            "arn:aws:iam::<DevAccount>:root"
        );
        let action = statements[0].get("Action").unwrap();
        assert_eq!(action.as_str(), Some("s3:GetObjekt"));
        assert_eq!(doc.pos(action.span.start).line, 5);
        // The reader's own diagnostics point back into the file.
        let policy = doc.parse().expect("loads with a warning");
        let finding = veto_iam::validate::validate(&policy)
            .into_iter()
            .find(|d| d.code == Some("IAM-UNKNOWN-ACTION"))
            .expect("a misspelt action is found");
        assert_eq!(doc.pos(finding.span.start).line, 5);
    }
}
