//! What the AWS CLI prints around a policy: `aws iam get-policy-version`
//! (`PolicyVersion.Document`), `get-role-policy`/`get-user-policy`/
//! `get-group-policy` (`PolicyDocument`), `get-role` (`Role.AssumeRolePolicyDocument`),
//! `aws s3api get-bucket-policy` and `aws kms get-key-policy` (`Policy`, the
//! document as a JSON string). The policy inside is read with positions in the
//! file, inside the string too.

use crate::doc::Pos;
use veto_iam::json::{JsonKind, JsonValue};

/// The policy a CLI output holds.
pub struct Wrapped<'v> {
    /// Which command's output, and the member the policy is in.
    pub wrapper: &'static str,
    pub document: Document<'v>,
}

pub enum Document<'v> {
    /// The document as JSON in the file.
    Inline(&'v JsonValue),
    /// The document as a JSON string value (its literal is at the value's span).
    Text(&'v JsonValue),
}

fn document(value: &JsonValue) -> Option<Document<'_>> {
    match &value.kind {
        JsonKind::Object(_) => Some(Document::Inline(value)),
        JsonKind::String(s) if s.trim_start().starts_with('{') => Some(Document::Text(value)),
        _ => None,
    }
}

/// Recognizes a CLI output by its members; `None` for anything else (a bare policy included).
pub fn unwrap(root: &JsonValue) -> Option<Wrapped<'_>> {
    let has = |k: &str| root.get(k).is_some();
    if let Some(doc) = root.get("PolicyVersion").and_then(|v| v.get("Document")) {
        return Some(Wrapped {
            wrapper: "`aws iam get-policy-version` output, PolicyVersion.Document",
            document: document(doc)?,
        });
    }
    if let Some(doc) = root.get("PolicyDocument") {
        let wrapper = if has("RoleName") {
            "`aws iam get-role-policy` output, PolicyDocument"
        } else if has("UserName") {
            "`aws iam get-user-policy` output, PolicyDocument"
        } else if has("GroupName") {
            "`aws iam get-group-policy` output, PolicyDocument"
        } else {
            "PolicyDocument"
        };
        return Some(Wrapped {
            wrapper,
            document: document(doc)?,
        });
    }
    if let Some(doc) = root.get("Role").and_then(|v| v.get("AssumeRolePolicyDocument")) {
        return Some(Wrapped {
            wrapper: "`aws iam get-role` output, Role.AssumeRolePolicyDocument",
            document: document(doc)?,
        });
    }
    if let Some(doc) = root.get("Policy") {
        let wrapper = if has("PolicyName") {
            "`aws kms get-key-policy` output, Policy"
        } else {
            "`aws s3api get-bucket-policy` output, Policy"
        };
        // Only a JSON string here: `{"Policy": {…}}` is a different shape
        // (`aws iam get-policy` metadata has no document at all).
        if let JsonKind::String(_) = doc.kind {
            return Some(Wrapped {
                wrapper,
                document: document(doc)?,
            });
        }
    }
    None
}

/// For a JSON string literal (`raw`, quotes included), the byte offset in `raw`
/// of every byte of the decoded string, plus one past the end: positions in the
/// decoded text map back into the file.
pub fn decoded_offsets(raw: &str) -> Vec<usize> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = usize::from(bytes.first() == Some(&b'"'));
    while i < bytes.len() && bytes[i] != b'"' {
        if bytes[i] == b'\\' {
            let start = i;
            let (decoded_len, raw_len) = match bytes.get(i + 1) {
                Some(b'u') => {
                    let unit = |at: usize| raw.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                    match unit(i + 2) {
                        Some(hi @ 0xD800..=0xDBFF) if raw.get(i + 6..i + 8) == Some("\\u") => {
                            let c = unit(i + 8).and_then(|lo| {
                                char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF))
                            });
                            (c.map_or(3, char::len_utf8), 12)
                        }
                        Some(u) => (char::from_u32(u).map_or(3, char::len_utf8), 6),
                        None => (1, 2),
                    }
                }
                _ => (1, 2),
            };
            out.extend(std::iter::repeat_n(start, decoded_len));
            i += raw_len;
        } else {
            out.push(i);
            i += 1;
        }
    }
    out.push(i.min(raw.len()));
    out
}

/// The position in the file of a byte offset in a decoded string literal that
/// starts at `literal_start`.
pub fn position_in_literal(
    offsets: &[usize],
    literal_start: usize,
    inner: usize,
    file_pos: &dyn Fn(usize) -> Pos,
) -> Pos {
    let raw = offsets.get(inner).or(offsets.last()).copied().unwrap_or(0);
    file_pos(literal_start + raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_escapes() {
        let raw = r#""{\"a\":\n\"é\u00e9\ud83d\ude00x\"}""#;
        let offsets = decoded_offsets(raw);
        let decoded: String = serde_json::from_str(raw).unwrap();
        assert_eq!(offsets.len(), decoded.len() + 1);
        // `{` is raw byte 1, `"` (decoded byte 1) is the escape at raw byte 2.
        assert_eq!(offsets[0], 1);
        assert_eq!(offsets[1], 2);
        // `x` comes after the surrogate pair.
        let x = decoded.find('x').unwrap();
        assert_eq!(&raw[offsets[x]..offsets[x] + 1], "x");
    }
}
