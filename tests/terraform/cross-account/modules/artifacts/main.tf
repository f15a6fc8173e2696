variable "name" {
  type = string
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "${var.name}-pipeline-artifacts"
}

# The policy is a template next to the module, filled in with the bucket's ARN.
resource "aws_s3_bucket_policy" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  policy = templatefile("${path.module}/policy.json.tpl", {
    bucket_arn = aws_s3_bucket.artifacts.arn
  })
}

resource "aws_kms_key" "artifacts" {
  description = "pipeline artifacts"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "artifacts" {
  bucket = aws_s3_bucket.artifacts.id
  rule {
    apply_server_side_encryption_by_default {
      kms_master_key_id = aws_kms_key.artifacts.arn
      sse_algorithm     = "aws:kms"
    }
  }
}

output "bucket" {
  value = aws_s3_bucket.artifacts.bucket
}

output "key_arn" {
  value = aws_kms_key.artifacts.arn
}
