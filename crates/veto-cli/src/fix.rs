//! `veto lint --fix`: adds the statements that failed proofs suggest to a plain
//! policy file, keeping its formatting and key order.
//!
//! A fix only ever inserts Deny statements, so it cannot grant anything; the prover
//! checks that anyway (no new access), and the file is re-linted: a fix is written
//! only when every rule it was made for holds and no rule fails that passed
//! before. Otherwise the file is left as it is and the fix is refused.

use veto_check::input::{self, FileKind, Loaded};
use veto_check::lint::{self, FileReport};
use veto_check::run::{self, Finding};
use veto_check::terraform;
use veto_iam::{Policy, PolicySet};
use veto_lang::ast;

/// The fixed text of `text`, `Ok(None)` when no finding carries a fix, or why
/// the fix is refused.
pub fn fix_text(path: &str, text: &str, findings: &[Finding], rules: &[&ast::Rule]) -> Result<Option<String>, String> {
    // One statement per distinct fix: two rules may suggest the same Deny under
    // different Sids (the TLS Deny on both ARNs fixes CP-S3-TLS and CP-S3-TLS-BUCKET).
    let without_sid = |v: &serde_json::Value| {
        let mut v = v.clone();
        if let Some(o) = v.as_object_mut() {
            o.remove("Sid");
        }
        v
    };
    let mut statements: Vec<&serde_json::Value> = Vec::new();
    for f in findings {
        if let Some(fix) = &f.fix {
            if !statements.iter().any(|s| without_sid(s) == without_sid(fix)) {
                statements.push(fix);
            }
        }
    }
    if statements.is_empty() {
        return Ok(None);
    }
    match input::load(path, text) {
        Loaded::Input(i) if i.kind == FileKind::Policy && text.trim_start().starts_with('{') => {}
        _ => return Err("--fix edits plain JSON policy files only; add the suggested statement by hand".into()),
    }
    let policy = Policy::parse(text).map_err(|e| format!("cannot fix: {e}"))?;
    let fixed = insert(text, &policy, &statements)?;
    // Re-prove: the rules the fix was made for now hold, and nothing else fails anew.
    let after = match input::load(path, &fixed) {
        Loaded::Input(i) => run::check(rules, &i.targets),
        _ => return Err("the fixed policy does not load; nothing was changed".into()),
    };
    let before: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
    let fixed_rules: Vec<&str> = findings
        .iter()
        .filter(|f| f.fix.is_some())
        .map(|f| f.rule.as_str())
        .collect();
    if let Some(f) = after
        .iter()
        .find(|f| fixed_rules.contains(&f.rule.as_str()) || !before.contains(&f.rule.as_str()))
    {
        return Err(format!(
            "refusing to fix: with the suggested statement(s) {} would fail ({}); change the policy by hand",
            f.rule, f.message
        ));
    }
    // A fix never widens access: the prover finds nothing the fixed policy allows
    // that the original did not.
    let fixed_policy = Policy::parse(&fixed).map_err(|e| format!("cannot fix: {e}"))?;
    let set = |p: Policy| PolicySet {
        resource: Some(p),
        ..PolicySet::default()
    };
    let answer = veto_prove::new_access(&set(policy), &set(fixed_policy), &veto_prove::Limits::default());
    if answer.verdict != veto_prove::Verdict::Fails {
        return Err(format!(
            "refusing to fix: the prover could not show that the fix adds no access ({})",
            answer.reason
        ));
    }
    Ok(Some(fixed))
}

/// The leading whitespace of the line `at` is on.
fn line_indent(text: &str, at: usize) -> &str {
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// `statements` added after the policy's last statement, laid out like it.
fn insert(text: &str, policy: &Policy, statements: &[&serde_json::Value]) -> Result<String, String> {
    let last = policy
        .statements
        .last()
        .ok_or("the policy has no statement to add to")?;
    let (start, end) = (last.span.start, last.span.end);
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let own = &text[start..end];
    let mut added = String::new();
    if own.contains('\n') {
        // One key per line: the statement's own indent, and the step its keys take.
        let indent = line_indent(text, start);
        let key_at = own.find('\n').map_or(start, |i| start + i + 1);
        let step = line_indent(text, key_at)
            .strip_prefix(indent)
            .filter(|s| !s.is_empty())
            .unwrap_or("  ");
        for s in statements {
            let mut out = Vec::new();
            let formatter = serde_json::ser::PrettyFormatter::with_indent(step.as_bytes());
            let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
            serde::Serialize::serialize(s, &mut ser).map_err(|e| e.to_string())?;
            let pretty = String::from_utf8(out).map_err(|e| e.to_string())?;
            added.push(',');
            added.push_str(newline);
            added.push_str(indent);
            added.push_str(&pretty.replace('\n', &format!("{newline}{indent}")));
        }
    } else {
        for s in statements {
            added.push_str(", ");
            added.push_str(&s.to_string());
        }
    }
    let mut out = String::with_capacity(text.len() + added.len() + 2);
    if policy.statement_is_array {
        out.push_str(&text[..end]);
        out.push_str(&added);
        out.push_str(&text[end..]);
    } else {
        // `"Statement": {…}` becomes an array of the old statement and the new ones.
        out.push_str(&text[..start]);
        out.push('[');
        out.push_str(own);
        out.push_str(&added);
        out.push(']');
        out.push_str(&text[end..]);
    }
    Ok(out)
}

/// Fixes one linted file in place: writes the fixed text and re-lints it, or
/// records why the fix is refused as an input error (exit 2).
pub fn apply(report: &mut FileReport, rules: &[&ast::Rule]) {
    match fix_text(&report.path, &report.text, &report.findings, rules) {
        Ok(None) => {}
        Ok(Some(fixed)) => {
            if let Err(e) = std::fs::write(&report.path, &fixed) {
                let pos = report.findings[0].pos;
                report.errors.push((pos, format!("cannot write the fix: {e}")));
                return;
            }
            eprintln!("fixed {}: added the suggested statement(s)", report.path);
            // Re-linted as a named plain policy file (only those are fixed).
            let options = lint::Options {
                explicit: true,
                skip_unrecognized: false,
                parameters: &[],
                terraform: &terraform::Options::default(),
            };
            *report = lint::lint_file(&report.path, options, rules);
        }
        Err(e) => {
            let pos = report
                .findings
                .iter()
                .find(|f| f.fix.is_some())
                .map_or(veto_check::doc::Pos { line: 1, column: 1 }, |f| f.pos);
            report.errors.push((pos, e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::insert;
    use veto_iam::Policy;

    fn added(text: &str) -> String {
        let policy = Policy::parse(text).expect("the policy loads");
        let fix =
            serde_json::json!({"Sid": "New", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"});
        let out = insert(text, &policy, &[&fix]).expect("inserted");
        Policy::parse(&out).expect("the fixed policy loads");
        out
    }

    #[test]
    fn keeps_indentation_and_line_endings() {
        let text = "{\r\n\t\"Version\": \"2012-10-17\",\r\n\t\"Statement\": [\r\n\t\t{\r\n\t\t\t\"Effect\": \"Deny\",\r\n\t\t\t\"Principal\": \"*\",\r\n\t\t\t\"Action\": \"s3:Get*\",\r\n\t\t\t\"Resource\": \"*\"\r\n\t\t}\r\n\t]\r\n}\r\n";
        let out = added(text);
        assert!(out.starts_with(&text[..text.find("\r\n\t]").unwrap()]));
        assert!(
            out.contains("},\r\n\t\t{\r\n\t\t\t\"Sid\": \"New\",\r\n\t\t\t\"Effect\": \"Deny\""),
            "{out:?}"
        );
        assert!(out.ends_with("\r\n\t\t}\r\n\t]\r\n}\r\n"), "{out:?}");
    }

    #[test]
    fn one_line_statements_stay_on_one_line() {
        let out = added(
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:Get*", "Resource": "*"}]}"#,
        );
        assert_eq!(
            out,
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:Get*", "Resource": "*"}, {"Sid":"New","Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"*"}]}"#
        );
    }

    #[test]
    fn a_single_statement_object_becomes_an_array() {
        let out = added(
            r#"{"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:Get*", "Resource": "*"}}"#,
        );
        assert!(out.contains(r#""Statement": [{"Effect""#), "{out}");
        assert!(out.ends_with(r#""Resource":"*"}]}"#), "{out}");
    }
}
