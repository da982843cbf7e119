#!/usr/bin/env bash
# Builds keysweep's libFuzzer targets (Fuzz/) with the address sanitizer and fuzzes each for
# SECONDS (default 60), starting from its seed corpus in Fuzz/corpus/<target>/:
#   fuzz-content     any bytes through the default rules' content scanner
#   fuzz-pack-index  a pack index and its pack, opened and read as a scan does
#   fuzz-ignore-file, fuzz-gitleaks-config, fuzz-rule-file  the TOML files keysweep reads
#   fuzz-report      a JSON report, read and merged as `keysweep merge` does
# New inputs go to .build-fuzz/corpus/ (the repository's corpus is only read); an input that
# crashes, hangs (10 s) or leaks is left in .build-fuzz/artifacts/ and the script fails.
# Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch=.build-fuzz
# Not `--sanitize fuzzer`: SwiftPM links every executable with its own `main` (the build tool
# PatternEmbedder too), which libFuzzer's `main` clashes with. Instead: libFuzzer's coverage
# on every Swift module, libFuzzer without its `main`, and -DFUZZING, under which the fuzz
# executables' entry points call LLVMFuzzerRunDriver (Sources/KeySweep/Fuzzing/FuzzTargets.swift).
toolchain="$(dirname "$(readlink -f "$(command -v swiftc)")")/.."
libfuzzer="$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -n 1)"
[ -n "$libfuzzer" ] || { echo "fuzz.sh: libFuzzer (libclang_rt.fuzzer_no_main) is not in the Swift toolchain at $toolchain" >&2; exit 2; }
flags=(--scratch-path "$scratch"
       -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table
       -Xswiftc -DFUZZING -Xlinker "$libfuzzer" -Xlinker -lstdc++)
targets=(content pack-index ignore-file gitleaks-config rule-file report)
# The build runs PatternEmbedder, instrumented like everything else: no leak report at its exit.
for target in "${targets[@]}"; do
    ASAN_OPTIONS=detect_leaks=0 swift build "${flags[@]}" --product "fuzz-$target"
done
bin="$(swift build "${flags[@]}" --show-bin-path)"
mkdir -p "$scratch/artifacts" "$scratch/tmp"
# fuzz-pack-index's repository goes here: libFuzzer ends without the exit handler that removes it.
export TMPDIR="$PWD/$scratch/tmp"
failed=()
for target in "${targets[@]}"; do
    mkdir -p "$scratch/corpus/$target"
    echo "fuzz-$target: fuzzing for $seconds s" >&2
    asan=""
    extra=()
    if [ "$target" = pack-index ]; then
        # libgit2 allocates an object's declared size before inflating it: a forged header asks
        # for hundreds of GB. A system's calloc then fails and libgit2 reports an error; let
        # ASan's fail the same way instead of stopping the run.
        asan="allocator_may_return_null=1"
        extra=(-malloc_limit_mb=1048576)
    fi
    if ! ASAN_OPTIONS="$asan" LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt" \
            "$bin/fuzz-$target" "$scratch/corpus/$target" "Fuzz/corpus/$target" "${extra[@]}" \
            -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
            -artifact_prefix="$scratch/artifacts/$target-" >"$scratch/fuzz-$target.log" 2>&1; then
        failed+=("$target")
        tail -n 60 "$scratch/fuzz-$target.log" >&2
    fi
    grep -E '^stat::(number_of_executed_units|new_units_added|peak_rss_mb)' "$scratch/fuzz-$target.log" \
        | sed "s/^/fuzz-$target: /" >&2 || true
done
if ((${#failed[@]})); then
    echo "fuzzing found a problem in: ${failed[*]} (inputs in $scratch/artifacts/; logs in $scratch/fuzz-*.log)" >&2
    exit 1
fi
echo "fuzzing: nothing found" >&2
