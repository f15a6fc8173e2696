#!/usr/bin/env python3
"""Writes tests/prove/corpus.jsonl: properties with the result each must get.
Expected results are stated by hand from the semantics spec, never computed by veto."""
import json, os

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = json.load(open(os.path.join(HERE, "..", "..", "examples", "seed-bucket-policy.json")))
B = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE"
CASES = []

def case(cid, expected, why, prop, **policies):
    line = {"id": cid}
    line.update(policies)
    line["property"] = prop
    line["expected"] = expected
    line["why"] = why
    CASES.append(line)

def prop(quantifier, decisions, **request):
    return {"quantifier": quantifier, "request": request, "decision": decisions}

# The seed policy's properties (issue: the prover corpus).
case("seed/sse-kms-deny-holds", "holds", "§5.8 every PutObject without aws:kms is denied",
     prop("every", ["ExplicitDeny"], Action="s3:PutObject", Resource=B + "/*",
          Condition={"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}), resource_policy=SEED)
case("seed/object-tls-deny-holds", "holds", "§5.8 every object request over HTTP is denied",
     prop("every", ["ExplicitDeny"], Action="s3:*", Resource=B + "/*",
          Condition={"Bool": {"aws:SecureTransport": "false"}}), resource_policy=SEED)
case("seed/bucket-tls-deny-fails", "fails", "§5.8 ListBucket on the bucket over HTTP is not denied",
     prop("every", ["ExplicitDeny"], Action="s3:*", Resource=B,
          Condition={"Bool": {"aws:SecureTransport": "false"}}), resource_policy=SEED)
case("seed/encrypted-tls-upload-possible", "holds", "§5.8 an aws:kms upload over TLS is not denied",
     prop("some", ["Allow", "ImplicitDeny"], Action="s3:PutObject", Resource=B + "/*",
          Condition={"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}, "Bool": {"aws:SecureTransport": "true"}}),
     resource_policy=SEED)
case("seed/unencrypted-upload-impossible", "fails", "no AES256 upload escapes the deny",
     prop("some", ["Allow", "ImplicitDeny"], Action="s3:PutObject", Resource=B + "/*",
          Condition={"StringEquals": {"s3:x-amz-server-side-encryption": "AES256"}}), resource_policy=SEED)
case("seed/any-upload-any-header-fails", "fails", "an aws:kms upload over TLS is not denied",
     prop("every", ["ExplicitDeny"], Action="s3:PutObject", Resource=B + "/*"), resource_policy=SEED)
case("seed/other-bucket-not-denied", "fails", "the policy names only its own bucket",
     prop("every", ["ExplicitDeny"], Action="s3:PutObject", Resource="arn:aws:s3:::other/*"), resource_policy=SEED)

LOCKOUT = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"]}]}
case("owner-root/bucket-policy-escapes-deny", "fails", "§4.5 the owner's root can always manage the bucket policy",
     prop("every", ["ExplicitDeny"], Resource="arn:aws:s3:::b"), resource_policy=LOCKOUT)
case("owner-root/other-services-naming-the-bucket", "fails", "NotAction also admits other services' actions on the bucket ARN (ssm:SendCommand takes an S3 bucket), which s3:* does not deny",
     prop("every", ["ExplicitDeny"], NotAction=["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"], Resource="arn:aws:s3:::b"), resource_policy=LOCKOUT)

case("owner-root/other-s3-bucket-actions-denied", "holds", "§4.5 only Get/Put/DeleteBucketPolicy escape",
     prop("every", ["ExplicitDeny"], Action=["s3:ListBucket", "s3:GetBucketLocation", "s3:PutBucketAcl", "s3:DeleteBucket"], Resource="arn:aws:s3:::b"), resource_policy=LOCKOUT)

# Identity policies and principals.
ROLE = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
case("identity/allow-some-get", "holds", "§4.3 identity allow, same account",
     prop("some", ["Allow"], Action="s3:GetObject", Resource="arn:aws:s3:::b/*"), identity_policies=[ROLE])
case("identity/no-put-allowed", "fails", "§4.1 the account's root user can PutObject without any grant",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Action="s3:PutObject"), identity_policies=[ROLE])
case("identity/every-get-allowed-fails", "fails", "anonymous or cross-account callers are not allowed",
     prop("every", ["Allow"], Action="s3:GetObject", Resource="arn:aws:s3:::b/*"), identity_policies=[ROLE])
PUBLIC = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::pub/*"}]}
case("public/anonymous-read", "holds", "§4.5 a * grant lets anonymous callers read",
     prop("some", ["Allow"], Principal="*", Action="s3:GetObject"), resource_policy=PUBLIC)
case("public/no-anonymous-write", "fails", "§4.1 a root user writes in its own account",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Action="s3:PutObject"), resource_policy=PUBLIC)
ACCT = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}
case("account/no-anonymous", "fails", "§4.1 the owning account's root user is allowed",
     prop("every", ["ImplicitDeny"], Principal={"AWS": "*"}, Action="s3:GetObject",
          Condition={"Null": {"aws:username": "true"}}, resource_account="444455556666"), resource_policy=ACCT)

case("identity/role-cannot-put", "holds", "§4.3 the role's sessions have no PutObject grant",
     prop("every", ["ImplicitDeny"], Principal={"AWS": "arn:aws:iam::111122223333:role/R"}, Action="s3:PutObject"),
     identity_policies=[ROLE])
case("account/anonymous-never-allowed", "holds", "§4.5 anonymous callers need a * grant",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Principal={"AWS": "*"}, Action="s3:GetObject", resource_account="444455556666",
          Condition={"StringEquals": {"aws:PrincipalType": "Anonymous"}}),
     resource_policy={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "*"},
                                                             {"Effect": "Deny", "Principal": "*", "NotAction": "s3:GetObject", "Resource": "*"},
                                                             {"Effect": "Deny", "Principal": {"AWS": ["111122223333", "444455556666"]}, "Action": "*", "Resource": "*",
                                                              "Condition": {"StringEquals": {"aws:PrincipalType": "Anonymous"}}}]})

# Conditions of every family.
def deny_unless(cond):
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*", "Condition": cond}]}
case("ip/outside-range-denied", "holds", "§3.8 NotIpAddress deny; anonymous callers have no identity policy (ImplicitDeny)",
     prop("every", ["ExplicitDeny", "ImplicitDeny"], Action="s3:GetObject", Condition={"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
     identity_policies=[deny_unless({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})])
case("ip/vpc-endpoint-denied", "fails", "§6.22 without aws:SourceIp NotIpAddress is true, so an allowed request must carry an inside address",
     prop("every", ["ExplicitDeny"], Action="s3:GetObject"),
     identity_policies=[deny_unless({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})])
case("ip/inside-allowed", "holds", "an address inside the range is allowed",
     prop("some", ["Allow"], Action="s3:GetObject", Condition={"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}),
     identity_policies=[deny_unless({"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}})])
case("numeric/old-tls-denied", "holds", "§6.24; never allowed",
     prop("every", ["ExplicitDeny", "ImplicitDeny"], Action="s3:GetObject", Condition={"NumericLessThan": {"s3:TlsVersion": "1.2"}}),
     identity_policies=[deny_unless({"NumericLessThan": {"s3:TlsVersion": 1.2}})])
case("numeric/tls-1.2-allowed", "holds", "1.2 is not below 1.2",
     prop("some", ["Allow"], Action="s3:GetObject", Condition={"NumericEquals": {"s3:TlsVersion": "1.2"}}),
     identity_policies=[deny_unless({"NumericLessThan": {"s3:TlsVersion": 1.2}})])
case("date/after-cutoff-denied", "holds", "§3.5; never allowed",
     prop("every", ["ExplicitDeny", "ImplicitDeny"], Action="s3:GetObject", Condition={"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}),
     identity_policies=[deny_unless({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}})])
case("date/before-cutoff-allowed", "holds", "§3.5",
     prop("some", ["Allow"], Action="s3:GetObject"),
     identity_policies=[deny_unless({"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}})])
case("string/like-deny", "fails", "values outside t2.* are not denied",
     prop("every", ["ExplicitDeny"], Action="ec2:RunInstances"),
     identity_policies=[{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*",
                                                                "Condition": {"StringLike": {"ec2:InstanceType": "t2.*"}}}]}])
case("sets/forall-tags", "fails", "§6.8 ForAllValues is vacuously true on no tags, so a tagless request is allowed; one with another tag is not",
     prop("every", ["Allow"], Action="s3:PutObjectTagging", Resource="arn:aws:s3:::b/k"),
     identity_policies=[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObjectTagging", "Resource": "*",
                                                                "Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env"]}}}]}])
case("keys/misspelt-key-always-absent", "holds", "a misspelt key is never sent, so StringNotEquals on it denies every upload",
     prop("every", ["ExplicitDeny"], Action="s3:PutObject", Resource="arn:aws:s3:::b/*"),
     resource_policy={"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::b/*",
                                                             "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encription": "aws:kms"}}}]})
case("variables/unknown", "fails", "issue 14: ${aws:username} is decided per caller: a user reads its own home folder",
     prop("every", ["ImplicitDeny"], Action="s3:GetObject"),
     identity_policies=[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:username}/*"}]}])
case("scp/level-blocks", "holds", "§4.2 an SCP level without Allow blocks every IAM principal",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Principal={"AWS": "*"}, Action="s3:GetObject", Condition={"Null": {"aws:username": "false"}}),
     identity_policies=[ROLE], scps=[[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}]])

case("accounts/cross-account-needs-identity", "holds",
     "§4.1 a caller of another account needs its own identity policy too, so a resource policy open to * still leaves requests the identity policy does not cover at ImplicitDeny (found by the agreement property test)",
     prop("some", ["ImplicitDeny"], Action="s3:PutObject"),
     identity_policies=[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*Object", "Resource": "arn:aws:s3:::b"}]}],
     resource_policy={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*Object", "Resource": "*"}]})

# Issue 11: the evaluator's special rules, seen through the prover (its action classes must
# keep the special actions and the RCP services apart, or a representative hides them).
A = "111122223333"
ROLE_R = f"arn:aws:iam::{A}:role/R"
def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}
DENY_EVERYTHING = doc({"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"})
ALLOW_EVERYTHING = doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
case("special/get-caller-identity-cannot-be-denied", "fails",
     "§4.5 sts:GetCallerIdentity is allowed to every authenticated caller, a Deny of * notwithstanding",
     prop("every", ["ExplicitDeny"], Action="sts:*"), resource_policy=DENY_EVERYTHING)
case("special/get-caller-identity-allowed-to-account", "holds", "§4.5 whatever the policies say",
     prop("every", ["Allow"], Principal={"AWS": A}, Action="sts:GetCallerIdentity"), resource_policy=DENY_EVERYTHING,
     identity_policies=[doc({"Effect": "Deny", "Action": "*", "Resource": "*"})])
case("special/other-sts-actions-denied", "holds", "§4.5 only GetCallerIdentity is exempt",
     prop("every", ["ExplicitDeny"], NotAction="sts:GetCallerIdentity", Principal={"AWS": A}),
     identity_policies=[doc({"Effect": "Deny", "Action": "*", "Resource": "*"})])
case("special/tag-session-needs-trust", "holds",
     "§4.5 sts:TagSession and sts:SetSourceIdentity on a role need its trust policy; none is given",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Action=["sts:TagSession", "sts:SetSourceIdentity"], Resource="arn:aws:iam::*:role/*"),
     identity_policies=[doc({"Effect": "Allow", "Action": "sts:*", "Resource": "*"})])
# A trust policy naming a web-identity provider (Federated): the evaluator grants the caller
# string equal to the entry (README), so the search must try it, or it claims "holds" wrongly.
FED_TRUST = doc({"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"}, "Action": "sts:AssumeRoleWithWebIdentity"})
case("principals/federated-entry-is-searched", "fails",
     "§1.4, §2.6 a Federated entry names its provider's sessions: cognito-identity.amazonaws.com may assume the role",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Action="sts:AssumeRoleWithWebIdentity", Resource=f"arn:aws:iam::{A}:role/T"),
     resource_policy=FED_TRUST)
case("principals/service-entry-is-searched", "fails", "§4.5 a Service entry in a trust policy lets that service assume the role",
     prop("every", ["ImplicitDeny", "ExplicitDeny"], Action="sts:AssumeRole", Resource=f"arn:aws:iam::{A}:role/T"),
     resource_policy=doc({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}))
case("special/rcps-skip-other-services", "fails", "§4.2 RCPs apply only to their services: an RCP Deny of * leaves ec2 and the rest allowed",
     prop("every", ["ExplicitDeny"], Action="*"), identity_policies=[ALLOW_EVERYTHING], rcps=[[DENY_EVERYTHING]])
case("special/rcps-skip-sns-next-to-s3", "fails",
     "§4.2 s3 and sns actions look alike to these policies, but only s3 is bound by RCPs: sns:* stays allowed (the prover must not let an s3 action stand for sns)",
     prop("every", ["ExplicitDeny"], Principal={"AWS": A}, Action=["s3:*", "sns:*"]), identity_policies=[ALLOW_EVERYTHING], rcps=[[DENY_EVERYTHING]])
case("special/rcps-skip-ec2", "holds", "§4.2 an RCP Deny of * does not deny ec2:StartInstances",
     prop("some", ["Allow"], Action="ec2:StartInstances"), identity_policies=[ALLOW_EVERYTHING], rcps=[[DENY_EVERYTHING]])
case("special/rcps-bind-their-services", "holds", "§4.2 RCPs deny every request to the services they apply to",
     prop("every", ["ExplicitDeny"], Action=["s3:*", "kms:*", "dynamodb:*", "sqs:*"]), identity_policies=[ALLOW_EVERYTHING], rcps=[[DENY_EVERYTHING]])
case("special/bare-role-limited-by-boundary", "holds",
     "§0 a grant to the role ARN is limited by the boundary for the bare role ARN caller and its sessions alike",
     prop("every", ["ImplicitDeny"], Principal={"AWS": ROLE_R}, Action="s3:GetObject", Resource="arn:aws:s3:::b/*"),
     resource_policy=doc({"Effect": "Allow", "Principal": {"AWS": ROLE_R}, "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}),
     boundary=doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}))
case("special/notprincipal-star-denies-boundary", "holds",
     "§4.5 a NotPrincipal Deny denies every principal with a boundary, \"NotPrincipal\": \"*\" included",
     prop("every", ["ExplicitDeny"], Principal={"AWS": A}, Action="s3:GetObject", Resource="arn:aws:s3:::b/*"),
     resource_policy=doc({"Effect": "Deny", "NotPrincipal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}),
     identity_policies=[ALLOW_EVERYTHING], boundary=ALLOW_EVERYTHING)
case("special/notprincipal-star-exempts-anonymous", "holds",
     "§0 anonymous callers have no boundary, so NotPrincipal * exempts them and the bucket's * grant allows",
     prop("some", ["Allow"], Action="s3:GetObject", Resource="arn:aws:s3:::b/*", Condition={"Null": {"aws:PrincipalAccount": "true"}}),
     resource_policy=doc({"Effect": "Deny", "NotPrincipal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                         {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}),
     boundary=ALLOW_EVERYTHING)

with open(os.path.join(HERE, "corpus.jsonl"), "w") as f:
    for c in CASES:
        f.write(json.dumps(c) + "\n")
print(f"wrote {len(CASES)} cases")
