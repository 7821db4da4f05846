#!/usr/bin/env bash
# Make plan.json/state.json twins of the rule docs' HCL examples with real Terraform
# (../shared/tools/tfmock/tfplan), for tests/rule_docs.rs. Only examples without twins are planned.
# An example Terraform cannot plan gets fixtures/doc-twins/<key>/unplannable with the reason.
# usage: scripts/doc-twins.sh [TFPLAN]   (default ../shared/tools/tfmock/tfplan)
set -euo pipefail
cd "$(dirname "$0")/.."
tfplan="${1:-../shared/tools/tfmock/tfplan}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
SAGELINT_DUMP_EXAMPLES="$work/examples" cargo test --quiet --test rule_docs dump_hcl_examples -- --ignored >/dev/null
mkdir -p fixtures/doc-twins
for ex in "$work"/examples/*/; do
  key="$(basename "$ex")"
  out="fixtures/doc-twins/$key"
  if [[ -e "$out/unplannable" || ( -e "$out/plan.json" && -e "$out/state.json" ) ]]; then
    continue
  fi
  echo "planning $key" >&2
  mkdir -p "$work/out/$key"
  if "$tfplan" "$ex" "$work/out/$key" >"$work/out/$key.log" 2>&1 \
      && [[ -s "$work/out/$key/plan.json" && -s "$work/out/$key/state.json" ]]; then
    mkdir -p "$out"
    cp "$work/out/$key/plan.json" "$work/out/$key/state.json" "$out/"
  else
    mkdir -p "$out"
    { echo "Terraform cannot plan this example (tfplan output, last lines):"; 
      grep -v '^\s*$' "$work/out/$key.log" | sed 's/\x1b\[[0-9;]*m//g' | tail -n 8; } > "$out/unplannable"
    echo "  unplannable: $(sed -n 2p "$out/unplannable")" >&2
  fi
done
