//! The evaluator and the policy-document renderer, through `load_text`.

use super::load_text;
use crate::doc::Value;
use crate::targets::Target;

fn targets(text: &str) -> Vec<Target> {
    match load_text("main.tf", text) {
        Ok(m) => m.targets,
        Err(f) => panic!("did not load: {:?}", f.problems),
    }
}

fn problems(text: &str) -> Vec<String> {
    match load_text("main.tf", text) {
        Ok(_) => panic!("loaded"),
        Err(f) => f
            .problems
            .iter()
            .map(|p| format!("{}:{}: {}", p.pos.line, p.pos.column, p.message))
            .collect(),
    }
}

/// The policies read, as JSON (unknowns as `<desc>`).
fn policies(text: &str) -> Vec<serde_json::Value> {
    targets(text)
        .iter()
        .filter_map(|t| match t {
            Target::Policy { node, .. } => Some(super::eval::to_json(node)),
            _ => None,
        })
        .collect()
}

#[test]
fn expressions_and_functions() {
    let p = policies(
        r#"
variable "env" { default = "prod" }
variable "names" { default = ["a", "b"] }
locals {
  prefix  = format("%s-%s", "shop", var.env)
  tags    = merge({ a = "1" }, { b = "2" }, { a = "3" })
  actions = concat(["s3:GetObject"], [for n in var.names : "s3:Get${upper(n)}*" if n != "b"])
  arns    = join(",", ["arn:aws:s3:::x", "arn:aws:s3:::y"])
  pick    = lookup(local.tags, "a", "none")
  cond    = var.env == "prod" ? "yes" : "no"
}
resource "aws_iam_policy" "p" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid      = "${local.prefix}${local.pick}${local.cond}"
      Effect   = "Allow"
      Action   = local.actions
      Resource = split(",", local.arns)
    }]
  })
}
"#,
    );
    assert_eq!(
        p,
        [serde_json::json!({"Version": "2012-10-17", "Statement": [{
            "Sid": "shop-prod3yes", "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:GetA*"], "Resource": ["arn:aws:s3:::x", "arn:aws:s3:::y"]}]})]
    );
}

#[test]
fn count_for_each_and_references() {
    let t = targets(
        r#"
resource "aws_s3_bucket" "b" {
  for_each = toset(["one", "two"])
  bucket   = "bucket-${each.key}"
}
resource "aws_iam_policy" "p" {
  count  = 2
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "${aws_s3_bucket.b["two"].arn}/${count.index}" }]
  })
}
"#,
    );
    let resources: Vec<String> = t
        .iter()
        .filter_map(|t| match t {
            Target::Policy { policy, .. } => Some(policy.statements[0].resource.as_ref()?.patterns[0].text.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(resources, ["arn:aws:s3:::bucket-two/0", "arn:aws:s3:::bucket-two/1"]);
}

#[test]
fn policy_document_with_sources_overrides_and_dynamic_blocks() {
    let p = policies(
        r#"
data "aws_iam_policy_document" "base" {
  statement {
    sid       = "Keep"
    actions   = ["s3:GetObject"]
    resources = ["*"]
  }
  statement {
    sid       = "Replace"
    actions   = ["s3:PutObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "over" {
  statement {
    sid       = "Replace"
    effect    = "Deny"
    actions   = ["s3:DeleteObject"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "doc" {
  source_policy_documents   = [data.aws_iam_policy_document.base.json]
  override_policy_documents = [data.aws_iam_policy_document.over.json]
  dynamic "statement" {
    for_each = { read = "s3:GetBucketLocation" }
    content {
      sid       = statement.key
      effect    = "Deny"
      actions   = [statement.value]
      resources = ["*"]
      not_principals {
        type        = "AWS"
        identifiers = ["arn:aws:iam::111122223333:root"]
      }
      condition {
        test     = "Bool"
        variable = "aws:SecureTransport"
        values   = ["true"]
      }
    }
  }
}
resource "aws_iam_policy" "p" {
  policy = data.aws_iam_policy_document.doc.json
}
"#,
    );
    let statements = &p[0]["Statement"];
    let sids: Vec<&str> = statements
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Sid"].as_str().unwrap())
        .collect();
    assert_eq!(sids, ["Keep", "Replace", "read"]);
    assert_eq!(statements[1]["Effect"], "Deny");
    assert_eq!(
        statements[2]["NotPrincipal"],
        serde_json::json!({"AWS": ["arn:aws:iam::111122223333:root"]})
    );
    assert_eq!(
        statements[2]["Condition"],
        serde_json::json!({"Bool": {"aws:SecureTransport": ["true"]}})
    );
}

#[test]
fn unknowns_are_named_and_errors_positioned() {
    let t = targets(
        r#"
variable "account" {}
data "aws_caller_identity" "me" {}
resource "aws_codepipeline" "p" {
  role_arn = "arn:aws:iam::${data.aws_caller_identity.me.account_id}:role/p"
  artifact_store {
    location = "b"
    type     = "S3"
  }
  stage {
    action { role_arn = "arn:aws:iam::${var.account}:role/x" }
  }
}
"#,
    );
    let Some(Target::Pipeline { node, .. }) = t.iter().find(|t| matches!(t, Target::Pipeline { .. })) else {
        panic!("no pipeline")
    };
    assert_eq!(
        node.get("cross_account").map(|n| &n.value),
        Some(&Value::Symbolic(crate::doc::Symbolic::new(
            crate::doc::Origin::Other,
            "var.account"
        )))
    );
    assert_eq!(
        problems("locals {\n  a = local.nope\n}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = local.a\n}\n"),
        ["2:7: local.nope is not declared (no `nope =` in a locals block)"]
    );
    // The branch an unknown condition does not take first is read too.
    assert_eq!(
        problems("variable \"flag\" {}\nresource \"aws_s3_bucket\" \"b\" {\n  bucket = var.flag ? \"a\" : local.missing\n}\n"),
        ["3:29: local.missing is not declared (no `missing =` in a locals block)"]
    );
    assert_eq!(
        problems("resource \"aws_s3_bucket\" \"b\" {\n  bucket = aws_s3_bucket.c.id\n}\n"),
        ["2:12: aws_s3_bucket.c is not declared (no resource \"aws_s3_bucket\" \"c\" block)"]
    );
}

/// Every prefix of the fixtures, and the fixtures with characters swapped in,
/// load or fail with problems: never a panic.
#[test]
fn truncated_and_mangled_modules_never_panic() {
    let fixtures = [
        include_str!("../../../../tests/terraform/cross-account/main.tf"),
        include_str!("../../../../tests/terraform/seed-policy-document/main.tf"),
        include_str!("../../../../tests/terraform/unknown-principal/main.tf"),
        include_str!("../../../../tests/terraform/undecided-condition/main.tf"),
    ];
    let specials = [
        "{", "}", "[", "]", "\"", "${", "%{", "<<EOF\n", "local.a", "(", "?", ":", "\n",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for text in fixtures {
        for cut in (0..text.len()).step_by(13).filter(|&i| text.is_char_boundary(i)) {
            let _ = load_text("main.tf", &text[..cut]);
        }
        for _ in 0..80 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = (seed as usize) % text.len();
            if !text.is_char_boundary(at) {
                continue;
            }
            let mangled = format!(
                "{}{}{}",
                &text[..at],
                specials[(seed >> 32) as usize % specials.len()],
                &text[at..]
            );
            let _ = load_text("main.tf", &mangled);
        }
    }
}
