#!/usr/bin/env bash
# Runs the real pre-commit framework (from PyPI) with this repository's hook
# against a scratch repository: it must block a bad bucket policy and pass a good one;
# then against an ordinary repository (package.json, .pre-commit-config.yaml, a
# GitHub workflow, a good bucket policy), where `--all-files` must pass, and fail
# once a bad bucket policy is added.
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
# Undecided is its own outcome: shown, not failing unless --fail-on undecided.
if ! pre-commit try-repo "$repo" veto-lint --files infra/main.tf --verbose > "$work/tf-undecided.log" 2>&1; then
  cat "$work/tf-undecided.log"
  echo "FAIL: pre-commit failed a module whose only findings are undecided"
  exit 1
fi
grep -q "undecided\[CP-S3-TLS\]" "$work/tf-undecided.log" && grep -q "depends on var.enforce_tls" "$work/tf-undecided.log" \
  || { cat "$work/tf-undecided.log"; echo "FAIL: no undecided CP-S3-TLS naming var.enforce_tls"; exit 1; }
echo "ok: pre-commit showed infra/main.tf as undecided (CP-S3-TLS depends on var.enforce_tls) without failing"
if ! pre-commit try-repo "$repo" veto-lint --files infra/artifacts/main.tf > "$work/tf-good.log" 2>&1; then
  cat "$work/tf-good.log"
  echo "FAIL: pre-commit blocked a module with only a warning"
  exit 1
fi
echo "ok: pre-commit passed infra/artifacts/main.tf (a warning only)"

# An ordinary repository: most JSON and YAML files are neither policies nor templates.
ordinary="$work/ordinary"
mkdir -p "$ordinary/.github/workflows" "$ordinary/infra"
cd "$ordinary"
git init --quiet
git config user.email veto@example.invalid
git config user.name veto
cat > package.json <<'JSON'
{
  "name": "web-app",
  "version": "1.0.0",
  "scripts": {"test": "node test.js"},
  "devDependencies": {"eslint": "^9.0.0"}
}
JSON
cat > tsconfig.json <<'JSON'
{
  // JSON with comments, as TypeScript reads it: not JSON, and not ours.
  "compilerOptions": {"strict": true}
}
JSON
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $repo
    rev: HEAD
    hooks:
      - id: veto-lint
YAML
cat > .github/workflows/ci.yml <<'YAML'
name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
YAML
cp "$repo/rules/fixtures/good-bucket-policy.json" infra/artifact-bucket-policy.json
git add -A

if ! pre-commit try-repo "$repo" veto-lint --all-files --verbose > "$work/ordinary-good.log" 2>&1; then
  cat "$work/ordinary-good.log"
  echo "FAIL: pre-commit --all-files failed in an ordinary repository"
  exit 1
fi
grep -q "skipped" "$work/ordinary-good.log" || { cat "$work/ordinary-good.log"; echo "FAIL: no skipped count"; exit 1; }
echo "ok: pre-commit --all-files passed an ordinary repository (package.json, tsconfig.json, workflow, config skipped)"

cp "$repo/rules/fixtures/sse-missing.json" infra/old-bucket-policy.json
git add -A
if pre-commit try-repo "$repo" veto-lint --all-files > "$work/ordinary-bad.log" 2>&1; then
  cat "$work/ordinary-bad.log"
  echo "FAIL: pre-commit --all-files passed a bad bucket policy in an ordinary repository"
  exit 1
fi
grep -q "CP-S3-SSE-KMS" "$work/ordinary-bad.log" || { cat "$work/ordinary-bad.log"; echo "FAIL: no CP-S3-SSE-KMS finding"; exit 1; }
echo "ok: pre-commit --all-files blocked infra/old-bucket-policy.json (CP-S3-SSE-KMS)"
