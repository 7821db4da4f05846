#!/usr/bin/env bash
# Benchmark the plan path: a generated `terraform show -json` plan of SIZE_MB (default 100),
# minified as Terraform prints it. Prints the input size, findings, phase times with peak memory
# (SAGELINT_TIMINGS), peak RSS (/usr/bin/time) and hyperfine timings per output format.
# usage: benches/plan_bench.sh [SIZE_MB]      (needs python3, hyperfine, GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-100}"
dir="${TMPDIR:-/tmp}/sagelint-plan-bench"; mkdir -p "$dir"   # its own directory: no .tf source next to it
plan="$dir/plan-$size.json"
[[ -s "$plan" ]] || python3 benches/gen_plan.py "$plan" "$size"
bytes=$(stat -c %s "$plan")
echo "input: $plan, $bytes bytes ($((bytes / 1024)) KiB)"
cargo build --release --quiet
bin=./target/release/sagelint
$bin --format compact "$plan" > /tmp/sagelint-plan-bench-out.txt || true
echo "findings: $(wc -l < /tmp/sagelint-plan-bench-out.txt)"
SAGELINT_TIMINGS=1 $bin --format compact "$plan" 2>&1 >/dev/null | sed 's/^/  /' || true
for f in compact sarif human; do
  /usr/bin/time -f "$f: peak RSS %M KiB, %e s" \
    $bin --format $f "$plan" > /dev/null 2> /tmp/sagelint-plan-bench-time.txt || true
  tail -n 1 /tmp/sagelint-plan-bench-time.txt
done
hyperfine --warmup 1 --runs 5 -i \
  "$bin --format compact $plan" "$bin --format sarif $plan" "$bin --format human $plan"
