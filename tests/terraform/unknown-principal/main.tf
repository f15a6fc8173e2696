# A bucket policy that lets a partner account in: the account is a variable
# with no default, so what the policy allows depends on it.
variable "partner_account" {
  type = string
}

resource "aws_s3_bucket" "exchange" {
  bucket = "partner-exchange"
}

data "aws_iam_policy_document" "exchange" {
  statement {
    sid       = "PartnerRead"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.exchange.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.partner_account}:root"]
    }
  }

  dynamic "statement" {
    for_each = toset(["s3:PutObject"])
    content {
      sid       = "DenyUnencrypted"
      effect    = "Deny"
      actions   = [statement.value]
      resources = ["${aws_s3_bucket.exchange.arn}/*"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      condition {
        test     = "StringNotEquals"
        variable = "s3:x-amz-server-side-encryption"
        values   = ["aws:kms"]
      }
    }
  }
}

resource "aws_s3_bucket_policy" "exchange" {
  bucket = aws_s3_bucket.exchange.id
  policy = data.aws_iam_policy_document.exchange.json
}
