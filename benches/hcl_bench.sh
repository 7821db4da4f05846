#!/usr/bin/env bash
# Benchmark the HCL path: a generated monorepo of STACKS root modules (default 500, ~10 MB of HCL).
# usage: benches/hcl_bench.sh [STACKS]
set -euo pipefail
cd "$(dirname "$0")/.."
stacks="${1:-500}"
dir="${TMPDIR:-/tmp}/sagelint-hcl-bench-$stacks"
rm -rf "$dir"
python3 benches/gen_tf.py "$dir" "$stacks"
echo "input: $(find "$dir" -name '*.tf' | wc -l) files, $(du -sh --apparent-size "$dir" | cut -f1)"
cargo build --release --quiet
./target/release/sagelint --format compact "$dir" > /tmp/sagelint-bench-out.txt || true
echo "findings: $(wc -l < /tmp/sagelint-bench-out.txt)"
/usr/bin/time -f "peak RSS %M KB, %e s" ./target/release/sagelint --format compact "$dir" > /dev/null || true
hyperfine --warmup 1 --runs 5 -i "./target/release/sagelint --format compact $dir" "./target/release/sagelint --format sarif $dir"
