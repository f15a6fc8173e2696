#!/usr/bin/env bash
# Runs the real pre-commit framework (from PyPI) with this repository's hook
# against a scratch repository: it must block a bad bucket policy and pass a good one.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PATH="$work/venv/bin:$PATH"
export PRE_COMMIT_HOME="$work/cache"

scratch="$work/scratch"
mkdir -p "$scratch"
cd "$scratch"
git init --quiet
git config user.email veto@example.invalid
git config user.name veto
cp "$repo/rules/fixtures/sse-missing.json" bad-policy.json
cp "$repo/rules/fixtures/good-bucket-policy.json" good-policy.json
git add bad-policy.json good-policy.json

if pre-commit try-repo "$repo" veto-lint --files bad-policy.json > "$work/bad.log" 2>&1; then
  cat "$work/bad.log"
  echo "FAIL: pre-commit passed a policy that does not deny unencrypted uploads"
  exit 1
fi
grep -q "CP-S3-SSE-KMS" "$work/bad.log" || { cat "$work/bad.log"; echo "FAIL: no CP-S3-SSE-KMS finding"; exit 1; }
echo "ok: pre-commit blocked bad-policy.json (CP-S3-SSE-KMS)"

if ! pre-commit try-repo "$repo" veto-lint --files good-policy.json > "$work/good.log" 2>&1; then
  cat "$work/good.log"
  echo "FAIL: pre-commit blocked a good policy"
  exit 1
fi
echo "ok: pre-commit passed good-policy.json"

# Terraform: pre-commit passes .tf file names; veto reads each one's directory as a module.
mkdir -p infra/artifacts
cp "$repo/tests/terraform/undecided-condition/main.tf" infra/main.tf
cp "$repo/tests/terraform/seed-policy-document/main.tf" infra/artifacts/main.tf
git add infra
if pre-commit try-repo "$repo" veto-lint --files infra/main.tf > "$work/tf-bad.log" 2>&1; then
  cat "$work/tf-bad.log"
  echo "FAIL: pre-commit passed a module whose TLS statement depends on an unset variable"
  exit 1
fi
grep -q "depends on var.enforce_tls" "$work/tf-bad.log" || { cat "$work/tf-bad.log"; echo "FAIL: no undecided CP-S3-TLS"; exit 1; }
echo "ok: pre-commit blocked infra/main.tf (CP-S3-TLS undecided, depends on var.enforce_tls)"
if ! pre-commit try-repo "$repo" veto-lint --files infra/artifacts/main.tf > "$work/tf-good.log" 2>&1; then
  cat "$work/tf-good.log"
  echo "FAIL: pre-commit blocked a module with only a warning"
  exit 1
fi
echo "ok: pre-commit passed infra/artifacts/main.tf (a warning only)"
