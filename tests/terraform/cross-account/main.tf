# A cross-account pipeline: the deploy action runs as a role in the account
# var.dev_account, which has no default (terraform asks for it at plan time).
variable "dev_account" {
  type = string
}

variable "use_customer_key" {
  type    = bool
  default = false
}

locals {
  name = "shop"
  # The AWS managed key unless a customer managed key is asked for.
  artifact_key = var.use_customer_key ? module.artifacts.key_arn : "alias/aws/s3"
}

module "artifacts" {
  source = "./modules/artifacts"
  name   = local.name
}

resource "aws_iam_role" "pipeline" {
  name = "${local.name}-pipeline"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "codepipeline.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_codepipeline" "this" {
  name     = local.name
  role_arn = aws_iam_role.pipeline.arn

  artifact_store {
    location = module.artifacts.bucket
    type     = "S3"
    encryption_key {
      id   = local.artifact_key
      type = "KMS"
    }
  }

  stage {
    name = "Source"
    action {
      name             = "Source"
      category         = "Source"
      owner            = "AWS"
      provider         = "S3"
      version          = "1"
      output_artifacts = ["source"]
      configuration = {
        S3Bucket    = module.artifacts.bucket
        S3ObjectKey = "source.zip"
      }
    }
  }

  stage {
    name = "Deploy"
    action {
      name            = "Deploy"
      category        = "Deploy"
      owner           = "AWS"
      provider        = "CloudFormation"
      version         = "1"
      input_artifacts = ["source"]
      role_arn        = "arn:aws:iam::${var.dev_account}:role/${local.name}-deploy"
      configuration = {
        ActionMode = "CREATE_UPDATE"
        StackName  = local.name
      }
    }
  }
}
