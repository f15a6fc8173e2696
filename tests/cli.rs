//! End-to-end tests of the `veto` binary: exit codes, positions, the batch contract.
#![allow(clippy::unwrap_used)] // tests, benches and examples may unwrap

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn veto(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("veto runs");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.unwrap_or_default()).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("veto finishes")
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const REQUEST: &str = "examples/request-plain-http-upload.json";

/// Loads `contents` as a resource policy and expects exit 2 with `needle` and a
/// `file:line:col` pointer in the message.
fn rejects_policy(name: &str, contents: &[u8], needle: &str, line_col: &str) {
    let path = scratch(name, contents);
    let out = veto(
        &[
            "eval",
            "--resource-policy",
            path.to_str().unwrap(),
            "--request",
            REQUEST,
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
    assert!(stderr.contains(needle), "{name}: missing `{needle}` in:\n{stderr}");
    assert!(
        stderr.contains(&format!("{name}:{line_col}")),
        "{name}: missing position {line_col} in:\n{stderr}"
    );
}

#[test]
fn bad_policy_files_exit_2_with_positions() {
    rejects_policy(
        "not-json.json",
        b"{\n  \"Version\": 2012-10-17\n}",
        "not valid JSON",
        "2:18",
    );
    rejects_policy("empty.json", b"", "found the end of the input", "1:1");
    rejects_policy("array.json", b"[1, 2]", "expected a policy document", "1:1");
    rejects_policy(
        "types.json",
        b"{\"Version\": \"2012-10-17\",\n \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": 5, \"Resource\": \"*\"}]}",
        "expected a string or an array of strings, found a number",
        "2:64",
    );
    rejects_policy(
        "operator.json",
        b"{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"*\",\n \"Resource\": \"*\", \"Condition\": {\"StringEqual\": {\"a:b\": \"c\"}}}]}",
        "unknown operator StringEqual (did you mean StringEquals?)",
        "2:33",
    );
    rejects_policy("utf8.json", b"{\"Version\": \"\xff\"}", "not valid UTF-8", "1:14");
    let deep = "[".repeat(100_000);
    rejects_policy("deep.json", deep.as_bytes(), "nesting deeper than", "1:129");
}

#[test]
fn every_error_of_a_policy_is_reported() {
    let path = scratch(
        "many.json",
        br#"{"Version": "2012-10-17", "Statement": [
  {"Effect": "allow", "Principal": "*", "Action": "s3:GetObject", "NotAction": "s3:Put*", "Resource": "*"},
  {"Effect": "Deny", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}
]}"#,
    );
    let out = veto(
        &[
            "eval",
            "--resource-policy",
            path.to_str().unwrap(),
            "--request",
            REQUEST,
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("invalid Effect `allow`"), "{stderr}");
    assert!(stderr.contains("both Action and NotAction"), "{stderr}");
    assert!(stderr.contains("duplicate key `Effect`"), "{stderr}");
    assert!(stderr.contains("many.json:3:22"), "{stderr}");
    assert!(stderr.contains("first given here"), "{stderr}");
}

#[test]
fn explain_points_at_the_deciding_statement() {
    let out = veto(
        &[
            "eval",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
            "--identity-policy",
            "examples/pipeline-role-policy.json",
            "--request",
            REQUEST,
            "--explain",
        ],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(stdout.starts_with("decision: ExplicitDeny"), "{stdout}");
    assert!(stdout.contains("DenyInsecureConnections"), "{stdout}");
    assert!(stdout.contains("examples/seed-bucket-policy.json:18:20"), "{stdout}");
    assert!(stdout.contains("\"Sid\": \"DenyInsecureConnections\""), "{stdout}");
    assert!(
        stdout.contains("condition StringNotEquals on `s3:x-amz-server-side-encryption` is false"),
        "{stdout}"
    );
}

/// Issue 11: `--explain` says when RCPs were skipped and why GetCallerIdentity is allowed.
#[test]
fn explain_notes_skipped_rcps_and_get_caller_identity() {
    let deny_all = scratch(
        "rcp-deny-all.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}"#,
    );
    let allow_all = scratch(
        "allow-all.json",
        br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    );
    let ec2 = scratch(
        "ec2-request.json",
        br#"{"principal": "arn:aws:iam::111122223333:user/alice", "action": "ec2:StartInstances",
             "resource": "arn:aws:ec2:us-east-1:111122223333:instance/i-1"}"#,
    );
    let gci = scratch(
        "gci-request.json",
        br#"{"principal": "arn:aws:iam::111122223333:role/R", "action": "sts:GetCallerIdentity", "resource": "*"}"#,
    );
    let run = |request: &Path| {
        let out = veto(
            &[
                "eval",
                "--rcp",
                deny_all.to_str().unwrap(),
                "--identity-policy",
                allow_all.to_str().unwrap(),
                "--request",
                request.to_str().unwrap(),
                "--explain",
            ],
            None,
        );
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let stdout = run(&ec2);
    assert!(stdout.starts_with("decision: Allow"), "{stdout}");
    assert!(stdout.contains("note: RCPs skipped"), "{stdout}");
    let stdout = run(&gci);
    assert!(stdout.starts_with("decision: Allow"), "{stdout}");
    assert!(
        stdout.contains("because: sts:GetCallerIdentity needs no permission"),
        "{stdout}"
    );

    let line = format!(
        "{{\"id\": 1, \"rcps\": [{}], \"identity_policies\": [{}], \"request\": {}}}\n",
        std::fs::read_to_string(&deny_all).unwrap(),
        std::fs::read_to_string(&allow_all).unwrap(),
        std::fs::read_to_string(&ec2).unwrap().replace('\n', " ")
    );
    let batch = scratch("rcp-batch.jsonl", line.as_bytes());
    let out = veto(&["eval", "--batch", batch.to_str().unwrap(), "--explain"], None);
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON line");
    assert_eq!(answer["decision"], "Allow", "{answer}");
    assert!(
        answer["trace"]["notes"][0]
            .as_str()
            .unwrap_or("")
            .contains("RCPs skipped"),
        "{answer}"
    );
}

#[test]
fn batch_keeps_order_and_reports_bad_lines() {
    let policy = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
    let bad = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"a:b":"c"}}}}"#;
    let req =
        r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}"#;
    let input = format!(
        "{{\"id\":\"a\",\"identity_policies\":[{policy}],\"request\":{req}}}\n\
         {{\"id\":2,\"identity_policies\":[{bad}],\"request\":{req}}}\n\
         not json\n\
         {{\"id\":\"d\",\"request\":{req},\"extra\":true}}\n"
    );
    let out = veto(&["eval", "--batch", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0], serde_json::json!({"id": "a", "decision": "Allow"}));
    assert_eq!(lines[1]["id"], 2);
    assert_eq!(
        lines[1]["error"],
        "identity_policies[0]: Statement.Condition: unknown operator StringEqual (did you mean StringEquals?)"
    );
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["id"], serde_json::Value::Null);
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3], serde_json::json!({"id": "d", "decision": "ImplicitDeny"}));
}

const ALLOW_S3: &str = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}"#;
const USER_GET: &str =
    r#"{"principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"arn:aws:s3:::b/k"}"#;

/// `veto eval --batch -` with the line limit lowered through the environment;
/// stdin is written while stdout is read, so long inputs cannot deadlock.
fn batch_with_limit(input: &str, limit: usize) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_veto"))
        .args(["eval", "--batch", "-"])
        .env("VETO_MAX_LINE_BYTES", limit.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("veto runs");
    let mut stdin = child.stdin.take().expect("stdin");
    // Written from a thread: veto answers while it reads.
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("veto finishes");
    writer.join().expect("writer").expect("write stdin");
    out
}

#[test]
fn batch_line_over_the_limit_is_an_error_line_and_the_run_goes_on() {
    let good = format!("{{\"id\":\"a\",\"identity_policies\":[{ALLOW_S3}],\"request\":{USER_GET}}}");
    let long = format!(
        "{{\"id\":\"big\",\"request\":{{\"principal\":\"anonymous\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/{}\"}}}}",
        "k".repeat(5000)
    );
    let input = format!("{good}\n{long}\n{}\n", good.replace("\"a\"", "\"c\""));
    let out = batch_with_limit(&input, good.len() + 10);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], serde_json::json!({"id": "a", "decision": "Allow"}));
    assert_eq!(lines[1]["id"], serde_json::Value::Null);
    assert_eq!(lines[1]["line"], 2);
    let message = lines[1]["error"].as_str().unwrap();
    assert!(message.contains(&format!("{} bytes", long.len())), "{message}");
    assert!(
        message.contains(&format!("up to {} bytes", good.len() + 10)),
        "{message}"
    );
    assert_eq!(lines[2], serde_json::json!({"id": "c", "decision": "Allow"}));
    // At the limit exactly, the line is read.
    let out = batch_with_limit(&format!("{good}\n"), good.len());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn batch_echoes_ids_byte_for_byte() {
    let ids = [
        "12345678901234567890123",
        "-0.10e+5",
        r#""\u0041b""#,
        r#"{"a": [1, 2.50]}"#,
        "null",
    ];
    let input: String = ids
        .iter()
        .map(|id| format!("{{\"id\": {id}, \"request\":{USER_GET}}}\n"))
        .collect();
    let out = veto(&["eval", "--batch", "-"], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for (line, id) in stdout.lines().zip(ids) {
        assert_eq!(line, format!("{{\"id\":{id},\"decision\":\"ImplicitDeny\"}}"));
    }
    // Error lines echo the id as written too.
    let bad = "{\"id\": 12345678901234567890123, \"request\": {}}\n";
    let out = veto(&["eval", "--batch", "-"], Some(bad.as_bytes()));
    assert!(text(&out.stdout).starts_with("{\"id\":12345678901234567890123,\"error\":"));
}

#[test]
fn batch_duplicate_keys_anywhere_in_the_envelope_are_errors() {
    let cases = [
        (
            format!("{{\"id\":\"a\",\"id\":\"b\",\"request\":{USER_GET}}}"),
            "duplicate key `id` (first given at column 2)",
            11,
            serde_json::Value::Null,
        ),
        (
            format!("{{\"id\":\"a\",\"request\":{USER_GET},\"request\":{USER_GET}}}"),
            "duplicate key `request` (first given at column 11)",
            124,
            serde_json::json!("a"),
        ),
        (
            r#"{"id":"a","request":{"principal":"anonymous","principal":"arn:aws:iam::111122223333:user/a","action":"s3:GetObject","resource":"*"}}"#.to_string(),
            "request: duplicate key `principal` (first given at column 22)",
            46,
            serde_json::json!("a"),
        ),
        (
            format!("{{\"id\":\"a\",\"identity_policies\":[],\"identity_policies\":[{ALLOW_S3}],\"request\":{USER_GET}}}"),
            "duplicate key `identity_policies` (first given at column 11)",
            34,
            serde_json::json!("a"),
        ),
        (
            r#"{"id":"a","request":{"principal":"anonymous","action":"s3:GetObject","resource":"*","context":{"aws:a":"1","x":{"k":1,"k":2}}}}"#.to_string(),
            "request.context.x: duplicate key `k` (first given at column 113)",
            119,
            serde_json::json!("a"),
        ),
    ];
    for (line, message, column, id) in cases {
        let out = veto(&["eval", "--batch", "-"], Some(format!("{line}\n").as_bytes()));
        assert_eq!(out.status.code(), Some(2), "{line}");
        let answer: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.starts_with(message), "{line}\n{error}");
        assert_eq!(answer["column"], column, "{line}\n{error}");
        assert_eq!(answer["id"], id, "{line}");
    }
}

#[test]
fn batch_answers_many_lines_in_order_with_shared_and_bad_policies() {
    let bad = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEqual":{"a:b":"c"}}}}"#;
    let deny = r#"{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"s3:*","Resource":"*"}}"#;
    let mut input = String::new();
    let mut expected = Vec::new();
    for i in 0..5000 {
        let (policy, answer) = match i % 5 {
            0 => (ALLOW_S3.to_string(), "Allow"),
            1 => (deny.to_string(), "ExplicitDeny"),
            2 => (bad.to_string(), "error"),
            // A policy no other line has.
            3 => (ALLOW_S3.replace("s3:*", &format!("s3:Get{i}*")), "ImplicitDeny"),
            _ => (ALLOW_S3.replace("s3:*", "s3:GetObject"), "Allow"),
        };
        let line = format!("{{\"id\":{i},\"identity_policies\":[{policy}],\"request\":{USER_GET}}}");
        // Where the unknown operator is, for the error lines.
        let column = line.find("\"StringEqual\"").map_or(0, |at| at + 1);
        input.push_str(&line);
        input.push('\n');
        if i % 7 == 0 {
            input.push('\n');
        }
        expected.push((answer, column));
    }
    let out = batch_with_limit(&input, 64 << 20);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), expected.len());
    let mut line_number = 0;
    for (i, (line, (answer, column))) in lines.iter().zip(&expected).enumerate() {
        line_number += 1;
        assert_eq!(line["id"], i, "{line}");
        if *answer == "error" {
            // The same bad policy on many lines: each error points into its own line.
            assert_eq!(line["line"], line_number, "{line}");
            assert_eq!(line["column"], *column, "{line}");
        } else {
            assert_eq!(line["decision"], *answer, "{line}");
        }
        if i % 7 == 0 {
            line_number += 1;
        }
    }
}

#[test]
fn batch_explain_carries_the_trace() {
    let out = veto(&["eval", "--batch", "examples/seed-requests.jsonl", "--explain"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let first: serde_json::Value = serde_json::from_str(text(&out.stdout).lines().nth(1).unwrap()).unwrap();
    assert_eq!(first["decision"], "ExplicitDeny");
    assert_eq!(first["trace"]["decided_by"]["sid"], "DenyUnEncryptedObjectUploads");
    assert_eq!(first["trace"]["decided_by"]["line"], 2);
    let statements = first["trace"]["statements"].as_array().unwrap();
    assert!(statements.iter().any(|s| s["failed"]["element"] == "Condition"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(veto(&["eval"], None).status.code(), Some(2));
    assert_eq!(veto(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(veto(&["eval", "--batch", "no/such/file"], None).status.code(), Some(2));
    assert_eq!(veto(&["eval", "--batch", "-"], Some(b"")).status.code(), Some(2));
}

#[test]
fn fmt_check_and_rewrite() {
    let messy = scratch(
        "messy.veto",
        b"rule R1 {   title \"t\"\nseverity   error\n  require true // keep me\n}\n",
    );
    let path = messy.to_str().unwrap();
    let out = veto(&["fmt", "--check", path], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("not in canonical layout"));
    assert_eq!(veto(&["fmt", path], None).status.code(), Some(0));
    let formatted = std::fs::read_to_string(&messy).unwrap();
    assert_eq!(
        formatted,
        "rule R1 {\n  title \"t\"\n  severity error\n  require true // keep me\n}\n"
    );
    assert_eq!(veto(&["fmt", "--check", path], None).status.code(), Some(0));
    // The bundled pack is formatted.
    assert_eq!(veto(&["fmt", "--check", "rules/"], None).status.code(), Some(0));
}

#[test]
fn fmt_rejects_hostile_rule_files() {
    let deep = scratch(
        "deep.veto",
        format!("rule R {{ require {} }}", "{".repeat(100_000)).as_bytes(),
    );
    let out = veto(&["fmt", deep.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("deep.veto:1:"), "{}", text(&out.stderr));
    let bad = scratch("bad-utf8.veto", b"rule R {\n  title \"\xff\"\n}\n");
    let out = veto(&["fmt", bad.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad-utf8.veto:2:10"),
        "{}",
        text(&out.stderr)
    );
    let eof = scratch("eof.veto", b"rule R {\n  title \"open");
    let out = veto(&["fmt", eof.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unterminated string"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rules_lists_the_pack_and_reports_problems() {
    let out = veto(&["rules"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for id in [
        "CP-S3-SSE-KMS",
        "CP-S3-TLS",
        "CP-S3-TLS-BUCKET",
        "CP-S3-UPLOAD-POSSIBLE",
        "CP-S3-POLICY-MISSING",
        "CP-KMS-SYMMETRIC",
        "CP-KMS-ROTATION",
        "CP-KMS-CROSS-ACCOUNT-CMK",
    ] {
        assert!(text(&out.stdout).contains(id), "{id} missing");
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-rules");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.veto"), "rule A {\n  title \"t\"\n  severity error\n  applies bucket_policy as p\n  deny every request {\n    when \"aws:SecureTransport\" == \"yes\"\n    when \"s3:x-amz-server-side-encription\" == \"aws:kms\"\n  }\n}\n").unwrap();
    let out = veto(&["rules", "--rules", dir.to_str().unwrap(), "--format", "json"], None);
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2, "{json}");
    assert_eq!(diagnostics[0]["severity"], "error");
    assert_eq!(diagnostics[0]["line"], 6);
    assert_eq!(diagnostics[1]["severity"], "warning");
    assert_eq!(
        diagnostics[1]["help"],
        "did you mean `s3:x-amz-server-side-encryption`?"
    );
}

#[test]
fn prove_batch_reports_bad_lines_like_eval() {
    let good =
        r#"{"id":"a","property":{"quantifier":"some","request":{"Action":"s3:GetObject"},"decision":["Allow"]}}"#;
    let mut input = format!("{good}\n\n{{\"id\":\"b\", \"property\": 3}}\n").into_bytes();
    input.extend_from_slice(b"\xff\n");
    let out = veto(&["prove", "--batch", "-"], Some(&input));
    assert_eq!(out.status.code(), Some(2));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["result"], "holds");
    assert_eq!(
        lines[1],
        serde_json::json!({"id": "b", "error": "property: expected an object, found a number", "line": 3, "column": 24})
    );
    assert_eq!(
        lines[2],
        serde_json::json!({"id": null, "error": "the line is not valid UTF-8", "line": 4, "column": 1})
    );
}

#[test]
fn prove_batch_and_files() {
    // The hand-written corpus's empty-set cases are input errors (exit 2), each an error line.
    let out = veto(&["prove", "--batch", "tests/prove/round2.jsonl"], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let round2: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let out = veto(&["prove", "--batch", "tests/prove/corpus.jsonl"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    lines.extend(round2);
    for l in lines.iter().filter(|l| l.get("error").is_some()) {
        assert!(l["id"].as_str().unwrap().starts_with("empty/"), "{l}");
    }
    assert_eq!(lines.iter().filter(|l| l.get("error").is_some()).count(), 4);
    let bucket = lines.iter().find(|l| l["id"] == "seed/bucket-tls-deny-fails").unwrap();
    assert_eq!(bucket["result"], "fails");
    assert_eq!(
        bucket["request"]["resource"],
        "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE"
    );
    assert!(bucket["request"]["action"].as_str().unwrap().starts_with("s3:"));
    // The counterexample replays through `veto eval --batch` to the claimed decision.
    let replay = serde_json::json!({"id": "replay", "resource_policy": serde_json::from_str::<serde_json::Value>(include_str!("../examples/seed-bucket-policy.json")).unwrap(), "request": bucket["request"]});
    let out = veto(&["eval", "--batch", "-"], Some(format!("{replay}\n").as_bytes()));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["decision"], bucket["decision"]);

    let property = scratch("tls-bucket.json", br#"{"quantifier": "every", "request": {"Action": "s3:*", "Resource": "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}, "decision": ["ExplicitDeny"]}"#);
    let out = veto(
        &[
            "prove",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
            "--property",
            property.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("fails:"), "{stdout}");
    assert!(stdout.contains("request: s3:"), "{stdout}");
    assert!(stdout.contains("aws:SecureTransport=false"), "{stdout}");
    let bad = scratch(
        "bad-property.json",
        br#"{"quantifier": "all", "decision": ["ExplicitDeny"]}"#,
    );
    let out = veto(
        &[
            "prove",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
            "--property",
            bad.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad-property.json:1:16"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn diff_and_public_report_witnesses() {
    let open = scratch("public.json", br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pub/*"}]}"#);
    let out = veto(&["public", open.to_str().unwrap(), "--format", "json"], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["result"], "holds");
    assert!(json["witnesses"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["principal"] == "anonymous" && w["action"] == "s3:GetObject"));
    let out = veto(&["public", "examples/seed-bucket-policy.json"], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let narrow = scratch("narrow.json", br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#);
    let wide = scratch("wide.json", br#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"}]}"#);
    let out = veto(
        &[
            "diff",
            narrow.to_str().unwrap(),
            wide.to_str().unwrap(),
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let witnesses = json["witnesses"].as_array().unwrap();
    assert!(
        !witnesses.is_empty() && witnesses.iter().all(|w| w["action"] == "s3:PutObject"),
        "{json}"
    );
    let out = veto(&["diff", wide.to_str().unwrap(), narrow.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn lint_bad_input_exits_2_with_positions() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "truncated.json",
            b"{\"Version\": \"2012-10-17\", \"Statement\": [",
            "truncated.json:1:",
        ),
        (
            "broken.yaml",
            b"Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n   Properties: {}\n",
            "broken.yaml:4:",
        ),
        ("package.json", b"{\"name\": \"not-a-policy\"}", "package.json:1:1"),
        ("latin1.json", b"{\"Statement\": \"\xe9\"}", "latin1.json:1:16"),
    ];
    for (name, bytes, position) in cases {
        let path = scratch(name, bytes);
        let out = veto(&["lint", path.to_str().unwrap()], None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(position), "{name}: no {position} in {stderr}");
    }
    let out = veto(&["lint", "no/such/path.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let empty = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-policies");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::write(empty.join("notes.txt"), "nothing here").unwrap();
    std::fs::write(empty.join("package.json"), "{\"name\": \"x\"}").unwrap();
    let out = veto(&["lint", empty.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("no IAM policies"), "{}", text(&out.stderr));
}

#[test]
fn lint_formats_suppression_and_fail_on() {
    let seed = "rules/fixtures/seed-bucket-policy.json";
    // Warnings alone pass unless --fail-on warning.
    assert_eq!(veto(&["lint", seed], None).status.code(), Some(0));
    assert_eq!(
        veto(&["lint", "--fail-on", "warning", seed], None).status.code(),
        Some(1)
    );
    let out = veto(
        &["lint", "--format", "sarif", seed, "rules/fixtures/sse-missing.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .any(|r| r["id"] == "CP-S3-TLS-BUCKET" && r["defaultConfiguration"]["level"] == "warning"));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        assert!(rules.iter().any(|rule| rule["id"] == r["ruleId"]));
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    let json = veto(&["lint", "--format", "json", seed], None);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "CP-S3-TLS-BUCKET");
    assert_eq!(finding["request"]["action"], "s3:ListBucket");
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("not explicitly denied: a role of the bucket's account (`arn:aws:iam::111122223333:role/pipeline`) calling `s3:ListBucket` on `arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE`"));
    assert_eq!(
        finding["label"],
        "names `arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE/*`, not the bucket ARN itself"
    );
    assert_eq!(finding["line"], 22, "points at the TLS statement's Resource");
    assert_eq!(finding["fix"]["Effect"], "Deny");
    // A suppression needs a reason, and silences the rule for matching paths.
    let config = scratch(
        "veto.toml",
        b"[[suppress]]\nrule = \"CP-S3-SSE-KMS\"\npath = \"rules/fixtures/sse-*.json\"\nreason = \"migrating\"\n",
    );
    let out = veto(
        &[
            "lint",
            "--config",
            config.to_str().unwrap(),
            "rules/fixtures/sse-missing.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let bad = scratch("bad-veto.toml", b"[[suppress]]\nrule = \"CP-S3-SSE-KMS\"\n");
    assert_eq!(
        veto(&["lint", "--config", bad.to_str().unwrap(), seed], None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn veto_test_runs_suites_and_reports_failures() {
    let out = veto(&["test", "rules/"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("test seed bucket policy :: AES256 upload is denied ... ok"),
        "{stdout}"
    );
    assert!(stdout.contains("test result: ok."), "{stdout}");

    let out = veto(&["test", "tests/suites/broken"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("test deliberately broken :: listing over plain HTTP is denied (it is not) ... FAILED"));
    assert!(stdout.contains("expected ExplicitDeny by \"DenyInsecureConnections\", got ImplicitDeny"));
    assert!(stdout.contains("statement 1 `DenyInsecureConnections` at tests/suites/broken/seed-bucket-policy.json:17:9: no match on Resource"), "{stdout}");
    assert!(stdout.contains("test result: FAILED. 1 passed; 1 failed"));

    let out = veto(&["test", "tests/suites/broken", "--filter", "download"], None);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("1 passed; 0 failed; 1 filtered out"));

    let out = veto(&["test", "tests/suites/broken", "--format", "junit"], None);
    let xml = text(&out.stdout);
    assert!(
        xml.starts_with("<?xml")
            && xml.contains(
                "<testsuite name=\"deliberately broken\" tests=\"2\" skipped=\"0\" errors=\"0\" failures=\"1\""
            ),
        "{xml}"
    );
    assert!(xml.contains("<failure message=\"expected ExplicitDeny"), "{xml}");

    // Load errors come first, positioned, and nothing runs.
    let out = veto(&["test", "tests/suites/bad-load"], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stdout_lacks_tests(&out.stdout));
    for needle in [
        "tests/suites/bad-load/bad.veto:2:19",
        "cannot read tests/suites/bad-load/missing-policy.json",
        "no statement of this suite's policies has Sid `DenyEverythingPlease`",
        "tests/suites/bad-load/bad.veto:10:29",
        "the request has no action",
        "tests/suites/bad-load/bad.veto:14:5",
    ] {
        assert!(stderr.contains(needle), "missing `{needle}` in:\n{stderr}");
    }
}

fn stdout_lacks_tests(stdout: &[u8]) -> bool {
    !text(stdout).contains("test ")
}

#[test]
fn prove_a_rule_of_the_pack() {
    let out = veto(
        &[
            "prove",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
            "--rule",
            "CP-S3-TLS-BUCKET",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("not explicitly denied: a role of the bucket's account (`arn:aws:iam::111122223333:role/pipeline`) calling `s3:ListBucket`"),
        "{}",
        text(&out.stdout)
    );
    let out = veto(
        &[
            "prove",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
            "--rule",
            "CP-S3-SSE-KMS",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
}

/// Former fail-open hole: a misspelt key in a `veto.toml` suppression (`paht` for
/// `path`) silenced the rule in every file. Unknown keys are now an input error.
#[test]
fn veto_toml_misspelt_key_is_an_error_not_a_wider_suppression() {
    let config = scratch(
        "misspelt-veto.toml",
        b"[[suppress]]\nrule = \"CP-S3-SSE-KMS\"\npaht = \"nowhere/*.json\"\nreason = \"migrating\"\n",
    );
    let out = veto(
        &[
            "lint",
            "--config",
            config.to_str().unwrap(),
            "rules/fixtures/sse-missing.json",
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("paht"), "{stderr}");
    let top = scratch("misspelt-top-veto.toml", b"[[supress]]\nrule = \"X\"\nreason = \"r\"\n");
    assert_eq!(
        veto(
            &[
                "lint",
                "--config",
                top.to_str().unwrap(),
                "rules/fixtures/sse-missing.json"
            ],
            None
        )
        .status
        .code(),
        Some(2)
    );
}

/// Former fail-open hole: policy warnings without a code were dropped by `veto lint`,
/// so "missing Version" and "NotPrincipal exempts nobody" were never shown.
#[test]
fn lint_reports_every_policy_warning() {
    let policy = scratch(
        "no-version.json",
        br#"{"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:sts::111122223333:assumed-role/R/s"}, "Action": "sqs:SendMessage", "Resource": "*"}]}"#,
    );
    let out = veto(&["lint", "--format", "json", policy.to_str().unwrap()], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"IAM-MISSING-VERSION"), "{report}");
    assert!(rules.contains(&"IAM-NOTPRINCIPAL-EXEMPTS-NOBODY"), "{report}");
}

/// The weak policy of issue 15: each bucket rule points at the element at fault,
/// with a label, and its counterexample is a role of the bucket's account doing
/// the everyday action.
#[test]
fn lint_points_at_the_element_that_fails() {
    let out = veto(
        &["lint", "--format", "json", "rules/fixtures/weak-bucket-policy.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = |rule: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("no {rule} in {report}"))
            .clone()
    };
    let role = "arn:aws:iam::111122223333:role/pipeline";
    for (rule, line, column, label, action) in [
        (
            "CP-S3-TLS",
            16,
            17,
            "`s3:Delete*` does not cover `s3:GetObject`",
            "s3:GetObject",
        ),
        (
            "CP-S3-SSE-KMS",
            10,
            76,
            "requires `AES256`; the rule needs `aws:kms`",
            "s3:PutObject",
        ),
        (
            "CP-S3-TLS-BUCKET",
            17,
            19,
            "names `arn:aws:s3:::my-artifacts/*`, not the bucket ARN itself",
            "s3:ListBucket",
        ),
    ] {
        let f = finding(rule);
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(line), Some(column)),
            "{f}"
        );
        assert_eq!(f["label"], label, "{f}");
        assert_eq!(f["request"]["action"], action, "{f}");
        assert_eq!(f["request"]["principal"], role, "{f}");
        assert!(
            f["message"].as_str().unwrap().starts_with("not explicitly denied: "),
            "{f}"
        );
        assert_eq!(f["fix"]["Effect"], "Deny", "{f}");
    }
    // `allow some`: the statement that denies every upload is named.
    let upload = finding("CP-S3-UPLOAD-POSSIBLE");
    assert!(upload["message"]
        .as_str()
        .unwrap()
        .contains("by statement `DenyWrongEncryption`"));
    assert_eq!(upload["line"], 6);
}

/// A policy with no Deny near the request: the finding points at the policy and says so.
#[test]
fn lint_without_a_near_miss_points_at_the_policy() {
    let out = veto(&["lint", "--format", "json", "rules/fixtures/sse-missing.json"], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &report["findings"][0];
    assert_eq!(f["rule"], "CP-S3-SSE-KMS");
    assert_eq!(f["label"], "no Deny statement in this policy comes close");
    assert_eq!(f["line"], 3);
    assert!(f["message"]
        .as_str()
        .unwrap()
        .ends_with("no Deny statement in the policy comes close"));
}

/// `veto lint --fix`: every failing bucket-policy fixture passes afterwards, a
/// passing file stays byte-identical, and `veto diff` finds no new access.
#[test]
fn lint_fix_inserts_the_suggested_statements() {
    for name in [
        "seed-bucket-policy.json",
        "sse-missing.json",
        "tls-delete-only.json",
        "good-bucket-policy.json",
    ] {
        let original = std::fs::read(format!("rules/fixtures/{name}")).unwrap();
        let path = scratch(&format!("fix-{name}"), &original);
        let path = path.to_str().unwrap();
        let out = veto(&["lint", "--fix", path], None);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}{}",
            text(&out.stdout),
            text(&out.stderr)
        );
        let fixed = std::fs::read(path).unwrap();
        if name == "good-bucket-policy.json" {
            assert_eq!(fixed, original, "a passing file is left byte-identical");
            continue;
        }
        assert_ne!(fixed, original, "{name} was fixed");
        // The original text is kept: the fix only adds lines.
        let kept = text(&original);
        let head = kept
            .trim_end()
            .trim_end_matches('}')
            .trim_end()
            .trim_end_matches(']')
            .trim_end();
        assert!(
            text(&fixed).starts_with(head),
            "{name}: formatting kept\n{}",
            text(&fixed)
        );
        let again = veto(&["lint", "--format", "json", path], None);
        let report: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
        assert_eq!(report["findings"], serde_json::json!([]), "{name}");
        let original_path = scratch(&format!("orig-{name}"), &original);
        let diff = veto(&["diff", original_path.to_str().unwrap(), path], None);
        assert_eq!(diff.status.code(), Some(0), "{name}: {}", text(&diff.stdout));
        assert!(text(&diff.stdout).contains("no new access"), "{}", text(&diff.stdout));
    }
}

/// A fix that would make another rule fail is refused (exit 2) and nothing is written.
#[test]
fn lint_fix_refuses_a_fix_that_breaks_another_rule() {
    let rules = scratch(
        "contradiction.veto",
        br#"rule DENY-UPLOADS {
  title "uploads are denied"
  severity error
  applies bucket_policy as p
  deny every request {
    action "s3:PutObject"
    resource p.bucket + "/*"
  }
}

rule UPLOADS-POSSIBLE {
  title "uploads stay possible"
  severity warning
  applies bucket_policy as p
  allow some request {
    action "s3:PutObject"
    resource p.bucket + "/*"
  }
}
"#,
    );
    let original = std::fs::read("rules/fixtures/good-bucket-policy.json").unwrap();
    let path = scratch("fix-refused.json", &original);
    let out = veto(
        &[
            "lint",
            "--fix",
            "--rules",
            rules.to_str().unwrap(),
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("refusing to fix"), "{}", text(&out.stderr));
    assert_eq!(std::fs::read(&path).unwrap(), original, "nothing written");
}

/// JUnit output escapes control characters (quick-junit writes it).
#[test]
fn lint_junit_is_well_formed() {
    let out = veto(
        &["lint", "--format", "junit", "rules/fixtures/tls-delete-only.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let xml = text(&out.stdout);
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"rules/fixtures/tls-delete-only.json\""),
        "{xml}"
    );
    assert!(xml.contains("<failure message=\"not explicitly denied"), "{xml}");
    assert!(!xml.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
}

#[test]
fn lint_reads_aws_cli_output_with_positions() {
    // `aws s3api get-bucket-policy`: the policy is a JSON string; positions point
    // into the string, and the message names the wrapper.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObjekt","Resource":"arn:aws:s3:::my-artifacts/*"}]}"#;
    let wrapped = serde_json::json!({ "Policy": policy }).to_string();
    let path = scratch("get-bucket-policy.json", format!("{wrapped}\n").as_bytes());
    let out = veto(&["lint", "--format", "json", path.to_str().unwrap()], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "IAM-UNKNOWN-ACTION")
        .unwrap_or_else(|| panic!("{report}"));
    let column = finding["column"].as_u64().unwrap() as usize;
    // The column is the escaped quote before `s3:GetObjekt` in the file's line.
    assert_eq!(&wrapped[column - 1..column + 15], r#"\"s3:GetObjekt\""#, "{finding}");
    assert!(finding["message"].as_str().unwrap().contains("get-bucket-policy"));
    // The bucket-policy rules run on it too.
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "CP-S3-SSE-KMS"));

    // `aws iam get-policy-version`: the document inline, positions as in the file.
    let out = veto(
        &[
            "lint",
            "--format",
            "json",
            "tests/real/aws-managed/AWSCodeBuildAdminAccess.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["line"], 83);
    assert!(report["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("get-policy-version"));

    // A broken document inside the string is an input error positioned in the file.
    let path = scratch("broken-get-bucket-policy.json", br#"{"Policy": "{\"Statement\": [}"}"#);
    let out = veto(&["lint", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("broken-get-bucket-policy.json:1:"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn undecided_is_its_own_outcome() {
    // The key's spec comes from another stack: CP-KMS-SYMMETRIC cannot be decided.
    let template = b"Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: !ImportValue SharedKeySpec
      EnableKeyRotation: true
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !GetAtt Key.Arn
";
    let path = scratch("undecided-key.yaml", template);
    let path = path.to_str().unwrap();
    let out = veto(&["lint", path], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("undecided[CP-KMS-SYMMETRIC]"), "{stdout}");
    assert!(text(&out.stderr).contains("1 undecided"), "{}", text(&out.stderr));
    assert_eq!(
        veto(&["lint", "--fail-on", "undecided", path], None).status.code(),
        Some(1)
    );
    assert_eq!(
        veto(&["lint", "--fail-on", "warning", path], None).status.code(),
        Some(0)
    );
    let out = veto(&["lint", "--format", "json", path], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["outcome"], "undecided", "{report}");
    let out = veto(&["lint", "--format", "sarif", path], None);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["kind"], "review", "{result}");
    assert_eq!(result["level"], "none", "{result}");

    // A plan whose bucket policy is computed at apply time: undecided, not an input error.
    let plan = br#"{"format_version": "1.2", "planned_values": {"root_module": {"resources": [
      {"address": "aws_s3_bucket_policy.artifacts", "type": "aws_s3_bucket_policy",
       "values": {"bucket": "artifacts", "policy": null}}]}}}"#;
    let path = scratch("computed-policy-plan.json", plan);
    let out = veto(&["lint", "--format", "json", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"].as_array().unwrap();
    assert!(
        !findings.is_empty() && findings.iter().all(|f| f["outcome"] == "undecided"),
        "{report}"
    );
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("known only after apply"),
        "{report}"
    );
}

#[test]
fn skip_unrecognized_counts_files_that_are_not_ours() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("skip-unrecognized");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("package.json"), "{\"name\": \"x\"}").unwrap();
    std::fs::write(
        dir.join("tsconfig.json"),
        "{\n  // comments\n  \"compilerOptions\": {}\n}",
    )
    .unwrap();
    std::fs::write(dir.join("ci.yml"), "on: [push]\njobs: {}\n").unwrap();
    let files: Vec<String> = ["package.json", "tsconfig.json", "ci.yml"]
        .iter()
        .map(|f| dir.join(f).display().to_string())
        .collect();
    let mut args = vec!["lint", "--skip-unrecognized"];
    args.extend(files.iter().map(String::as_str));
    let out = veto(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("3 skipped"), "{}", text(&out.stderr));
    // Named without the flag, package.json is still an input error.
    assert_eq!(veto(&["lint", &files[0]], None).status.code(), Some(2));
    // A broken policy is not skipped.
    std::fs::write(dir.join("broken-policy.json"), "{\"Statement\": [").unwrap();
    let broken = dir.join("broken-policy.json").display().to_string();
    let out = veto(&["lint", "--skip-unrecognized", &broken], None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

/// A Terraform module directory of one `main.tf` holding `contents`.
fn scratch_module(name: &str, contents: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-tests").join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.tf"), contents).unwrap();
    dir
}

#[test]
fn lint_hostile_terraform_exits_2_with_positions() {
    let deep = format!("locals {{\n  x = {}{}\n}}\n", "[".repeat(100_000), "]".repeat(100_000));
    let mut big = String::from("locals {\n");
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(&format!("  a{} = \"{}\"\n", big.len(), "x".repeat(100)));
    }
    big.push_str("}\n");
    let chain: String = (0..5000).map(|i| format!("  l{i} = local.l{}\n", i + 1)).collect();
    let cases: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "tf-unterminated",
            b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n".to_vec(),
            "not valid HCL",
            "main.tf:2:15",
        ),
        ("tf-deep", deep.into_bytes(), "nesting depth", "main.tf:2:"),
        (
            "tf-utf8",
            b"locals {\n  x = \"ab\xff\xfe\"\n}\n".to_vec(),
            "not valid UTF-8",
            "main.tf:2:10",
        ),
        ("tf-big", big.into_bytes(), "veto reads inputs up to", "main.tf:1:1"),
        (
            "tf-cycle",
            b"locals {\n  a = local.b\n  b = \"${local.c}-x\"\n  c = local.a\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a\n}\n".to_vec(),
            "a reference cycle: local.a \u{2192} local.b \u{2192} local.c \u{2192} local.a",
            "main.tf:2:7",
        ),
        (
            "tf-chain",
            format!("locals {{\n{chain}  l5000 = 1\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = local.l0\n}}\n").into_bytes(),
            "nest deeper than",
            "main.tf:",
        ),
        (
            "tf-grow",
            format!(
                "locals {{\n{}  s40 = \"xxxxxxxx\"\n}}\nresource \"aws_s3_bucket\" \"b\" {{\n  bucket = local.s0\n}}\n",
                (0..40).map(|i| format!("  s{i} = \"${{local.s{n}}}${{local.s{n}}}\"\n", n = i + 1)).collect::<String>()
            )
            .into_bytes(),
            "steps (values grow too large)",
            "main.tf:",
        ),
        (
            "tf-for",
            b"locals {\n  x = [for a in range(10000) : [for b in range(10000) : \"${a}-${b}\"]]\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = length(local.x)\n}\n".to_vec(),
            "steps (values grow too large)",
            "main.tf:2:",
        ),
        (
            "tf-undeclared",
            b"resource \"aws_s3_bucket\" \"b\" {\n  bucket = var.missing\n}\n".to_vec(),
            "var.missing is not declared",
            "main.tf:2:12",
        ),
    ];
    for (name, contents, needle, at) in cases {
        let dir = scratch_module(name, &contents);
        let started = std::time::Instant::now();
        let out = veto(&["lint", dir.to_str().unwrap()], None);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(needle), "{name}: missing `{needle}` in:\n{stderr}");
        assert!(
            stderr.contains(&format!("{name}/{at}")),
            "{name}: missing `{at}` in:\n{stderr}"
        );
        assert!(started.elapsed().as_secs() < 20, "{name}: took {:?}", started.elapsed());
    }
}

#[test]
fn lint_groups_terraform_files_by_directory() {
    // pre-commit passes file names: two files of one module are one module.
    let out = veto(
        &[
            "lint",
            "--format",
            "json",
            "tests/terraform/cross-account/main.tf",
            "tests/terraform/cross-account/modules/artifacts/main.tf",
            "--var",
            "dev_account=111122223333",
        ],
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // The local module is read through its call (with its inputs), once.
    assert_eq!(rules, ["CP-KMS-CROSS-ACCOUNT-CMK", "CP-KMS-ROTATION"], "{report}");
    assert_eq!(out.status.code(), Some(1));
    let bad = veto(&["lint", "--var", "novalue", "tests/terraform/cross-account"], None);
    assert_eq!(bad.status.code(), Some(2));
}

/// `veto prove --rule` on a file with nothing the rule applies to says so (exit 2)
/// instead of a vacuous "holds".
#[test]
fn prove_rule_on_a_target_it_does_not_apply_to_says_so() {
    let out = veto(
        &[
            "prove",
            "--rule",
            "CP-KMS-ROTATION",
            "--resource-policy",
            "examples/seed-bucket-policy.json",
        ],
        None,
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("CP-KMS-ROTATION applies to resource AWS::KMS::Key targets"),
        "{stderr}"
    );
    assert!(!text(&out.stdout).contains("holds"));
}

/// A policy inside a template is read from the template's own document tree (no
/// JSON text in between): a warning and an error in it point at the element.
#[test]
fn embedded_policy_findings_point_at_the_element() {
    let template = b"Resources:\n  Role:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObjekt\n            Resource: '*'\n";
    let path = scratch("embedded-warning.yaml", template);
    let out = veto(&["lint", "--format", "json", path.to_str().unwrap()], None);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "IAM-UNKNOWN-ACTION")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(finding["line"], 9, "{report}");
    let broken = String::from_utf8_lossy(template).replace("Effect: Allow", "Effect: Alow");
    let path = scratch("embedded-error.yaml", broken.as_bytes());
    let out = veto(&["lint", path.to_str().unwrap()], None);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("embedded-error.yaml:8:"), "{stderr}");
    assert!(stderr.contains("Alow"), "{stderr}");
}
