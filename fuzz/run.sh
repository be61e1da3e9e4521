#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (WPS_FUZZ_SECONDS, default 30 s each) on the nightly
# toolchain, built as `cargo fuzz build -s none` builds them (SanitizerCoverage for libFuzzer,
# debug assertions, no AddressSanitizer), so that cargo-fuzz need not be installed. Fails on
# the first crash; the input that caused it is in fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${WPS_FUZZ_SECONDS:-30}"
targets=(expr file template bicep bicep_set lsp_framer fix)
triple=$(rustc +nightly -vV | sed -n 's/^host: //p')
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
# With --target, these flags reach the targets' code but not build scripts.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-pc-table"
RUSTFLAGS+=" -Cllvm-args=-sanitizer-coverage-trace-compares"
RUSTFLAGS+=" --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
export RUSTFLAGS
cargo +nightly build --release --target "$triple" "${targets[@]/#/--bin=}"
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  seeds=()
  # Whole files start from the fixtures (read only: new inputs go to the first folder).
  if [[ "$target" == file ]]; then seeds=(../tests/fixtures); fi
  echo "fuzz: $target for ${seconds}s" >&2
  "$CARGO_TARGET_DIR/$triple/release/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=3072 -max_len=4096 -artifact_prefix="artifacts/$target/" \
    -print_final_stats=1 "corpus/$target" "${seeds[@]}"
done
