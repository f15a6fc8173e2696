#!/usr/bin/env python3
"""Writes tests/validation/findings.jsonl: catalog findings that must fire, and
quiet cases where they must not. Each case lists the exact finding IDs expected."""
import json, os

CASES = []

def case(cid, expect, why, *statements, resource_policy=False):
    for s in statements:
        s.setdefault("Effect", "Allow")
        s.setdefault("Resource", "*")
        if resource_policy:
            s.setdefault("Principal", "*")
    CASES.append({"id": cid, "policy": {"Version": "2012-10-17", "Statement": list(statements)},
                  "expect": sorted(expect), "why": why})

OBJ = "arn:aws:s3:::b/*"
# IAM-UNKNOWN-SERVICE
case("unknown-service", ["IAM-UNKNOWN-SERVICE"], "prefix s4 is no service", {"Action": "s4:GetObject"})
case("known-service-quiet", [], "", {"Action": "s3:GetObject", "Resource": OBJ})
# IAM-UNKNOWN-ACTION
case("misspelt-action", ["IAM-UNKNOWN-ACTION"], "PutObjekt", {"Action": "s3:PutObjekt", "Resource": OBJ})
case("wildcard-matching-nothing", ["IAM-UNKNOWN-ACTION"], "no s3 action starts with Frob", {"Action": "s3:Frob*"})
case("wildcard-get-quiet", [], "legitimate wildcard", {"Action": "s3:Get*", "Resource": OBJ})
case("mixed-case-action-quiet", [], "action names ignore case", {"Action": "S3:getOBJECT", "Resource": OBJ})
case("star-action-quiet", [], "", {"Action": "*"})
case("notaction-misspelt", ["IAM-UNKNOWN-ACTION"], "NotAction entries are checked too", {"NotAction": "iam:CreatUser"})
# IAM-UNKNOWN-KEY
case("misspelt-key", ["IAM-UNKNOWN-KEY"], "encription", {"Effect": "Deny", "Action": "s3:PutObject", "Resource": OBJ,
     "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encription": "aws:kms"}}}, resource_policy=True)
case("misspelt-global-key", ["IAM-UNKNOWN-KEY"], "SecureTransprt", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"Bool": {"aws:SecureTransprt": "true"}}})
case("unknown-key-service", ["IAM-UNKNOWN-KEY"], "no such service prefix", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"StringEquals": {"s9:thing": "x"}}})
case("key-quiet", [], "", {"Effect": "Deny", "Action": "s3:PutObject", "Resource": OBJ,
     "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}, resource_policy=True)
case("key-case-quiet", [], "key names ignore case", {"Action": "s3:PutObject", "Resource": OBJ,
     "Condition": {"StringEquals": {"S3:X-AMZ-Server-Side-Encryption": "aws:kms"}}})
case("tag-placeholder-quiet", [], "tag-key placeholders match any tag", {"Action": "s3:PutObject", "Resource": OBJ,
     "Condition": {"StringEquals": {"aws:RequestTag/team": "red", "s3:RequestObjectTag/env": "prod"}}})
case("principal-tag-quiet", [], "", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"StringEquals": {"aws:PrincipalTag/Team": "red"}}})
# IAM-KEY-NOT-APPLICABLE
case("s3-key-on-kms", ["IAM-KEY-NOT-APPLICABLE"], "kms:Decrypt never carries an S3 header", {"Action": "kms:Decrypt",
     "Resource": "arn:aws:kms:us-east-1:111122223333:key/k",
     "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}})
case("s3-key-on-listbucket", ["IAM-KEY-NOT-APPLICABLE"], "ListBucket never carries the SSE header", {"Action": "s3:ListBucket",
     "Resource": "arn:aws:s3:::b", "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}})
case("global-key-any-action-quiet", [], "global keys apply to every action", {"Action": "kms:Decrypt",
     "Resource": "arn:aws:kms:us-east-1:111122223333:key/k", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})
case("key-applies-to-one-of-many-quiet", [], "applies to PutObject", {"Action": ["s3:ListBucket", "s3:PutObject"],
     "Resource": ["arn:aws:s3:::b", OBJ], "Condition": {"StringEqualsIfExists": {"s3:x-amz-server-side-encryption": "aws:kms"}}})
case("key-star-action-quiet", [], "Action * is unbounded", {"Action": "*",
     "Condition": {"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}})
# IAM-OPERATOR-TYPE
case("bool-on-string", ["IAM-OPERATOR-TYPE"], "Bool on a String key", {"Action": "s3:PutObject", "Resource": OBJ,
     "Condition": {"Bool": {"s3:x-amz-server-side-encryption": "true"}}})
case("ip-on-string", ["IAM-OPERATOR-TYPE"], "IpAddress on a non-IP key", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"IpAddress": {"aws:username": "10.0.0.0/8"}}})
case("string-on-bool", ["IAM-OPERATOR-TYPE"], "StringEquals on a Bool key", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"StringEquals": {"aws:SecureTransport": "true"}}})
case("numeric-on-string", ["IAM-OPERATOR-TYPE"], "", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"NumericLessThan": {"aws:username": "5"}}})
case("operator-type-quiet", [], "", {"Action": "s3:GetObject", "Resource": OBJ,
     "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}, "Bool": {"aws:SecureTransport": "true"},
                   "NumericLessThan": {"s3:TlsVersion": 1.2}, "DateGreaterThan": {"aws:CurrentTime": "2024-01-01"},
                   "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}, "StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/*"},
                   "Null": {"aws:SourceVpce": "true"}}})
# IAM-MISSING-QUALIFIER
case("plain-on-tagkeys", ["IAM-MISSING-QUALIFIER"], "§3.9", {"Action": "s3:PutObjectTagging", "Resource": OBJ,
     "Condition": {"StringEquals": {"aws:TagKeys": "env"}}})
case("qualified-tagkeys-quiet", [], "", {"Action": "s3:PutObjectTagging", "Resource": OBJ,
     "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}, "ForAnyValue:StringLike": {"aws:TagKeys": "e*"}}})
case("null-on-tagkeys-quiet", [], "Null needs no qualifier", {"Action": "s3:PutObjectTagging", "Resource": OBJ,
     "Condition": {"Null": {"aws:TagKeys": "false"}}})
# IAM-RESOURCE-MISMATCH
case("bucket-arn-for-object-action", ["IAM-RESOURCE-MISMATCH"], "GetObject takes object ARNs", {"Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::b"})
case("object-arn-for-bucket-action", ["IAM-RESOURCE-MISMATCH"], "ListBucket takes the bucket ARN", {"Action": "s3:ListBucket",
     "Resource": OBJ})
case("arn-for-star-action", ["IAM-RESOURCE-MISMATCH"], "ListAllMyBuckets takes no resource", {"Action": "s3:ListAllMyBuckets",
     "Resource": "arn:aws:s3:::b"})
case("kms-key-for-s3", ["IAM-RESOURCE-MISMATCH"], "", {"Action": "s3:GetObject",
     "Resource": "arn:aws:kms:us-east-1:111122223333:key/k"})
case("resource-quiet", [], "", {"Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]})
case("resource-prefix-wildcard-quiet", [], "b* covers the bucket and its objects", {"Action": ["s3:GetObject", "s3:ListBucket"],
     "Resource": "arn:aws:s3:::b*"})
case("resource-variable-quiet", [], "variables stand for anything", {"Action": "s3:GetObject",
     "Resource": "arn:aws:s3:::b/${aws:username}/*"})
case("notresource-quiet", [], "NotResource is not checked", {"Action": "s3:GetObject", "NotResource": "arn:aws:s3:::b"})
CASES[-1]["policy"]["Statement"][0].pop("Resource")
# The seed policy is clean.
seed = json.load(open(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "seed-bucket-policy.json")))
CASES.append({"id": "seed-policy-quiet", "policy": seed, "expect": [], "why": "the seed bucket policy uses real names"})
case("two-findings", ["IAM-MISSING-QUALIFIER", "IAM-UNKNOWN-KEY"], "every finding is reported",
     {"Action": "s3:PutObjectTagging", "Resource": OBJ,
      "Condition": {"StringEquals": {"aws:TagKeys": "env", "s3:x-amz-server-side-encription": "aws:kms"}}})

# Trust policies of OIDC providers, Cognito and SAML as AWS documents them, and keys
# AWS's own managed policies use (issue 12): written as JSON, one case a line.
HAND = r'''
{"id": "github-oidc-trust", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}, "StringLike": {"token.actions.githubusercontent.com:sub": "repo:octo-org/octo-repo:*"}}}]}, "expect": [], "why": "the GitHub Actions OIDC trust policy from the IAM User Guide: provider claims are keys"}
{"id": "eks-oidc-trust", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:default:my-sa", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com"}}}]}, "expect": [], "why": "EKS IRSA trust policy: any OIDC provider's aud/sub"}
{"id": "oidc-claim-misspelt", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringLike": {"token.actions.githubusercontent.com:subject": "repo:o/r:*"}}}]}, "expect": ["IAM-UNKNOWN-KEY"], "why": "subject is no claim IAM reads"}
{"id": "cognito-trust", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-2:12345678-abcd-abcd-abcd-123456790ab"}, "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}]}, "expect": [], "why": "Cognito identity pool trust policy (Cognito developer guide)"}
{"id": "saml-trust", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/ExampleOrgSSOProvider"}, "Action": "sts:AssumeRoleWithSAML", "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]}, "expect": [], "why": "SAML trust policy (IAM User Guide): SAML:aud is STS's key, any case"}
{"id": "key-of-another-service", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "aws-marketplace:StartChangeSet", "Resource": "*", "Condition": {"StringEquals": {"catalog:ChangeType": "AddRevisions"}}}]}, "expect": [], "why": "catalog:ChangeType belongs to aws-marketplace (AWSMarketplaceSellerOfferManagement)"}
{"id": "documented-key-the-data-lacks", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "organizations:DescribeOrganization", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgMasterAccountId": "${aws:PrincipalAccount}"}}}]}, "expect": [], "why": "AWSSSOServiceRolePolicy uses it"}
{"id": "arnlike-on-arn-valued-string-key", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::bucket/*"}}}]}, "expect": [], "why": "ArnLike on a String key holding ARNs (44 times in AWS managed policies)"}
{"id": "arnlike-on-string-key-non-arn", "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"ArnLike": {"kms:EncryptionContext:team": "blue"}}}]}, "expect": ["IAM-OPERATOR-TYPE"], "why": "ArnLike on a value that is no ARN is never true"}
'''
for line in HAND.strip().splitlines():
    CASES.append(json.loads(line))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "findings.jsonl"), "w") as f:
    for c in CASES:
        f.write(json.dumps(c) + "\n")
print(f"wrote {len(CASES)} cases")
