#!/usr/bin/env bash
# Runs one fuzz target for SECONDS: fuzz/run.sh TARGET SECONDS
# Uses cargo-fuzz without a sanitizer (-s none), which works on stable Rust.
set -euo pipefail
target=${1:?usage: fuzz/run.sh TARGET SECONDS}
seconds=${2:-30}
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p "corpus/$target"
# Seed corpora: the repository's own inputs.
case "$target" in
  rules_lang|fmt_roundtrip) seeds=(../rules ../crates/veto-lang/tests/fixtures ../tests/suites) ;;
  policy_json) seeds=(../examples ../rules/fixtures) ;;
  loaders) seeds=(../rules/fixtures) ;;
  terraform) seeds=(../tests/terraform ../tests/real/terraform) ;;
  *) seeds=() ;;
esac
for s in "${seeds[@]}"; do
  find "$s" -type f \( -name '*.veto' -o -name '*.json' -o -name '*.yaml' -o -name '*.tf' \) -exec cp -n {} "corpus/$target/" \; 2>/dev/null || true
done
exec cargo fuzz run -s none "$target" "corpus/$target" -- -max_total_time="$seconds" -dict=dict/iam.dict -print_final_stats=1
