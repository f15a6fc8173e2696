#!/usr/bin/env python3
"""Writes tests/conformance/*.jsonl: the evaluator's conformance corpus.

Every case states its expected decision by hand, with the spec section it comes
from in `why`. Edit the tables here and run `python3 tests/conformance/generate.py`;
the files it writes are what `cargo test --test conformance` reads, one named test
per line. Expected values are never computed by veto.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
A = "111122223333"       # the caller's account
B = "444455556666"       # another account
USER = f"arn:aws:iam::{A}:user/alice"
BOB = f"arn:aws:iam::{A}:user/Bob"
ROLE = f"arn:aws:iam::{A}:role/R"
SESSION = f"arn:aws:sts::{A}:assumed-role/R/s1"
OTHER_SESSION = f"arn:aws:sts::{A}:assumed-role/R/s2"
ROOT = f"arn:aws:iam::{A}:root"
B_SESSION = f"arn:aws:sts::{B}:assumed-role/Builder/run"
B_ROLE = f"arn:aws:iam::{B}:role/Builder"
OBJ = "arn:aws:s3:::b/k"
BUCKET = "arn:aws:s3:::b"
ABSENT = object()

ALLOW, XDENY, IDENY, ERROR = "Allow", "ExplicitDeny", "ImplicitDeny", "error"


def policy(*statements, version="2012-10-17"):
    doc = {} if version is None else {"Version": version}
    doc["Statement"] = list(statements)
    return doc


def stmt(effect="Allow", action="*", resource="*", principal=None, condition=None, sid=None, **extra):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    if action is not None:
        s["Action"] = action
    if resource is not None:
        s["Resource"] = resource
    if condition is not None:
        s["Condition"] = condition
    s.update(extra)
    return s


def request(action="s3:GetObject", resource=OBJ, principal=USER, context=None, resource_account=None):
    r = {"principal": principal, "action": action, "resource": resource}
    if resource_account:
        r["resource_account"] = resource_account
    if context is not None:
        r["context"] = context
    return r


CASES = {}


def case(group, cid, expected, why, req, **policies):
    line = {"id": f"{group}/{cid}"}
    line.update(policies)
    line["request"] = req
    line["expected"] = expected
    line["why"] = why
    assert line["id"] not in {c["id"] for c in CASES.get(group, [])}, line["id"]
    CASES.setdefault(group, []).append(line)


def cond(group, cid, operator, key, values, ctx_value, holds, why, version="2012-10-17", context=None):
    """An identity Allow guarded by one condition: Allow when it holds, else ImplicitDeny."""
    ctx = dict(context or {})
    if ctx_value is not ABSENT:
        ctx[key if not key.lower().startswith("aws:resourcetag") else key] = ctx_value
    p = policy(stmt(condition={operator: {key: values}}), version=version)
    case(group, cid, ALLOW if holds else IDENY, why, request(context=ctx), identity_policies=[p])


def deny_cond(group, cid, operator, key, values, ctx, denied, why, resource="arn:aws:s3:::b/*", req_resource=OBJ, action="s3:*", req_action="s3:GetObject"):
    """A bucket-policy Deny guarded by a condition, next to an identity Allow."""
    bucket = policy(stmt("Deny", action, resource, "*", {operator: {key: values}}, sid="D"))
    case(group, cid, XDENY if denied else ALLOW, why,
         request(req_action, req_resource, context=ctx),
         identity_policies=[policy(stmt())], resource_policy=bucket)


def load_error(group, cid, why, doc, slot="identity_policies", contains=None, req=None):
    policies = {slot: [doc] if slot in ("identity_policies",) else doc}
    case(group, cid, ERROR, why, req or request(), **policies)
    if contains:
        CASES[group][-1]["error_contains"] = contains


# ---------------------------------------------------------------- §3.3 String
G = "string"
K = "aws:PrincipalTag/team"
for cid, op, vals, ctx, holds in [
    ("equals-match", "StringEquals", "dev", "dev", True),
    ("equals-case-differs", "StringEquals", "dev", "Dev", False),
    ("equals-absent", "StringEquals", "dev", ABSENT, False),
    ("equals-multivalued-context", "StringEquals", "dev", ["dev"], False),
    ("equals-any-of-list", "StringEquals", ["ops", "dev"], "dev", True),
    ("equals-none-of-list", "StringEquals", ["ops", "dev"], "qa", False),
    ("equals-star-is-literal", "StringEquals", "t2.*", "t2.micro", False),
    ("equals-star-literal-match", "StringEquals", "t2.*", "t2.*", True),
    ("equals-empty-string", "StringEquals", "", "", True),
    ("not-equals-same", "StringNotEquals", "dev", "dev", False),
    ("not-equals-other", "StringNotEquals", "dev", "ops", True),
    ("not-equals-absent", "StringNotEquals", "dev", ABSENT, True),
    ("not-equals-multivalued-context", "StringNotEquals", "dev", ["ops"], False),
    ("not-equals-nor-first", "StringNotEquals", ["audit", "security"], "audit", False),
    ("not-equals-nor-second", "StringNotEquals", ["audit", "security"], "security", False),
    ("not-equals-nor-none", "StringNotEquals", ["audit", "security"], "dev", True),
    ("ignore-case-match", "StringEqualsIgnoreCase", "Dev", "dEV", True),
    ("ignore-case-other", "StringEqualsIgnoreCase", "Dev", "ops", False),
    ("ignore-case-absent", "StringEqualsIgnoreCase", "Dev", ABSENT, False),
    ("ignore-case-unicode", "StringEqualsIgnoreCase", "ÉQUIPE", "équipe", True),
    ("not-ignore-case-same", "StringNotEqualsIgnoreCase", "Dev", "dev", False),
    ("not-ignore-case-other", "StringNotEqualsIgnoreCase", "Dev", "ops", True),
    ("not-ignore-case-absent", "StringNotEqualsIgnoreCase", "Dev", ABSENT, True),
    ("like-prefix", "StringLike", "t2.*", "t2.micro", True),
    ("like-prefix-miss", "StringLike", "t2.*", "m5.large", False),
    ("like-absent", "StringLike", "t2.*", ABSENT, False),
    ("like-home-slash", "StringLike", "home/*", "home/", True),
    ("like-home-deep", "StringLike", "home/*", "home/a/b", True),
    ("like-home-bare", "StringLike", "home/*", "home", False),
    ("like-question-one", "StringLike", "a?c", "abc", True),
    ("like-question-none", "StringLike", "a?c", "ac", False),
    ("like-question-two", "StringLike", "a?c", "abbc", False),
    ("like-empty-pattern-empty", "StringLike", "", "", True),
    ("like-empty-pattern-text", "StringLike", "", "x", False),
    ("like-case-sensitive", "StringLike", "Dev*", "dev1", False),
    ("like-any-of-list", "StringLike", ["a*", "b*"], "bx", True),
    ("like-multivalued-context", "StringLike", "*", ["x"], False),
    ("not-like-match", "StringNotLike", "t2.*", "t2.micro", False),
    ("not-like-miss", "StringNotLike", "t2.*", "m5.large", True),
    ("not-like-absent", "StringNotLike", "t2.*", ABSENT, True),
]:
    cond(G, cid, op, K, vals, ctx, holds, "§3.3 string operators; §3.1 OR over values, NOR for negated; §3.13 absent and multi-valued keys")

for cid, op, ctx, holds in [
    ("equals-ifexists-absent", "StringEqualsIfExists", ABSENT, True),
    ("equals-ifexists-other", "StringEqualsIfExists", "x", False),
    ("equals-ifexists-match", "StringEqualsIfExists", "dev", True),
    ("not-equals-ifexists-absent", "StringNotEqualsIfExists", ABSENT, True),
    ("not-equals-ifexists-same", "StringNotEqualsIfExists", "dev", False),
    ("not-equals-ifexists-other", "StringNotEqualsIfExists", "qa", True),
    ("like-ifexists-absent", "StringLikeIfExists", ABSENT, True),
    ("like-ifexists-multivalued", "StringLikeIfExists", ["dev"], False),
    ("not-like-ifexists-absent", "StringNotLikeIfExists", ABSENT, True),
]:
    cond("ifexists", cid, op, K, "dev", ctx, holds, "§3.10 IfExists: absent key true, present key the base operator; §3.13")
cond("ifexists", "edge4-instance-type-absent", "StringLikeIfExists", "ec2:InstanceType", ["t2.*"], ABSENT, True, "§6.4")
cond("ifexists", "edge4-instance-type-m5", "StringLikeIfExists", "ec2:InstanceType", ["t2.*"], "m5.large", False, "§6.4")
cond("ifexists", "edge4-equals-star-literal", "StringEquals", "ec2:InstanceType", ["t2.*"], "t2.micro", False, "§6.4: with StringEquals the * is literal")

# ---------------------------------------------------------------- §3.4 Numeric
G = "numeric"
for cid, op, vals, ctx, holds in [
    ("equals-int", "NumericEquals", "10", "10", True),
    ("equals-trailing-zero", "NumericEquals", "10", "10.0", True),
    ("equals-other", "NumericEquals", "10", "11", False),
    ("equals-absent", "NumericEquals", "10", ABSENT, False),
    ("equals-non-number-context", "NumericEquals", "10", "ten", False),
    ("equals-json-number-policy", "NumericEquals", 10, "10", True),
    ("equals-big-exact", "NumericEquals", "9007199254740993", "9007199254740992", False),
    ("equals-negative", "NumericEquals", "-3", "-3.00", True),
    ("not-equals-same", "NumericNotEquals", "10", "10", False),
    ("not-equals-other", "NumericNotEquals", "10", "11", True),
    ("not-equals-absent", "NumericNotEquals", "10", ABSENT, True),
    ("not-equals-non-number-context", "NumericNotEquals", "10", "ten", True),
    ("less-than-true", "NumericLessThan", 1.2, "1.1", True),
    ("less-than-false", "NumericLessThan", 1.2, "1.3", False),
    ("less-than-not-semver", "NumericLessThan", 1.2, "1.10", True),
    ("less-than-equal-boundary", "NumericLessThan", 1.2, "1.2", False),
    ("less-than-absent", "NumericLessThan", 1.2, ABSENT, False),
    ("less-than-equals-boundary", "NumericLessThanEquals", "1.2", "1.20", True),
    ("less-than-equals-above", "NumericLessThanEquals", "1.2", "1.3", False),
    ("greater-than-true", "NumericGreaterThan", "100", "101", True),
    ("greater-than-boundary", "NumericGreaterThan", "100", "100", False),
    ("greater-than-negative", "NumericGreaterThan", "100", "-5", False),
    ("greater-than-equals-boundary", "NumericGreaterThanEquals", "100", "100", True),
    ("greater-than-equals-below", "NumericGreaterThanEquals", "100", "99.99", False),
    ("less-than-ifexists-absent", "NumericLessThanIfExists", "5", ABSENT, True),
    ("less-than-any-of-list", "NumericLessThan", ["1", "10"], "5", True),
    ("exponent-rejected", "NumericEquals", "1000", "1e3", False),
    ("plus-sign-rejected", "NumericEquals", "5", "+5", False),
    ("multivalued-context", "NumericEquals", "5", ["5"], False),
]:
    cond(G, cid, op, "s3:max-keys", vals, ctx, holds, "§3.4 numeric: exact decimal comparison; exponents and + rejected; §3.11 request-side wrong type")
cond(G, "context-json-number", "NumericLessThan", "s3:TlsVersion", 1.2, 1.1, True, "§1.7 numbers without quotes; §3.4")
cond(G, "bad-policy-value-positive", "NumericEquals", "s3:max-keys", "abc", "5", False, "§3.11 a bad policy value never compares true")
cond(G, "bad-policy-value-negated-present", "NumericNotEquals", "s3:max-keys", "abc", "5", False, "§3.11 negated operator with a bad policy value is false (iam-simulate)")
cond(G, "bad-policy-value-negated-absent", "NumericNotEquals", "s3:max-keys", "abc", ABSENT, True, "§3.13 negated operator on an absent key is true; README: bad values only bite on present keys")

# ---------------------------------------------------------------- §3.5 Date
G = "date"
T0 = "2020-01-01T00:00:00Z"
for cid, op, vals, ctx, holds in [
    ("greater-than-equal-instant", "DateGreaterThan", T0, T0, False),
    ("greater-than-one-second-later", "DateGreaterThan", T0, "2020-01-01T00:00:01Z", True),
    ("equals-epoch-vs-iso", "DateEquals", "1577836800", T0, True),
    ("equals-iso-vs-epoch-context", "DateEquals", T0, "1577836800", True),
    ("equals-offset", "DateEquals", "2020-01-01T02:00:00+02:00", T0, True),
    ("equals-date-only-is-midnight", "DateEquals", "2020-01-01", T0, True),
    ("equals-fraction", "DateEquals", "2020-01-01T00:00:00.000Z", T0, True),
    ("less-than-day-before", "DateLessThan", "2024-01-01", "2023-12-31T23:59:59Z", True),
    ("less-than-same-instant", "DateLessThan", "2024-01-01", "2024-01-01T00:00:00Z", False),
    ("less-than-equals-same", "DateLessThanEquals", "2024-01-01", "2024-01-01T00:00:00Z", True),
    ("greater-than-equals-same", "DateGreaterThanEquals", T0, "1577836800", True),
    ("greater-than-equals-before", "DateGreaterThanEquals", T0, "1577836799", False),
    ("not-equals-same", "DateNotEquals", T0, T0, False),
    ("not-equals-other", "DateNotEquals", T0, "2021-01-01T00:00:00Z", True),
    ("not-equals-absent", "DateNotEquals", T0, ABSENT, True),
    ("less-than-absent", "DateLessThan", T0, ABSENT, False),
    ("less-than-ifexists-absent", "DateLessThanIfExists", T0, ABSENT, True),
    ("bad-context-positive", "DateEquals", T0, "yesterday", False),
    ("bad-context-negated", "DateNotEquals", T0, "yesterday", True),
    ("digits-are-epoch-seconds", "DateLessThan", "2000-01-01", "2024", True),
]:
    cond(G, cid, op, "aws:CurrentTime", vals, ctx, holds, "§3.5 dates: ISO 8601 profile or epoch seconds, compared as instants; §6.25")
cond(G, "epoch-time-key", "DateGreaterThan", "aws:EpochTime", T0, "1577836801", True, "§3.5 aws:EpochTime is epoch seconds")

# ---------------------------------------------------------------- §3.6 Bool
G = "bool"
for cid, vals, ctx, holds in [
    ("true-true", "true", "true", True),
    ("true-false", "true", "false", False),
    ("true-absent", "true", ABSENT, False),
    ("json-true-policy", True, "true", True),
    ("json-false-policy", False, "false", True),
    ("json-bool-context", "true", True, True),
    ("case-insensitive-context", "true", "TRUE", True),
    ("case-insensitive-policy", "True", "true", True),
    ("non-boolean-context", "true", "yes", False),
    ("multivalued-context", "true", ["true"], False),
]:
    cond(G, cid, "Bool", "aws:SecureTransport", vals, ctx, holds, "§3.6 Bool: true/false as string or JSON boolean (case ignored, README)")
cond(G, "ifexists-absent", "BoolIfExists", "aws:MultiFactorAuthPresent", "true", ABSENT, True, "§3.10")
cond(G, "ifexists-false", "BoolIfExists", "aws:MultiFactorAuthPresent", "true", "false", False, "§3.10")
cond(G, "bad-policy-value", "Bool", "aws:SecureTransport", "yes", "true", False, "§3.11 a bad policy value never matches")

# ---------------------------------------------------------------- §3.7 Binary
G = "binary"
for cid, vals, ctx, holds in [
    ("equal-bytes", "aGVsbG8=", "aGVsbG8=", True),
    ("equal-bytes-unpadded-context", "aGVsbG8=", "aGVsbG8", True),
    ("other-bytes", "aGVsbG8=", "d29ybGQ=", False),
    ("absent", "aGVsbG8=", ABSENT, False),
    ("any-of-list", ["d29ybGQ=", "aGVsbG8="], "aGVsbG8=", True),
    ("context-not-base64", "aGVsbG8=", "hello!", False),
]:
    cond(G, cid, "BinaryEquals", "aws:ResourceTag/blob", vals, ctx, holds, "§3.7 BinaryEquals compares decoded bytes (§0: request value is base64)")
cond(G, "ifexists-absent", "BinaryEqualsIfExists", "aws:ResourceTag/blob", "aGVsbG8=", ABSENT, True, "§3.10")

# ---------------------------------------------------------------- §3.8 IP
G = "ip"
for cid, op, vals, ctx, holds in [
    ("in-range", "IpAddress", "203.0.113.0/24", "203.0.113.5", True),
    ("out-of-range", "IpAddress", "203.0.113.0/24", "203.0.114.1", False),
    ("absent", "IpAddress", "203.0.113.0/24", ABSENT, False),
    ("bare-ip-exact", "IpAddress", "203.0.113.5", "203.0.113.5", True),
    ("bare-ip-neighbour", "IpAddress", "203.0.113.5", "203.0.113.6", False),
    ("ipv6-in-range", "IpAddress", "2001:db8::/32", "2001:db8::1", True),
    ("ipv6-caller-ipv4-list", "IpAddress", "203.0.113.0/24", "2001:db8::1", False),
    ("ipv4-caller-ipv6-list", "IpAddress", "2001:db8::/32", "203.0.113.5", False),
    ("host-bits-masked", "IpAddress", "203.0.113.7/24", "203.0.113.200", True),
    ("any-of-list", "IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.9", True),
    ("bad-context", "IpAddress", "203.0.113.0/24", "nope", False),
    ("not-in-range", "NotIpAddress", "203.0.113.0/24", "203.0.113.5", False),
    ("not-out-of-range", "NotIpAddress", "203.0.113.0/24", "198.51.100.1", True),
    ("not-absent", "NotIpAddress", "203.0.113.0/24", ABSENT, True),
    ("not-ipv6-caller-ipv4-list", "NotIpAddress", "203.0.113.0/24", "2001:db8::1", True),
    ("not-nor-list", "NotIpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "10.1.1.1", False),
    ("not-bad-context", "NotIpAddress", "203.0.113.0/24", "nope", True),
    ("ifexists-absent", "IpAddressIfExists", "203.0.113.0/24", ABSENT, True),
    ("bad-policy-cidr", "IpAddress", "203.0.113.0/33", "203.0.113.5", False),
]:
    cond(G, cid, op, "aws:SourceIp", vals, ctx, holds, "§3.8 IP: CIDR containment, bare IP is /32 or /128, family mismatch is out of range; §6.23")

# ---------------------------------------------------------------- §2.4 ARN
G = "arn"
SA = "aws:SourceArn"
FIN = "arn:aws:someservice:*:111122223333:finance/*"
TRICK = "arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/d.txt"
for cid, op, vals, ctx, holds in [
    ("equals-wildcard-region", "ArnEquals", "arn:aws:sns:*:111122223333:t", "arn:aws:sns:us-east-1:111122223333:t", True),
    ("like-field-wise", "ArnLike", FIN, TRICK, False),
    ("string-like-whole-string", "StringLike", FIN, TRICK, True),
    ("like-object", "ArnLike", "arn:aws:s3:::b/*", "arn:aws:s3:::b/k", True),
    ("like-other-bucket", "ArnLike", "arn:aws:s3:::b/*", "arn:aws:s3:::c/k", False),
    ("like-case-sensitive", "ArnLike", "arn:aws:s3:::B", "arn:aws:s3:::b", False),
    ("like-account-field", "ArnLike", "arn:aws:iam::111122223333:role/*", "arn:aws:iam::444455556666:role/x", False),
    ("like-resource-with-colons", "ArnLike", "arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:1:log-group:g:log-stream:s", True),
    ("like-not-an-arn", "ArnLike", "arn:aws:s3:::b", "not-an-arn", False),
    ("like-absent", "ArnLike", "arn:aws:s3:::b", ABSENT, False),
    ("not-equals-same", "ArnNotEquals", "arn:aws:sns:us-east-1:111122223333:t", "arn:aws:sns:us-east-1:111122223333:t", False),
    ("not-equals-other", "ArnNotEquals", "arn:aws:sns:us-east-1:111122223333:t", "arn:aws:sns:us-east-1:111122223333:u", True),
    ("not-like-absent", "ArnNotLike", "arn:aws:sns:*:*:t", ABSENT, True),
    ("not-like-not-an-arn", "ArnNotLike", "arn:aws:sns:*:*:t", "not-an-arn", False),
    ("like-question-mark", "ArnLike", "arn:aws:sns:us-east-?:*:t", "arn:aws:sns:us-east-2:111122223333:t", True),
    ("like-ifexists-absent", "ArnLikeIfExists", "arn:aws:sns:*:*:t", ABSENT, True),
]:
    cond(G, cid, op, SA, vals, ctx, holds, "§2.4 ArnEquals/ArnLike split at the first five colons and glob each field; non-ARN values are false for both polarities (iam-simulate, README)")

# ---------------------------------------------------------------- §3.1 Null
G = "null"
for cid, vals, ctx, holds in [
    ("true-absent", "true", ABSENT, True),
    ("true-present", "true", "AES256", False),
    ("false-absent", "false", ABSENT, False),
    ("false-present", "false", "AES256", True),
    ("true-empty-set", "true", [], False),
    ("false-empty-set", "false", [], True),
    ("json-bool-value", True, ABSENT, True),
]:
    cond(G, cid, "Null", "s3:x-amz-server-side-encryption", vals, ctx, holds, "§3.1 Null tests absence; §3.13 an empty set is present")
cond(G, "forallvalues-null-always-true", "ForAllValues:Null", "aws:TagKeys", "true", ["a"], True, "§1.6 ForAllValues:Null evaluates true")
cond(G, "foranyvalue-null-always-false", "ForAnyValue:Null", "aws:TagKeys", "true", ABSENT, False, "§1.6 ForAnyValue:Null evaluates false")

# ---------------------------------------------------------------- §3.9 sets
G = "sets"
TK = "aws:TagKeys"
for cid, op, vals, ctx, holds, why in [
    ("edge8-forall-absent", "ForAllValues:StringEquals", ["env"], ABSENT, True, "§6.8 vacuous truth"),
    ("edge9-forall-empty", "ForAllValues:StringEquals", ["env"], [], True, "§6.9"),
    ("edge9-forall-extra", "ForAllValues:StringEquals", ["env"], ["env", "owner"], False, "§6.9"),
    ("forall-subset", "ForAllValues:StringEquals", ["env", "owner"], ["env"], True, "§3.1 every value in the policy set"),
    ("forall-single-context", "ForAllValues:StringEquals", ["env"], "env", True, "§3.9 a single value acts as a one-element set"),
    ("edge10-forany-absent", "ForAnyValue:StringEquals", ["env"], ABSENT, False, "§6.10"),
    ("edge10-forany-empty", "ForAnyValue:StringEquals", ["env"], [], False, "§6.10"),
    ("forany-one-hit", "ForAnyValue:StringEquals", ["env"], ["x", "env"], True, "§3.1"),
    ("forany-single-context", "ForAnyValue:StringEquals", ["env"], "env", True, "§3.9"),
    ("edge12-forany-not-equals", "ForAnyValue:StringNotEquals", ["a", "b"], ["a", "c"], True, "§6.12"),
    ("edge12-forall-not-equals", "ForAllValues:StringNotEquals", ["a", "b"], ["a", "c"], False, "§6.12"),
    ("forall-not-equals-disjoint", "ForAllValues:StringNotEquals", ["a", "b"], ["c", "d"], True, "§3.1 NOR per value"),
    ("edge14-plain-on-multivalued", "StringEquals", "env", ["env"], False, "§6.14 plain operator on a present multi-valued key is false"),
    ("plain-negated-on-multivalued", "StringNotEquals", "env", ["x"], False, "§3.9 false for negated too"),
    ("forall-like", "ForAllValues:StringLike", ["env*"], ["env1", "env2"], True, "§3.1"),
    ("forall-like-miss", "ForAllValues:StringLike", ["env*"], ["env1", "x"], False, "§3.1"),
    ("forany-like", "ForAnyValue:StringLike", ["env*"], ["x", "env"], True, "§3.1"),
    ("forany-ifexists-absent", "ForAnyValue:StringEqualsIfExists", ["env"], ABSENT, True, "§3.10 veto reads ForAnyValue:…IfExists on an absent key as true (README)"),
    ("forany-ifexists-empty", "ForAnyValue:StringEqualsIfExists", ["env"], [], False, "§3.13"),
    ("forall-ifexists-absent", "ForAllValues:StringEqualsIfExists", ["env"], ABSENT, True, "§3.10 redundant with ForAllValues"),
    ("forany-ignore-case", "ForAnyValue:StringEqualsIgnoreCase", ["ENV"], ["env"], True, "§3.3"),
    ("forall-empty-string-is-a-value", "ForAllValues:StringEquals", ["env"], "", False, "§3.13 note: veto treats a context value \"\" as a value, not an empty set (README)"),
]:
    cond(G, cid, op, TK, vals, ctx, holds, why)
deny_cond(G, "edge11-forall-not-like-no-tags", "ForAllValues:StringNotLike", TK, "key1*", {}, True, "§6.11 ForAllValues on no tags is true, so the Deny fires")
cond(G, "forany-numeric", "ForAnyValue:NumericGreaterThan", "aws:ResourceTag/sizes", "10", ["1", "20"], True, "§3.1")
cond(G, "forall-ip", "ForAllValues:IpAddress", "aws:ResourceTag/ips", "10.0.0.0/8", ["10.1.1.1", "10.2.2.2"], True, "§3.1")

# ---------------------------------------------------------------- §1.6 logic, keys
G = "logic"
def cblock(group, cid, condition, ctx, holds, why):
    p = policy(stmt(condition=condition))
    case(group, cid, ALLOW if holds else IDENY, why, request(context=ctx), identity_policies=[p])
cblock(G, "keys-in-block-and-both", {"StringEquals": {"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2"}}, {"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2"}, True, "§1.6 keys in a block AND")
cblock(G, "keys-in-block-and-one", {"StringEquals": {"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "2"}}, {"aws:PrincipalTag/a": "1", "aws:PrincipalTag/b": "3"}, False, "§1.6 keys in a block AND")
cblock(G, "blocks-and-both", {"StringEquals": {"aws:PrincipalTag/a": "1"}, "Bool": {"aws:SecureTransport": "true"}}, {"aws:PrincipalTag/a": "1", "aws:SecureTransport": "true"}, True, "§1.6 blocks AND")
cblock(G, "blocks-and-one", {"StringEquals": {"aws:PrincipalTag/a": "1"}, "Bool": {"aws:SecureTransport": "true"}}, {"aws:PrincipalTag/a": "1", "aws:SecureTransport": "false"}, False, "§1.6 blocks AND")
cblock(G, "empty-condition-object", {}, {}, True, "§1.6 \"Condition\": {} is no condition")
cblock(G, "edge15-key-case-insensitive", {"Bool": {"AWS:SECURETRANSPORT": "true"}}, {"aws:SecureTransport": "true"}, True, "§6.15 key names ignore case")
cblock(G, "edge15-tag-key-case-insensitive", {"StringEquals": {"aws:ResourceTag/Env": "prod"}}, {"aws:ResourceTag/env": "prod"}, True, "§6.15 the tag suffix ignores case too")
cblock(G, "value-case-sensitive", {"StringEquals": {"aws:ResourceTag/env": "Prod"}}, {"aws:ResourceTag/env": "prod"}, False, "§2.5 condition values by operator")
cblock(G, "scalar-equals-one-element-array", {"StringEquals": {"aws:PrincipalTag/a": ["1"]}}, {"aws:PrincipalTag/a": "1"}, True, "§1.7 a scalar and a one-element array are equivalent")

# ---------------------------------------------------------------- §3.12 variables
G = "variables"
cblock(G, "condition-username", {"StringEquals": {"s3:prefix": "home/${aws:username}/"}}, {"aws:username": "alice", "s3:prefix": "home/alice/"}, True, "§3.12")
cblock(G, "condition-username-missing", {"StringEquals": {"s3:prefix": "home/${aws:username}/"}}, {"s3:prefix": "home/alice/"}, False, "§3.12 positive operator, missing variable: never matches")
cblock(G, "condition-like-with-variable", {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}, {"aws:username": "alice", "s3:prefix": "home/alice/x/y"}, True, "§3.12")
cblock(G, "substituted-star-is-literal", {"StringLike": {"s3:prefix": "a/${aws:PrincipalTag/x}"}}, {"aws:PrincipalTag/x": "*", "s3:prefix": "a/b"}, False, "§3.12 substituted values are literal")
cblock(G, "substituted-star-literal-match", {"StringLike": {"s3:prefix": "a/${aws:PrincipalTag/x}"}}, {"aws:PrincipalTag/x": "*", "s3:prefix": "a/*"}, True, "§3.12")
cblock(G, "variable-name-case-insensitive", {"StringEquals": {"s3:prefix": "${AWS:USERNAME}"}}, {"aws:username": "alice", "s3:prefix": "alice"}, True, "§2.5 variable names ignore case")
cblock(G, "default-used", {"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'company-wide'}"}}, {"s3:prefix": "company-wide"}, True, "§3.12 default when the key is absent")
cblock(G, "default-not-used", {"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'company-wide'}"}}, {"aws:PrincipalTag/team": "red", "s3:prefix": "company-wide"}, False, "§3.12")
cblock(G, "default-escaped-quote", {"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'it''s'}"}}, {"s3:prefix": "it's"}, True, "§3.12 '' is a quote inside a default (README)")
cblock(G, "version-2008-literal", {"StringEquals": {"s3:prefix": "${aws:username}"}}, {"aws:username": "alice", "s3:prefix": "alice"}, True, "placeholder")
CASES[G].pop()
p = policy(stmt(condition={"StringEquals": {"s3:prefix": "${aws:username}"}}), version="2008-10-17")
case(G, "version-2008-literal", IDENY, "§1.2 2008-10-17 reads ${…} as text", request(context={"aws:username": "alice", "s3:prefix": "alice"}), identity_policies=[p])
case(G, "version-2008-literal-text-matches", ALLOW, "§1.2", request(context={"aws:username": "alice", "s3:prefix": "${aws:username}"}), identity_policies=[p])
cblock(G, "arn-like-with-variable", {"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:${aws:PrincipalAccount}:*"}}, {"aws:PrincipalAccount": A, "aws:SourceArn": f"arn:aws:sns:us-east-1:{A}:t"}, True, "§3.12 ARN operators take variables")
cblock(G, "multivalued-key-as-variable", {"StringEquals": {"s3:prefix": "${aws:TagKeys}"}}, {"aws:TagKeys": ["x"], "s3:prefix": "x"}, False, "§3.12 a variable takes a single-valued key only")

def res_case(group, cid, resource, req_resource, expected, why, version="2012-10-17", ctx=None, effect="Allow", principal=USER, not_resource=False):
    s = stmt(effect, "s3:*", None if not_resource else resource)
    if not_resource:
        s["NotResource"] = resource
    pols = [policy(s, version=version)]
    if effect == "Deny":
        pols.append(policy(stmt()))
    case(group, cid, expected, why, request("s3:GetObject", req_resource, principal, ctx), identity_policies=pols)

res_case(G, "edge26-username-missing-allow", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/x/y", IDENY, "§6.26 unresolvable Resource entry matches nothing", principal=SESSION)
res_case(G, "edge26-username-missing-deny", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/x/y", ALLOW, "§6.26 as a Deny it does not deny", effect="Deny", principal=SESSION)
res_case(G, "username-present", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", ALLOW, "§3.12", ctx={"aws:username": "alice"})
res_case(G, "username-other-user", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/bob/x", IDENY, "§3.12", ctx={"aws:username": "alice"})
res_case(G, "edge27-no-version-literal", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/alice/x", IDENY, "§6.27 no Version: variables are literal", version=None, ctx={"aws:username": "alice"})
res_case(G, "edge27-no-version-literal-key", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}/x", ALLOW, "§6.27", version=None, ctx={"aws:username": "alice"})
res_case(G, "edge28-default", "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}", "arn:aws:s3:::b-company-wide", ALLOW, "§6.28")
res_case(G, "edge28-tag-present", "arn:aws:s3:::b-${aws:PrincipalTag/team, 'company-wide'}", "arn:aws:s3:::b-red", ALLOW, "§6.28", ctx={"aws:PrincipalTag/team": "red"})
res_case(G, "edge29-star-literal", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", ALLOW, "§6.29 ${*} is a literal star")
res_case(G, "edge29-star-literal-miss", "arn:aws:s3:::b/${*}", "arn:aws:s3:::b/abc", IDENY, "§6.29")
res_case(G, "question-literal", "arn:aws:s3:::b/${?}", "arn:aws:s3:::b/?", ALLOW, "§3.12 ${?}")
res_case(G, "question-literal-miss", "arn:aws:s3:::b/${?}", "arn:aws:s3:::b/a", IDENY, "§3.12 ${?}")
res_case(G, "dollar-literal", "arn:aws:s3:::b/${$}x", "arn:aws:s3:::b/$x", ALLOW, "§3.12 ${$}")
res_case(G, "edge31-notresource-exemption-vanishes", ["arn:aws:s3:::keep/${aws:username}/*"], "arn:aws:s3:::keep/x/y", XDENY, "§6.31 the NotResource exemption vanishes", effect="Deny", principal=SESSION, not_resource=True)
res_case(G, "notresource-exemption-holds", ["arn:aws:s3:::keep/${aws:username}/*"], "arn:aws:s3:::keep/x/y", ALLOW, "§2.3 NotResource", effect="Deny", ctx={"aws:username": "x"}, not_resource=True)
deny_cond(G, "edge30-negated-missing-variable", "StringNotEquals", "s3:ExistingObjectTag/Team", "${aws:PrincipalTag/Team}", {"s3:ExistingObjectTag/Team": "red"}, True, "§6.30 negated operator with a missing variable counts as not equal")
deny_cond(G, "negated-variable-equal", "StringNotEquals", "s3:ExistingObjectTag/Team", "${aws:PrincipalTag/Team}", {"s3:ExistingObjectTag/Team": "red", "aws:PrincipalTag/Team": "red"}, False, "§3.12")

# ---------------------------------------------------------------- §2.1 actions
G = "actions"
def act(cid, action, req_action, expected, why, not_action=False, effect="Allow", resource="*"):
    s = stmt(effect, None if not_action else action, "*")
    if not_action:
        s["NotAction"] = action
    pols = [policy(s)]
    if effect == "Deny":
        pols.append(policy(stmt()))
    case(G, cid, expected, why, request(req_action, resource), identity_policies=pols)
act("star-matches-all", "*", "kms:Decrypt", ALLOW, "§2.1")
act("edge16-case-insensitive", "S3:getobject", "s3:GetObject", ALLOW, "§6.16")
act("request-case-insensitive", "s3:GetObject", "S3:GETOBJECT", ALLOW, "§2.1")
act("edge16-suffix-wildcard-miss", "s3:*Object", "s3:GetObjectAcl", IDENY, "§6.16")
act("suffix-wildcard-hit", "s3:*Object", "s3:PutObject", ALLOW, "§2.2")
act("edge16-prefix-wildcard-miss", "s3:Get*", "s3:ListBucket", IDENY, "§6.16")
act("prefix-wildcard-hit", "s3:Get*", "s3:GetObjectAcl", ALLOW, "§2.2")
act("prefix-wildcard-case", "s3:get*", "s3:GetObject", ALLOW, "§2.1")
act("question-mark", "s3:?etObject", "s3:GetObject", ALLOW, "§2.2")
act("service-star-not-other-service", "s3:*", "s3-object-lambda:GetObject", IDENY, "§2.1 wildcards never cross the colon")
act("service-star", "s3:*", "s3:DeleteBucket", ALLOW, "§2.1")
act("other-service", "s3:*", "kms:Decrypt", IDENY, "§2.1")
act("list-any-of", ["kms:Decrypt", "s3:Get*"], "s3:GetObject", ALLOW, "§1.3 list entries OR")
act("edge32-notaction-other-service", "iam:*", "kms:Decrypt", ALLOW, "§6.32", not_action=True)
act("edge32-notaction-listed", "iam:*", "iam:CreateUser", IDENY, "§6.32", not_action=True)
act("notaction-list", ["iam:*", "kms:*"], "kms:Decrypt", IDENY, "§2.1 NotAction applies iff no pattern matches", not_action=True)
act("notaction-deny-other", "s3:Get*", "s3:PutObject", XDENY, "§2.1 Deny with NotAction", not_action=True, effect="Deny")
act("notaction-deny-listed", "s3:Get*", "s3:GetObject", ALLOW, "§2.1", not_action=True, effect="Deny")
act("name-mismatch-exact", "s3:GetObject", "s3:GetObjectAcl", IDENY, "§2.2 anchored")

# ---------------------------------------------------------------- §2.3 resources
G = "resources"
res_case(G, "edge17-bucket-case", "arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a", IDENY, "§6.17 resources are case-sensitive")
res_case(G, "edge18-empty-segment", "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b//test/x", ALLOW, "§6.18")
res_case(G, "edge18-missing-segment", "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/test/x", IDENY, "§6.18")
res_case(G, "edge18-deep", "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/3/x", ALLOW, "§6.18")
res_case(G, "edge19-bucket", "arn:aws:s3:::b*", "arn:aws:s3:::b", ALLOW, "§6.19")
res_case(G, "edge19-object", "arn:aws:s3:::b*", "arn:aws:s3:::b/k", ALLOW, "§6.19")
res_case(G, "edge19-other-bucket", "arn:aws:s3:::b*", "arn:aws:s3:::backup/k", ALLOW, "§6.19")
res_case(G, "objects-not-bucket", "arn:aws:s3:::b/*", "arn:aws:s3:::b", IDENY, "§5.2 bucket/* never covers the bucket")
res_case(G, "question-one-char", "arn:aws:s3:::b/?", "arn:aws:s3:::b/k", ALLOW, "§2.2")
res_case(G, "question-two-chars", "arn:aws:s3:::b/?", "arn:aws:s3:::b/kk", IDENY, "§2.2")
res_case(G, "key-case-sensitive", "arn:aws:s3:::b/Key", "arn:aws:s3:::b/key", IDENY, "§2.3")
res_case(G, "list-any-of", ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"], "arn:aws:s3:::b/k", ALLOW, "§1.3")
res_case(G, "notresource-other", "arn:aws:s3:::secret/*", "arn:aws:s3:::public/k", ALLOW, "§2.3 NotResource", not_resource=True)
res_case(G, "notresource-listed", "arn:aws:s3:::secret/*", "arn:aws:s3:::secret/k", IDENY, "§2.3 NotResource", not_resource=True)
res_case(G, "star-across-fields", "arn:aws:s3:::*", "arn:aws:s3:::any/thing", ALLOW, "§2.3")
def res2(cid, resource, action, req_resource, expected, why):
    case(G, cid, expected, why, request(action, req_resource), identity_policies=[policy(stmt("Allow", action, resource))])
res2("star-matches-star-resource", "*", "s3:ListAllMyBuckets", "*", ALLOW, "§2.3 * matches the * resource")
res2("arn-never-matches-star-resource", "arn:aws:s3:::*", "s3:ListAllMyBuckets", "*", IDENY, "§2.3 a specific ARN never matches an action without resource type")
res2("dynamodb-wildcard-region", "arn:aws:dynamodb:*:111122223333:table/T*", "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111122223333:table/Tbl", ALLOW, "§2.3")
res2("iam-user-path", "arn:aws:iam::111122223333:user/*", "iam:GetUser", "arn:aws:iam::111122223333:user/path/bob", ALLOW, "§2.3 * crosses /")
res2("region-mismatch", "arn:aws:sns:us-east-1:111122223333:t", "sns:Publish", "arn:aws:sns:us-west-2:111122223333:t", IDENY, "§2.3")
res2("star-region-and-account", "arn:aws:sns:*:*:t", "sns:Publish", "arn:aws:sns:us-west-2:111122223333:t", ALLOW, "§2.3")

# ---------------------------------------------------------------- §2.6 principals
G = "principals"
def bucket_allow(cid, principal, caller, expected, why, identity=None, action="s3:GetObject", resource=OBJ, **extra):
    p = policy(stmt("Allow", "s3:*", "arn:aws:s3:::b*", principal))
    fields = {"resource_policy": p}
    if identity is not None:
        fields["identity_policies"] = identity
    fields.update(extra)
    # An S3 ARN names no account: the bucket's owner is given explicitly (§0).
    case(G, cid, expected, why, request(action, resource, caller, resource_account=A), **fields)
ID_ALLOW = [policy(stmt("Allow", "s3:*", "*"))]
bucket_allow("star-anonymous", "*", "anonymous", ALLOW, "§1.4 * includes anonymous")
bucket_allow("aws-star-anonymous", {"AWS": "*"}, "anonymous", ALLOW, "§6.39 {\"AWS\":\"*\"} is valid and matches anonymous")
bucket_allow("star-service", "*", "codepipeline.amazonaws.com", ALLOW, "§2.6 * matches service principals")
bucket_allow("account-id-anonymous", {"AWS": A}, "anonymous", IDENY, "§2.6 an account entry matches authenticated principals only")
bucket_allow("edge35-account-same-no-identity", {"AWS": A}, USER, IDENY, "§6.35 account strength needs identity")
bucket_allow("account-same-with-identity", {"AWS": A}, USER, ALLOW, "§4.3", identity=ID_ALLOW)
bucket_allow("account-root-arn-equivalent", {"AWS": ROOT}, USER, ALLOW, "§1.4 id ≡ :root ARN", identity=ID_ALLOW)
bucket_allow("user-direct", {"AWS": USER}, USER, ALLOW, "§4.3 direct: the resource policy alone allows")
bucket_allow("user-case-sensitive", {"AWS": f"arn:aws:iam::{A}:user/Alice"}, USER, IDENY, "§1.4 user names are case-sensitive")
bucket_allow("other-user", {"AWS": BOB}, USER, IDENY, "§2.6")
bucket_allow("edge34-role-parent", {"AWS": ROLE}, SESSION, ALLOW, "§6.34 the role's session, identity silent")
bucket_allow("edge34-role-parent-boundary", {"AWS": ROLE}, SESSION, IDENY, "§6.34 a silent boundary stops a parent-strength grant", boundary=policy(stmt("Allow", "ec2:*")))
bucket_allow("edge34-session-direct-boundary", {"AWS": SESSION}, SESSION, ALLOW, "§6.34 naming the session is direct", boundary=policy(stmt("Allow", "ec2:*")))
bucket_allow("role-parent-session-policy", {"AWS": ROLE}, SESSION, IDENY, "§4.3 parent strength needs the session policy", session_policy=policy(stmt("Allow", "ec2:*")))
bucket_allow("session-direct-session-policy", {"AWS": SESSION}, SESSION, ALLOW, "§4.3 direct ignores a silent session policy", session_policy=policy(stmt("Allow", "ec2:*")))
bucket_allow("edge40-role-path", {"AWS": f"arn:aws:iam::{A}:role/team/R"}, SESSION, ALLOW, "§6.40 session ARNs carry no path")
bucket_allow("other-session-of-role", {"AWS": SESSION}, OTHER_SESSION, IDENY, "§2.6 a session entry names one session")
bucket_allow("other-role", {"AWS": f"arn:aws:iam::{A}:role/Other"}, SESSION, IDENY, "§2.6")
# §0 (corrected 2026-11-30): a bare role ARN caller is an unnamed session of its role. A grant
# to the role ARN names it at parent strength, so the boundary and the session policy limit it
# exactly as they limit arn:aws:sts::A:assumed-role/R/s (issue 11, item 1).
SILENT_BOUNDARY = policy(stmt("Allow", "ec2:*"))
bucket_allow("bare-role-caller-parent-boundary", {"AWS": ROLE}, ROLE, IDENY, "§0 a bare role caller matches its role ARN at parent strength: a silent boundary stops the grant (§2.6, §4.3)", boundary=SILENT_BOUNDARY)
bucket_allow("bare-role-caller-parent-session-policy", {"AWS": ROLE}, ROLE, IDENY, "§0 parent strength: a silent session policy stops the grant (§4.3)", session_policy=SILENT_BOUNDARY)
bucket_allow("bare-role-caller-parent-no-ceiling", {"AWS": ROLE}, ROLE, ALLOW, "§0, §4.3 parent strength with no boundary or session policy: the resource policy alone allows")
bucket_allow("bare-role-caller-parent-boundary-allows", {"AWS": ROLE}, ROLE, ALLOW, "§0, §4.3 a boundary that allows lets the parent-strength grant through", boundary=policy(stmt("Allow", "s3:*")))
bucket_allow("bare-role-caller-boundary-deny", {"AWS": ROLE}, ROLE, XDENY, "§0, §4.2 the deny sweep covers the bare role caller's boundary", boundary=policy(stmt(), stmt("Deny", "s3:GetObject")))
bucket_allow("bare-role-caller-role-path", {"AWS": f"arn:aws:iam::{A}:role/team/R"}, ROLE, ALLOW, "§0, §6.40 the role is named by account and name, as for its sessions")
bucket_allow("bare-role-caller-other-role", {"AWS": f"arn:aws:iam::{A}:role/Other"}, ROLE, IDENY, "§0, §2.6")
bucket_allow("bare-role-caller-star-boundary", "*", ROLE, ALLOW, "§0, §2.6 `*` is direct for every caller: a silent boundary does not limit it", boundary=SILENT_BOUNDARY)
bucket_allow("bare-role-caller-account-no-identity", {"AWS": A}, ROLE, IDENY, "§0, §4.3 account strength needs identity")
bucket_allow("bare-role-caller-account-with-identity", {"AWS": A}, ROLE, ALLOW, "§0, §4.3", identity=ID_ALLOW)
bucket_allow("bare-role-caller-cross-account-boundary", {"AWS": B_ROLE}, B_ROLE, IDENY, "§0, §4.4 cross-account: the boundary must allow", identity=ID_ALLOW, boundary=SILENT_BOUNDARY)
bucket_allow("bare-role-caller-cross-account", {"AWS": B_ROLE}, B_ROLE, ALLOW, "§0, §4.4", identity=ID_ALLOW)
bucket_allow("bare-role-caller-not-session-entry", {"AWS": SESSION}, ROLE, IDENY, "§0 a bare role caller matches no assumed-role entry")
bucket_allow("service-named", {"Service": "codepipeline.amazonaws.com"}, "codepipeline.amazonaws.com", ALLOW, "§4.5 the resource policy names the service")
bucket_allow("service-other", {"Service": "codebuild.amazonaws.com"}, "codepipeline.amazonaws.com", IDENY, "§4.5")
bucket_allow("service-no-resource-policy-grant", {"AWS": A}, "codepipeline.amazonaws.com", IDENY, "§4.5")
bucket_allow("unique-id-matches-nothing", {"AWS": "AIDAJQABLZS4A3QDU576Q"}, USER, IDENY, "§1.4 unique IDs match no new principal")
bucket_allow("federated-user-direct", {"AWS": f"arn:aws:sts::{A}:federated-user/fed"}, f"arn:aws:sts::{A}:federated-user/fed", ALLOW, "§2.6")
bucket_allow("edge37-cross-account-root-with-identity", {"AWS": f"arn:aws:iam::{B}:root"}, B_SESSION, ALLOW, "§6.37", identity=ID_ALLOW)
bucket_allow("edge37-cross-account-root-no-identity", {"AWS": f"arn:aws:iam::{B}:root"}, B_SESSION, IDENY, "§6.37")
bucket_allow("cross-account-role-no-identity", {"AWS": B_ROLE}, B_SESSION, IDENY, "§4.4 cross-account needs the caller's identity policy")
bucket_allow("cross-account-role-with-identity", {"AWS": B_ROLE}, B_SESSION, ALLOW, "§4.4", identity=ID_ALLOW)
bucket_allow("cross-account-not-named", {"AWS": A}, B_SESSION, IDENY, "§4.4 the resource policy must allow the other account", identity=ID_ALLOW)
bucket_allow("edge38-cross-account-scp-level-missing", {"AWS": B_ROLE}, B_SESSION, IDENY, "§6.38", identity=ID_ALLOW, scps=[[policy(stmt())], [policy(stmt("Allow", "ec2:*"))]])
bucket_allow("cross-account-boundary-silent", {"AWS": B_SESSION}, B_SESSION, IDENY, "§4.4 a resource grant bypasses no boundary cross-account", identity=ID_ALLOW, boundary=policy(stmt("Allow", "ec2:*")))
bucket_allow("edge36-user-direct-boundary", {"AWS": USER}, USER, ALLOW, "§6.36 direct user grant is not limited by a silent boundary", boundary=policy(stmt("Allow", "ec2:*")))
bucket_allow("root-caller-account-entry-cross", {"AWS": A}, f"arn:aws:iam::{A}:root", ALLOW, "§4.1 root has full identity permissions in its account; §4.4 the other account's bucket names A")
CASES[G][-1]["request"]["resource_account"] = B
case(G, "s3-arn-defaults-to-caller-account", ALLOW, "§0 an S3 ARN has no account: the default is the principal's, so this is same-account", request(principal=B_SESSION), identity_policies=ID_ALLOW)

# NotPrincipal (§2.6)
def not_principal(cid, entries, caller, expected, why, **extra):
    p = policy(stmt("Deny", "s3:*", "arn:aws:s3:::b/*", None, NotPrincipal=entries))
    fields = {"resource_policy": p, "identity_policies": [policy(stmt())]}
    fields.update(extra)
    case("notprincipal", cid, expected, why, request(principal=caller), **fields)
not_principal("bob-and-account-exempts-bob", {"AWS": [BOB, ROOT]}, BOB, ALLOW, "§2.6 every level listed")
not_principal("bob-and-account-denies-alice", {"AWS": [BOB, ROOT]}, USER, XDENY, "§2.6 Alice's account is listed, her ARN is not")
not_principal("bob-alone-denies-bob", {"AWS": BOB}, BOB, XDENY, "§2.6 the account level is missing")
not_principal("session-full-chain", {"AWS": [ROOT, ROLE, SESSION]}, SESSION, ALLOW, "§2.6 account, role and session listed")
not_principal("session-other-denied", {"AWS": [ROOT, ROLE, SESSION]}, OTHER_SESSION, XDENY, "§2.6 other sessions of the role are denied")
not_principal("session-without-role", {"AWS": [ROOT, SESSION]}, SESSION, XDENY, "§2.6 the role level is missing")
not_principal("anonymous-never-escapes", {"AWS": [ROOT, BOB]}, "anonymous", XDENY, "§2.6 anonymous callers never escape")
not_principal("edge41-boundary-always-denied", {"AWS": [BOB, ROOT]}, BOB, XDENY, "§6.41 NotPrincipal+Deny always denies principals with a boundary", boundary=policy(stmt()))
not_principal("service-listed", {"Service": "codepipeline.amazonaws.com"}, "codepipeline.amazonaws.com", IDENY, "§2.6 a listed service escapes the Deny; nothing grants it")
not_principal("service-not-listed", {"Service": "codebuild.amazonaws.com"}, "codepipeline.amazonaws.com", XDENY, "§2.6")
not_principal("root-account-listed", {"AWS": A}, ROOT, ALLOW, "§2.6 the root user's chain is its account")
not_principal("other-account", {"AWS": [BOB, ROOT]}, B_SESSION, XDENY, "§2.6")
not_principal("session-account-and-role-only", {"AWS": [ROOT, ROLE]}, SESSION, XDENY, "§2.6 the session level is missing")
not_principal("bare-role-account-and-role", {"AWS": [ROOT, ROLE]}, ROLE, XDENY, "§0 a bare role caller is an unnamed session: no session entry lists it, as for SESSION above")
not_principal("bare-role-full-chain-of-other-session", {"AWS": [ROOT, ROLE, SESSION]}, ROLE, XDENY, "§0 the listed session is another session")
# §4.5 (issue 11, item 5): a NotPrincipal Deny denies every principal with a boundary, whatever
# NotPrincipal lists, "*" included. Boundaries belong to IAM callers (§0), so anonymous callers
# and service principals are unaffected by one in the set.
BOUNDARY_ALL = policy(stmt())
not_principal("star-exempts-without-boundary", "*", USER, ALLOW, "§2.6 NotPrincipal * exempts everyone when no boundary applies")
not_principal("star-denies-boundary-user", "*", USER, XDENY, "§4.5 NotPrincipal * still denies a principal with a boundary", boundary=BOUNDARY_ALL)
not_principal("aws-star-denies-boundary-user", {"AWS": "*"}, USER, XDENY, "§4.5, §1.4 {\"AWS\":\"*\"} ≡ *", boundary=BOUNDARY_ALL)
not_principal("star-denies-boundary-session", "*", SESSION, XDENY, "§4.5", boundary=BOUNDARY_ALL)
not_principal("star-denies-boundary-bare-role", "*", ROLE, XDENY, "§4.5, §0 the bare role ARN agrees with its session", boundary=BOUNDARY_ALL)
not_principal("star-denies-boundary-root", "*", ROOT, XDENY, "§4.5 a boundary in the set belongs to the caller (§0), root included", boundary=BOUNDARY_ALL)
not_principal("full-chain-denies-boundary-session", {"AWS": [ROOT, ROLE, SESSION]}, SESSION, XDENY, "§4.5 every level listed, but the session has a boundary", boundary=BOUNDARY_ALL)
not_principal("star-boundary-not-for-anonymous", "*", "anonymous", ALLOW, "§0 anonymous callers have no boundary, so * exempts them; the bucket's * grant allows", boundary=BOUNDARY_ALL)
CASES["notprincipal"][-1]["resource_policy"]["Statement"].append(stmt("Allow", "s3:GetObject", "arn:aws:s3:::b/*", "*"))
not_principal("service-listed-boundary-in-set", {"Service": "codepipeline.amazonaws.com"}, "codepipeline.amazonaws.com", IDENY, "§0 a service principal has no boundary: still exempt, nothing grants", boundary=BOUNDARY_ALL)

# ---------------------------------------------------------------- §4 decisions
G = "decisions"
DENY_S3 = policy(stmt("Deny", "s3:*", "*", sid="DenyS3"))
ALLOW_ALL = policy(stmt(sid="AllowAll"))
case(G, "no-policies-user", IDENY, "§4.1 everything is implicitly denied", request())
case(G, "no-policies-root", ALLOW, "§4.1 the root user has full access in its account", request(principal=ROOT))
case(G, "root-explicit-deny", XDENY, "§4.1 explicit deny binds root", request(principal=ROOT), resource_policy=policy(stmt("Deny", "s3:*", "*", "*")))
case(G, "identity-allow", ALLOW, "§4.2 identity allow, same account", request(), identity_policies=[ALLOW_ALL])
case(G, "identity-allow-resource-silent", ALLOW, "§4.3", request(), identity_policies=[ALLOW_ALL], resource_policy=policy(stmt("Allow", "s3:*", "*", {"AWS": BOB})))
case(G, "edge33-identity-allow-bucket-deny", XDENY, "§6.33", request(), identity_policies=[ALLOW_ALL], resource_policy=policy(stmt("Deny", "s3:*", "*", "*")))
case(G, "edge33-deny-first-in-policy", XDENY, "§6.33 order never matters", request(), identity_policies=[policy(stmt("Deny", "s3:*"), stmt())])
case(G, "edge33-deny-last-in-policy", XDENY, "§6.33 order never matters", request(), identity_policies=[policy(stmt(), stmt("Deny", "s3:*"))])
case(G, "edge33-deny-in-second-policy", XDENY, "§6.33", request(), identity_policies=[ALLOW_ALL, DENY_S3])
case(G, "edge33-deny-in-first-policy", XDENY, "§6.33", request(), identity_policies=[DENY_S3, ALLOW_ALL])
case(G, "deny-other-action", ALLOW, "§4.1 a Deny that does not match changes nothing", request("s3:GetObject"), identity_policies=[ALLOW_ALL, policy(stmt("Deny", "s3:Put*"))])
case(G, "cross-account-identity-only", IDENY, "§4.4 cross-account needs the resource policy", request(resource="arn:aws:kms:us-east-1:" + B + ":key/k", action="kms:Decrypt"), identity_policies=[ALLOW_ALL])
case(G, "cross-account-resource-only", IDENY, "§4.4", request(principal=B_SESSION, resource_account=A), resource_policy=policy(stmt("Allow", "s3:*", "*", {"AWS": B_ROLE})))
case(G, "resource-account-explicit", IDENY, "§0 resource_account overrides; cross-account then needs a resource grant", request(resource_account=B), identity_policies=[ALLOW_ALL])
case(G, "resource-account-same-explicit", ALLOW, "§0", request(resource_account=A), identity_policies=[ALLOW_ALL])
case(G, "scp-flat-allow", ALLOW, "§4.2 one SCP level allowing", request(), identity_policies=[ALLOW_ALL], scps=[ALLOW_ALL])
case(G, "scp-flat-deny", XDENY, "§4.2 SCP deny", request(), identity_policies=[ALLOW_ALL], scps=[ALLOW_ALL, DENY_S3])
case(G, "scp-flat-no-allow", IDENY, "§4.2 SCP must allow", request(), identity_policies=[ALLOW_ALL], scps=[policy(stmt("Allow", "ec2:*"))])
case(G, "scp-nested-all-allow", ALLOW, "§4.2 every level allows", request(), identity_policies=[ALLOW_ALL], scps=[[ALLOW_ALL], [policy(stmt("Allow", "s3:*"))]])
case(G, "scp-nested-level-silent", IDENY, "§4.2 every level must allow", request(), identity_policies=[ALLOW_ALL], scps=[[ALLOW_ALL], [policy(stmt("Allow", "ec2:*"))]])
case(G, "scp-nested-two-policies-one-allows", ALLOW, "§4.2 a level allows if any of its policies does", request(), identity_policies=[ALLOW_ALL], scps=[[ALLOW_ALL], [policy(stmt("Allow", "ec2:*")), policy(stmt("Allow", "s3:Get*"))]])
case(G, "scp-does-not-grant", IDENY, "§1.10 SCPs grant nothing", request(), scps=[ALLOW_ALL])
case(G, "scp-binds-root", IDENY, "§4.2 SCPs restrict member-account root users", request(principal=ROOT), scps=[policy(stmt("Allow", "ec2:*"))])
case(G, "scp-not-for-anonymous", ALLOW, "§0 anonymous callers get no SCP", request(principal="anonymous"), resource_policy=policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::b/*", "*")), scps=[DENY_S3])
case(G, "scp-not-for-service", ALLOW, "§4.5 SCPs don't apply to service principals", request(principal="codepipeline.amazonaws.com"), resource_policy=policy(stmt("Allow", "s3:*", "*", {"Service": "codepipeline.amazonaws.com"})), scps=[DENY_S3])
case(G, "rcp-deny", XDENY, "§4.2 RCP deny", request(), identity_policies=[ALLOW_ALL], rcps=[policy(stmt("Deny", "s3:*", "*", "*"))])
case(G, "rcp-silent-full-access-implied", ALLOW, "§4.2 RCPFullAWSAccess is implied", request(), identity_policies=[ALLOW_ALL], rcps=[policy(stmt("Deny", "kms:*", "*", "*"))])
case(G, "rcp-nested-levels", XDENY, "§4.2", request(), identity_policies=[ALLOW_ALL], rcps=[[policy(stmt("Deny", "kms:*", "*", "*"))], [policy(stmt("Deny", "s3:Get*", "*", "*"))]])
RCP_ORG = policy(stmt("Deny", "s3:*", "*", "*", {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-1"}}))
case(G, "edge42-rcp-other-org", XDENY, "§6.42", request(context={"aws:PrincipalOrgID": "o-2"}), identity_policies=[ALLOW_ALL], rcps=[RCP_ORG])
case(G, "edge42-rcp-same-org", ALLOW, "§6.42", request(context={"aws:PrincipalOrgID": "o-1"}), identity_policies=[ALLOW_ALL], rcps=[RCP_ORG])
case(G, "edge42-rcp-anonymous", XDENY, "§6.42 the key is absent for anonymous callers", request(principal="anonymous"), resource_policy=policy(stmt("Allow", "s3:*", "*", "*")), rcps=[RCP_ORG])
case(G, "boundary-allows", ALLOW, "§4.2 boundary must allow", request(), identity_policies=[ALLOW_ALL], boundary=policy(stmt("Allow", "s3:*")))
case(G, "boundary-silent", IDENY, "§4.2", request(), identity_policies=[ALLOW_ALL], boundary=policy(stmt("Allow", "ec2:*")))
case(G, "boundary-deny", XDENY, "§4.2 deny sweep covers the boundary", request(), identity_policies=[ALLOW_ALL], boundary=policy(stmt(), stmt("Deny", "s3:GetObject")))
case(G, "boundary-does-not-grant", IDENY, "§1.10 a boundary is a ceiling", request(), boundary=ALLOW_ALL)
case(G, "boundary-list-union", ALLOW, "README: a boundary list allows what any document allows", request(), identity_policies=[ALLOW_ALL], boundary=[policy(stmt("Allow", "ec2:*")), policy(stmt("Allow", "s3:Get*"))])
case(G, "session-allows", ALLOW, "§4.2", request(principal=SESSION), identity_policies=[ALLOW_ALL], session_policy=policy(stmt("Allow", "s3:*")))
case(G, "session-silent", IDENY, "§4.2 session policy must allow", request(principal=SESSION), identity_policies=[ALLOW_ALL], session_policy=policy(stmt("Allow", "ec2:*")))
case(G, "session-deny", XDENY, "§4.2", request(principal=SESSION), identity_policies=[ALLOW_ALL], session_policy=policy(stmt(), stmt("Deny", "s3:*")))
case(G, "session-does-not-grant", IDENY, "§1.10", request(principal=SESSION), session_policy=ALLOW_ALL)
FED = f"arn:aws:sts::{A}:federated-user/fed"
case(G, "federated-without-session-policy", IDENY, "§4.2 a GetFederationToken session without a session policy gets nothing from identity policies", request(principal=FED), identity_policies=[ALLOW_ALL])
case(G, "federated-with-session-policy", ALLOW, "§4.2", request(principal=FED), identity_policies=[ALLOW_ALL], session_policy=ALLOW_ALL)
case(G, "anonymous-identity-ignored", IDENY, "§4.5 anonymous gets no identity policy", request(principal="anonymous"), identity_policies=[ALLOW_ALL])
case(G, "anonymous-bucket-star", ALLOW, "§4.5", request(principal="anonymous"), resource_policy=policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::b/*", "*")))
case(G, "anonymous-condition-principalarn", IDENY, "§2.6 aws:PrincipalArn is absent for anonymous", request(principal="anonymous"), resource_policy=policy(stmt("Allow", "s3:*", "*", "*", {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{A}:*"}})))
case(G, "star-principalarn-not-limited-by-boundary", ALLOW, "§4.3 * with aws:PrincipalArn is direct", request(principal=SESSION, context={"aws:PrincipalArn": ROLE}), resource_policy=policy(stmt("Allow", "s3:*", "*", "*", {"ArnEquals": {"aws:PrincipalArn": ROLE}})), boundary=policy(stmt("Allow", "ec2:*")))
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd"
case(G, "edge44-kms-key-policy-silent", IDENY, "§6.44 a KMS key needs its key policy", request("kms:Decrypt", KEY), identity_policies=[ALLOW_ALL])
case(G, "kms-key-policy-silent-about-account", IDENY, "§6.44", request("kms:Decrypt", KEY), identity_policies=[ALLOW_ALL], resource_policy=policy(stmt("Allow", "kms:*", "*", {"AWS": BOB})))
case(G, "kms-key-policy-delegates", ALLOW, "§4.3 key policy delegates to the account; identity allows", request("kms:Decrypt", KEY), identity_policies=[ALLOW_ALL], resource_policy=policy(stmt("Allow", "kms:*", "*", {"AWS": ROOT})))
case(G, "kms-key-policy-delegates-no-identity", IDENY, "§4.3", request("kms:Decrypt", KEY), resource_policy=policy(stmt("Allow", "kms:*", "*", {"AWS": ROOT})))
case(G, "kms-key-policy-names-user", ALLOW, "§4.3 direct", request("kms:Decrypt", KEY), resource_policy=policy(stmt("Allow", "kms:Decrypt", "*", {"AWS": USER})))
case(G, "kms-root-needs-key-policy", IDENY, "§4.1 not even root, unless the key policy allows", request("kms:Decrypt", KEY, ROOT))
case(G, "kms-root-key-policy-delegates", ALLOW, "§4.3", request("kms:Decrypt", KEY, ROOT), resource_policy=policy(stmt("Allow", "kms:*", "*", {"AWS": ROOT})))
case(G, "kms-create-key-no-key-policy", ALLOW, "§4.1 actions on * involve no key policy", request("kms:CreateKey", "*"), identity_policies=[ALLOW_ALL])
case(G, "kms-alias-is-not-a-key", ALLOW, "§4.1 an alias ARN is not a key", request("kms:DescribeKey", f"arn:aws:kms:us-east-1:{A}:alias/a"), identity_policies=[ALLOW_ALL])
ROLE_T = f"arn:aws:iam::{A}:role/Target"
case(G, "assume-role-without-trust", IDENY, "§4.3 trust policies must allow", request("sts:AssumeRole", ROLE_T), identity_policies=[ALLOW_ALL])
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole"}]}
case(G, "assume-role-trust-names-user", ALLOW, "§4.3; a trust policy has no Resource element", request("sts:AssumeRole", ROLE_T), resource_policy=trust)
trust_acct = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ROOT}, "Action": "sts:AssumeRole"}]}
case(G, "assume-role-trust-account-identity", ALLOW, "§4.3", request("sts:AssumeRole", ROLE_T), resource_policy=trust_acct, identity_policies=[ALLOW_ALL])
case(G, "assume-role-trust-account-no-identity", IDENY, "§4.3", request("sts:AssumeRole", ROLE_T), resource_policy=trust_acct)
# §0 bare role ARN, key and trust policy variants (issue 11, item 1): the key or trust policy
# naming the role ARN is a parent-strength grant for the bare ARN and a session alike.
KEY_ROLE = policy(stmt("Allow", "kms:Decrypt", "*", {"AWS": ROLE}))
for caller, who in [(ROLE, "bare-role"), (SESSION, "session")]:
    case(G, f"kms-key-policy-names-role-{who}", ALLOW, "§4.3 parent strength, no ceiling: the key policy alone allows", request("kms:Decrypt", KEY, caller), resource_policy=KEY_ROLE)
    case(G, f"kms-key-policy-names-role-{who}-boundary", IDENY, "§0, §4.3 parent strength: a silent boundary stops the key-policy grant", request("kms:Decrypt", KEY, caller), resource_policy=KEY_ROLE, boundary=SILENT_BOUNDARY)
    case(G, f"kms-key-policy-names-role-{who}-session-policy", IDENY, "§0, §4.3 parent strength: a silent session policy stops the key-policy grant", request("kms:Decrypt", KEY, caller), resource_policy=KEY_ROLE, session_policy=SILENT_BOUNDARY)
    trust_role = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole"}]}
    case(G, f"assume-role-trust-names-role-{who}", ALLOW, "§4.3 parent strength, no ceiling: the trust policy alone allows", request("sts:AssumeRole", ROLE_T, caller), resource_policy=trust_role)
    case(G, f"assume-role-trust-names-role-{who}-boundary", IDENY, "§0, §4.3 parent strength: a silent boundary stops the trust-policy grant", request("sts:AssumeRole", ROLE_T, caller), resource_policy=trust_role, boundary=SILENT_BOUNDARY)
    case(G, f"assume-role-trust-names-role-{who}-session-policy", IDENY, "§0, §4.3 parent strength: a silent session policy stops the trust-policy grant", request("sts:AssumeRole", ROLE_T, caller), resource_policy=trust_role, session_policy=SILENT_BOUNDARY)
    case(G, f"assume-role-trust-names-role-{who}-boundary-allows", ALLOW, "§0, §4.3", request("sts:AssumeRole", ROLE_T, caller), resource_policy=trust_role, boundary=policy(stmt("Allow", "sts:AssumeRole")))

LOCKOUT = policy(stmt("Deny", "s3:*", ["arn:aws:s3:::b", "arn:aws:s3:::b/*"], "*"))
case(G, "owner-root-can-put-bucket-policy", ALLOW, "§4.5 the bucket owner's root can always PutBucketPolicy, even against a denying bucket policy", request("s3:PutBucketPolicy", BUCKET, ROOT), resource_policy=LOCKOUT)
case(G, "owner-root-can-delete-bucket-policy", ALLOW, "§4.5 (S3 docs: Get/Put/DeleteBucketPolicy)", request("s3:DeleteBucketPolicy", BUCKET, ROOT), resource_policy=LOCKOUT)
case(G, "owner-root-other-action-denied", XDENY, "§4.5 only the bucket-policy actions escape", request("s3:GetObject", OBJ, ROOT), resource_policy=LOCKOUT)
case(G, "other-account-root-denied", XDENY, "§4.5 only the owner's root", request("s3:PutBucketPolicy", BUCKET, f"arn:aws:iam::{B}:root", resource_account=A), resource_policy=LOCKOUT)
case(G, "owner-root-scp-deny-still-applies", XDENY, "§4.2 the exemption is from the bucket policy only", request("s3:PutBucketPolicy", BUCKET, ROOT), resource_policy=LOCKOUT, scps=[[policy(stmt(), stmt("Deny", "s3:PutBucketPolicy"))]])
case(G, "resource-grant-needs-matching-action", IDENY, "§4.3", request("s3:PutObject"), resource_policy=policy(stmt("Allow", "s3:GetObject", "*", {"AWS": USER})))

# ---------------------------------------------------------------- §4.5 special actions
G = "special"
DENY_ALL = policy(stmt("Deny", sid="DenyAll"))
GCI = "sts:GetCallerIdentity"
def gci(cid, expected, why, principal=USER, action=GCI, **policies):
    case(G, f"get-caller-identity/{cid}", expected, why, request(action, "*", principal), **policies)
WHY_GCI = "§4.5 sts:GetCallerIdentity needs no permission and cannot be denied for an authenticated caller"
gci("user-no-policies", ALLOW, WHY_GCI)
gci("identity-deny", ALLOW, WHY_GCI, identity_policies=[DENY_ALL])
gci("identity-deny-named", ALLOW, WHY_GCI, identity_policies=[policy(stmt("Deny", GCI))])
gci("scp-deny", ALLOW, WHY_GCI + " (SCPs included)", identity_policies=[ALLOW_ALL], scps=[[ALLOW_ALL, DENY_ALL]])
gci("scp-level-silent", ALLOW, WHY_GCI, scps=[[policy(stmt("Allow", "ec2:*"))]])
gci("rcp-deny", ALLOW, WHY_GCI + " (RCPs included)", rcps=[policy(stmt("Deny", "*", "*", "*"))])
gci("resource-policy-deny", ALLOW, WHY_GCI, resource_policy=policy(stmt("Deny", "*", "*", "*")))
gci("boundary-silent", ALLOW, WHY_GCI, boundary=SILENT_BOUNDARY)
gci("boundary-deny", ALLOW, WHY_GCI, boundary=DENY_ALL)
gci("notprincipal-deny-boundary", ALLOW, WHY_GCI + "; not even the §4.5 NotPrincipal rule", resource_policy=policy(stmt("Deny", "*", "*", None, NotPrincipal="*")), boundary=BOUNDARY_ALL)
gci("session-policy-deny", ALLOW, WHY_GCI, principal=SESSION, session_policy=DENY_ALL)
gci("bare-role", ALLOW, WHY_GCI + "; §0", principal=ROLE, identity_policies=[DENY_ALL])
gci("federated-user-no-session-policy", ALLOW, WHY_GCI, principal=FED)
gci("root-scp-deny", ALLOW, WHY_GCI, principal=ROOT, scps=[[DENY_ALL]])
gci("cross-account-session", ALLOW, WHY_GCI, principal=B_SESSION, identity_policies=[DENY_ALL])
gci("service-principal", ALLOW, WHY_GCI + "; a service principal is authenticated (README)", principal="codepipeline.amazonaws.com", resource_policy=policy(stmt("Deny", "*", "*", "*")))
gci("action-case-insensitive", ALLOW, WHY_GCI + "; §2.1 action names ignore case", action="STS:getcalleridentity", identity_policies=[DENY_ALL])
gci("anonymous-no-policies", IDENY, "§4.5 anonymous callers are not authenticated: evaluated as usual, nothing grants", principal="anonymous")
gci("anonymous-identity-ignored", IDENY, "§4.5, §0 anonymous callers get no identity policy", principal="anonymous", identity_policies=[ALLOW_ALL])
gci("anonymous-resource-deny", XDENY, "§4.5 anonymous callers are evaluated as usual: a Deny binds", principal="anonymous", resource_policy=policy(stmt("Allow", "*", "*", "*"), stmt("Deny", "*", "*", "*")))
gci("other-sts-action-denied", XDENY, "§4.5 only GetCallerIdentity is exempt", action="sts:GetSessionToken", identity_policies=[ALLOW_ALL, DENY_ALL])
gci("lookalike-action-denied", XDENY, "§4.5 the exemption is for that action only", action="sts:GetCallerIdentityX", identity_policies=[ALLOW_ALL, DENY_ALL])

# sts:TagSession and sts:SetSourceIdentity on a role need its trust policy (issue 11, item 3).
def trust_of(principal, *actions):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": principal}, "Action": list(actions)}]}
STS_ALL = [policy(stmt("Allow", "sts:*"))]
for act_name in ["sts:TagSession", "sts:SetSourceIdentity"]:
    short = act_name.split(":")[1].lower()
    WHY_T = f"§4.5 {act_name} on a role needs the role's trust policy, like sts:AssumeRole*"
    def tcase(cid, expected, why, principal=USER, resource=ROLE_T, **policies):
        case(G, f"{short}/{cid}", expected, why, request(act_name, resource, principal), **policies)
    tcase("without-trust", IDENY, WHY_T, identity_policies=STS_ALL)
    tcase("trust-only-assume-role", IDENY, WHY_T + "; the trust policy must allow this action", identity_policies=STS_ALL, resource_policy=trust_of(USER, "sts:AssumeRole"))
    tcase("trust-names-user", ALLOW, WHY_T + "; §4.3 direct", resource_policy=trust_of(USER, "sts:AssumeRole", act_name))
    tcase("trust-account-with-identity", ALLOW, WHY_T + "; §4.3 the trust policy delegates to the account", identity_policies=STS_ALL, resource_policy=trust_of(ROOT, act_name))
    tcase("trust-account-no-identity", IDENY, WHY_T + "; §4.3 account strength needs identity", resource_policy=trust_of(ROOT, act_name))
    tcase("root-without-trust", IDENY, WHY_T + "; §4.3 not even root", principal=ROOT)
    tcase("trust-names-role-session-boundary", IDENY, WHY_T + "; §0, §4.3 parent strength and a silent boundary", principal=SESSION, resource_policy=trust_of(ROLE, act_name), boundary=SILENT_BOUNDARY)
    tcase("trust-names-role-bare-role-boundary", IDENY, WHY_T + "; §0, §4.3 parent strength and a silent boundary", principal=ROLE, resource_policy=trust_of(ROLE, act_name), boundary=SILENT_BOUNDARY)
    tcase("trust-names-role-bare-role", ALLOW, WHY_T + "; §0, §4.3", principal=ROLE, resource_policy=trust_of(ROLE, act_name))
    tcase("cross-account-trust", ALLOW, WHY_T + "; §4.4", principal=B_SESSION, identity_policies=STS_ALL, resource_policy=trust_of(B_ROLE, act_name))
    tcase("cross-account-without-trust", IDENY, WHY_T + "; §4.4", principal=B_SESSION, identity_policies=STS_ALL)
    tcase("on-user-needs-no-trust", ALLOW, "§4.5 the trust-policy rule is for roles; on a user the identity policy decides", resource=BOB, identity_policies=STS_ALL)
    tcase("action-case-insensitive", IDENY, WHY_T + "; §2.1", identity_policies=STS_ALL)
    CASES[G][-1]["request"]["action"] = act_name.upper()
case(G, "assume-role-with-web-identity/without-trust", IDENY, "§4.3 sts:AssumeRole* needs the trust policy", request("sts:AssumeRoleWithWebIdentity", ROLE_T), identity_policies=STS_ALL)

# RCPs apply only to the supported services (issue 11, item 4; spec §4.2, dated list).
RCP_DENY_ALL = policy(stmt("Deny", "*", "*", "*", sid="RcpDenyAll"))
RCP_SERVICES = [("s3", "s3:GetObject", OBJ), ("sts", "sts:GetSessionToken", "*"), ("kms", "kms:CreateKey", "*"),
                ("sqs", "sqs:SendMessage", f"arn:aws:sqs:us-east-1:{A}:q"), ("secretsmanager", "secretsmanager:GetSecretValue", f"arn:aws:secretsmanager:us-east-1:{A}:secret:s-abc123"),
                ("ecr", "ecr:BatchGetImage", f"arn:aws:ecr:us-east-1:{A}:repository/r"), ("aoss", "aoss:APIAccessAll", f"arn:aws:aoss:us-east-1:{A}:collection/c"),
                ("cognito-idp", "cognito-idp:AdminGetUser", f"arn:aws:cognito-idp:us-east-1:{A}:userpool/us-east-1_abc"),
                ("logs", "logs:PutLogEvents", f"arn:aws:logs:us-east-1:{A}:log-group:g:log-stream:s"), ("dynamodb", "dynamodb:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/T")]
for svc, act_name, res in RCP_SERVICES:
    case(G, f"rcp/applies-{svc}", XDENY, f"§4.2 RCPs apply to {svc}", request(act_name, res), identity_policies=[ALLOW_ALL], rcps=[RCP_DENY_ALL])
for svc, act_name, res in [("ec2", "ec2:StartInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1"), ("iam", "iam:CreateUser", f"arn:aws:iam::{A}:user/u"),
                           ("lambda", "lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{A}:function:f"), ("sns", "sns:Publish", f"arn:aws:sns:us-east-1:{A}:t"),
                           ("s3-object-lambda", "s3-object-lambda:GetObject", f"arn:aws:s3-object-lambda:us-east-1:{A}:accesspoint/ap")]:
    case(G, f"rcp/skipped-{svc}", ALLOW, f"§4.2 RCPs do not apply to {svc}: an RCP Deny of * is ignored", request(act_name, res), identity_policies=[ALLOW_ALL], rcps=[RCP_DENY_ALL])
    CASES[G][-1]["note_contains"] = "RCPs skipped"
case(G, "rcp/skipped-nested-levels", ALLOW, "§4.2 no RCP level is read for ec2", request("ec2:StartInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1"), identity_policies=[ALLOW_ALL], rcps=[[RCP_DENY_ALL], [RCP_DENY_ALL]])
case(G, "rcp/skipped-anonymous", ALLOW, "§4.2 RCPs skipped for an unsupported service, whoever calls", request("sns:Publish", f"arn:aws:sns:us-east-1:{A}:t", "anonymous"), resource_policy=policy(stmt("Allow", "sns:Publish", "*", "*")), rcps=[RCP_DENY_ALL])
case(G, "rcp/skipped-other-denies-still-bite", XDENY, "§4.2 only the RCPs are skipped: an SCP Deny still applies", request("ec2:StartInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1"), identity_policies=[ALLOW_ALL], rcps=[RCP_DENY_ALL], scps=[[ALLOW_ALL, DENY_ALL]])
case(G, "rcp/service-case-insensitive", XDENY, "§4.2, §2.1 the service prefix ignores case", request("DynamoDB:GetItem", f"arn:aws:dynamodb:us-east-1:{A}:table/T"), identity_policies=[ALLOW_ALL], rcps=[RCP_DENY_ALL])
case(G, "rcp/applies-cross-account", XDENY, "§4.2, §4.4 RCPs govern the resource's account", request("s3:GetObject", OBJ, B_SESSION, resource_account=A), identity_policies=[ALLOW_ALL], resource_policy=policy(stmt("Allow", "s3:*", "*", {"AWS": B_ROLE})), rcps=[RCP_DENY_ALL])

# ---------------------------------------------------------------- §5.8 the seed policy
G = "seed"
SEED = json.load(open(os.path.join(HERE, "..", "..", "examples", "seed-bucket-policy.json")))
SB = "arn:aws:s3:::codepipeline-us-west-2-89050EXAMPLE"
def seed(cid, action, resource, ctx, expected, why):
    case(G, cid, expected, why, request(action, resource, SESSION, ctx), resource_policy=SEED, identity_policies=[ALLOW_ALL])
seed("kms-tls", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "aws:kms"}, ALLOW, "§5.8")
seed("no-header", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true"}, XDENY, "§5.8, §6.1")
seed("aes256", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "AES256"}, XDENY, "§5.8")
seed("dsse", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "aws:kms:dsse"}, XDENY, "§6.2 exact string")
seed("upper-case-kms", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true", "s3:x-amz-server-side-encryption": "AWS:KMS"}, XDENY, "§3.3 StringNotEquals is case-sensitive")
seed("get-http", "s3:GetObject", SB + "/a.zip", {"aws:SecureTransport": "false"}, XDENY, "§5.8")
seed("get-json-false", "s3:GetObject", SB + "/a.zip", {"aws:SecureTransport": False}, XDENY, "§6.7")
seed("get-tls", "s3:GetObject", SB + "/a.zip", {"aws:SecureTransport": "true"}, ALLOW, "§5.8")
seed("list-bucket-http", "s3:ListBucket", SB, {"aws:SecureTransport": "false"}, ALLOW, "§5.8, §6.6 the TLS statement names only bucket/*")
seed("lookalike-bucket", "s3:PutObject", SB + "x/a.zip", {"aws:SecureTransport": "false"}, ALLOW, "§2.3 another bucket is not covered")
seed("put-kms-http", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "false", "s3:x-amz-server-side-encryption": "aws:kms"}, XDENY, "§5.8")
seed("multipart-upload-part-no-header", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true"}, XDENY, "§5.4 context as sent: UploadPart carries no SSE header")
seed("edge47-default-encryption", "s3:PutObject", SB + "/a.zip", {"aws:SecureTransport": "true"}, XDENY, "§6.47 default encryption does not add the header")
seed("secure-transport-absent", "s3:GetObject", SB + "/a.zip", {}, ALLOW, "§0 context taken literally: an absent key makes Bool false")

# ---------------------------------------------------------------- §1.8 load errors
G = "load-errors"
def bad(cid, statement_or_doc, why, contains, slot="identity_policies", raw=False):
    doc = statement_or_doc if raw else policy(statement_or_doc)
    load_error(G, cid, why, doc, slot=slot, contains=contains)
bad("edge43-action-and-notaction", stmt(NotAction="s3:Put*"), "§6.43", "both Action and NotAction")
bad("edge43-effect-lowercase", stmt(effect="allow"), "§6.43", "invalid Effect")
bad("missing-effect", {"Action": "*", "Resource": "*"}, "§1.8", "missing Effect")
bad("missing-action", {"Effect": "Allow", "Resource": "*"}, "§1.8", "missing Action")
bad("resource-and-notresource", stmt(NotResource="*"), "§1.8", "both Resource and NotResource")
bad("principal-in-identity", stmt(principal="*"), "§1.10 principal forbidden in identity policies", "not allowed in an identity policy")
bad("missing-principal-in-resource", policy(stmt()), "§1.10 required in resource policies", "needs a Principal", slot="resource_policy", raw=True)
bad("notprincipal-with-allow", policy(stmt("Allow", "*", "*", None, NotPrincipal={"AWS": BOB})), "§1.4", "NotPrincipal is only supported", slot="resource_policy", raw=True)
bad("principal-and-notprincipal", policy(stmt("Deny", "*", "*", "*", NotPrincipal={"AWS": BOB})), "§1.8", "both Principal and NotPrincipal", slot="resource_policy", raw=True)
bad("edge39-partial-principal-wildcard", policy(stmt("Allow", "*", "*", {"AWS": f"arn:aws:iam::{A}:role/*"})), "§6.39", "partial wildcard", slot="resource_policy", raw=True)
bad("principal-account-wildcard", policy(stmt("Allow", "*", "*", {"AWS": "arn:aws:iam::*:root"})), "§1.4", "partial wildcard", slot="resource_policy", raw=True)
bad("unknown-principal-type", policy(stmt("Allow", "*", "*", {"Aws": "*"})), "§1.4", "unknown principal type", slot="resource_policy", raw=True)
bad("unknown-element", stmt(Conditions={}), "§1.8 unknown element", "unknown statement element `Conditions`")
bad("element-name-case", {"effect": "Allow", "Action": "*", "Resource": "*"}, "§1.1 element names are exact", "did you mean Effect?")
bad("unknown-top-level", {"Version": "2012-10-17", "Statement": [stmt()], "Statements": []}, "§1.1", "unknown policy element", raw=True)
bad("unknown-operator", stmt(condition={"StringEqual": {"a:b": "c"}}), "§1.8 unknown operator", "unknown operator StringEqual (did you mean StringEquals?)")
bad("operator-case", stmt(condition={"stringequals": {"a:b": "c"}}), "§2.5 veto: operator names are case-sensitive", "unknown operator")
bad("null-ifexists", stmt(condition={"NullIfExists": {"a:b": "true"}}), "§1.6", "NullIfExists")
bad("bool-several-values", stmt(condition={"Bool": {"aws:SecureTransport": ["true", "false"]}}), "§1.8", "exactly one value")
bad("variable-in-action", stmt(action="s3:${aws:username}"), "§1.8 variables outside Resource/conditions", "policy variables are only allowed")
bad("variable-in-numeric", stmt(condition={"NumericEquals": {"s3:max-keys": "${aws:username}"}}), "§1.8 Invalid variable for operator", "does not accept policy variables")
bad("empty-variable", stmt(resource="arn:aws:s3:::b/${}"), "§1.8", "empty policy variable")
bad("variable-with-space", stmt(resource="arn:aws:s3:::b/${aws:user name}"), "§1.8", "contains a space")
bad("variable-unclosed", stmt(resource="arn:aws:s3:::b/${aws:username"), "§1.8", "not closed")
bad("empty-statement-array", {"Version": "2012-10-17", "Statement": []}, "§1.1", "empty array", raw=True)
bad("missing-statement", {"Version": "2012-10-17"}, "§1.1", "missing Statement", raw=True)
bad("invalid-version", {"Version": "2013-01-01", "Statement": [stmt()]}, "§1.2", "invalid Version", raw=True)
bad("condition-value-null", stmt(condition={"StringEquals": {"a:b": None}}), "§1.7", "found null")
bad("condition-nested-array", stmt(condition={"StringEquals": {"a:b": [["x"]]}}), "§1.7", "found an array")
bad("condition-mixed-types", stmt(condition={"StringEquals": {"a:b": ["x", 1]}}), "§1.7 mixed types", "same JSON type")
bad("condition-empty-list", stmt(condition={"StringEquals": {"a:b": []}}), "§1.6 veto: error", "empty array")
bad("condition-empty-operator", stmt(condition={"StringEquals": {}}), "§1.6 veto: error", "at least one condition key")
bad("condition-keys-differ-in-case", stmt(condition={"StringEquals": {"aws:TagKeys": "a", "AWS:TAGKEYS": "b"}}), "§1.6", "names ignore case")
bad("resource-not-arn", stmt(resource="bucket/key"), "§1.5", "is not an ARN")
bad("resource-missing-field", stmt(resource="arn:aws:s3:b"), "§1.5 missing ARN field", "is not an ARN")
bad("resource-service-wildcard", stmt(resource="arn:aws:s*:::b"), "§1.5", "service field")
bad("action-without-colon", stmt(action="s3GetObject"), "§1.5", "is not an action")
bad("action-two-colons", stmt(action="s3:Get:Object"), "§1.5", "is not an action")
bad("action-service-wildcard", stmt(action="s3*:Get*"), "§1.5 veto: error", "service prefix")
bad("action-star-colon-star", stmt(action="*:*"), "§1.5 veto: error", "service prefix")
bad("duplicate-sid-identity", {"Version": "2012-10-17", "Statement": [stmt(sid="A"), stmt(sid="A")]}, "§1.8", "duplicate Sid", raw=True)
bad("rcp-notaction", policy({"Effect": "Deny", "Principal": "*", "NotAction": "s3:*", "Resource": "*"}), "§1.10", "NotAction", slot="rcps", raw=True)
CASES[G][-1]["rcps"] = [CASES[G][-1]["rcps"]]
bad("binary-not-base64", stmt(condition={"BinaryEquals": {"a:b": "***"}}), "§3.7 veto: invalid base64 is a load error", "not base64")
bad("statement-not-object", {"Version": "2012-10-17", "Statement": ["Allow"]}, "§1.7", "expected a statement object", raw=True)
bad("action-empty-array", stmt(action=[]), "§1.3 non-empty array", "empty array")
bad("action-number", stmt(action=5), "§1.7 strings only", "expected a string")
bad("sid-number", stmt(sid=None, Sid=5), "§1.7 strings only", "expected a string")
bad("policy-is-array", [stmt()], "§1.1", "expected a policy document", raw=True)
bad("condition-not-object", stmt(condition=["x"]), "§1.6", "expected an object")

def bad_request(cid, req, contains):
    case(G, cid, ERROR, "§0 request format", req, identity_policies=[ALLOW_ALL])
    CASES[G][-1]["error_contains"] = contains
bad_request("request-missing-action", {"principal": USER, "resource": OBJ}, "missing `action`")
bad_request("request-bad-principal", request(principal="bob"), "unrecognised principal")
bad_request("request-bad-action", request(action="GetObject"), "is not `service:Name`")
bad_request("request-context-object", request(context={"a:b": {"x": 1}}), "expected a string, number, boolean")
bad_request("request-context-duplicate", request(context={"a:b": "1", "A:B": "2"}), "given twice")


def main():
    total = 0
    for group, lines in CASES.items():
        with open(os.path.join(HERE, f"{group}.jsonl"), "w") as f:
            for line in lines:
                f.write(json.dumps(line, ensure_ascii=False) + "\n")
        total += len(lines)
    print(f"wrote {total} cases in {len(CASES)} files")


if __name__ == "__main__":
    main()
