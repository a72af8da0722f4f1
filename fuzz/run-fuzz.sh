#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (build-fuzz/ at the repository root, Debian's clang) and fuzzes each
# reader for a bounded time on a scratch copy of its seed corpus. Prints, per target: executions,
# exec/s, seconds, final corpus size and crashes (crash, leak, timeout > 10 s, out-of-memory > 2 GiB),
# and exits non-zero if any target found one; the reproducer is kept and its path printed.
#
#   fuzz/run-fuzz.sh [SECONDS_PER_TARGET] [--update-corpus] [--targets "npy npz audio"]
#
# The committed corpus (fuzz/corpus/<target>/) is read only, except with --update-corpus: then the
# inputs found are merged (-merge=1) with the seeds into a fresh directory, and the seeds plus the merged
# files under 4 KiB that add the most coverage (greedy) are kept, at most 20 files per target.
set -euo pipefail

SECONDS_PER_TARGET=120
UPDATE_CORPUS=0
TARGETS="npy npz audio"
while [[ $# -gt 0 ]]; do
    case "$1" in
    --update-corpus) UPDATE_CORPUS=1 ;;
    --targets) TARGETS="$2"; shift ;;
    [0-9]*) SECONDS_PER_TARGET="$1" ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run-fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
    shift
done

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$FUZZ_DIR")"
BUILD="$ROOT/build-fuzz"
NICE="nice -n 10"
MAX_CORPUS_FILES=20
MAX_SEED_BYTES=4096
# Known leaks inside the system decoder libraries (see the file); everything else still fails.
export LSAN_OPTIONS="suppressions=$FUZZ_DIR/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

echo "== building $BUILD"
if [[ ! -f "$BUILD/build.ninja" ]]; then
    CC=clang CXX=clang++ $NICE cmake -S "$FUZZ_DIR" -B "$BUILD" -G Ninja >/dev/null
fi
$NICE ninja -C "$BUILD" -j "${FUZZ_BUILD_JOBS:-2}" fuzz_audio fuzz_npy fuzz_npz | tail -1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/ssondo-fuzz.XXXXXX")"
keep_work=0
cleanup() { [[ $keep_work == 1 ]] || rm -rf "$WORK"; }
trap cleanup EXIT

stat_of() { sed -n "s/^stat::$2: *//p" "$1" | tail -1; }

status=0
printf '\n%-8s %12s %9s %8s %14s %8s %8s %8s\n' target executions exec/s seconds corpus peak_MB slowest crashes \
    >"$WORK/summary"
for t in $TARGETS; do
    seeds="$FUZZ_DIR/corpus/$t"
    corpus="$WORK/$t/corpus"
    artifacts="$WORK/$t/artifacts"
    mkdir -p "$corpus" "$artifacts"
    cp "$seeds"/* "$corpus"/
    args=(-rss_limit_mb=2048 -timeout=10 -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1
          -artifact_prefix="$artifacts/")
    case "$t" in
    npy) args+=(-dict="$FUZZ_DIR/npy.dict" -max_len=65536) ;;
    npz) args+=(-dict="$FUZZ_DIR/npz.dict" -max_len=65536) ;;
    audio) args+=(-max_len=16384) ;;
    esac
    echo "== fuzz_$t for ${SECONDS_PER_TARGET}s (log: $WORK/$t/log)"
    start=$(date +%s)
    rc=0
    $NICE "$BUILD/fuzz_$t" "${args[@]}" "$corpus" >"$WORK/$t/log" 2>&1 || rc=$?
    seconds=$(($(date +%s) - start))
    crashes=$(find "$artifacts" -type f | wc -l)
    if [[ $rc -ne 0 && $crashes -eq 0 ]]; then
        crashes=1 # died without writing a reproducer (e.g. killed): still a failure
    fi
    files=$(find "$corpus" -type f | wc -l)
    kib=$(($(du -sb "$corpus" | cut -f1) / 1024))
    printf '%-8s %12s %9s %8s %14s %8s %8s %8s\n' "$t" "$(stat_of "$WORK/$t/log" number_of_executed_units)" \
        "$(stat_of "$WORK/$t/log" average_exec_per_sec)" "$seconds" "$files files/${kib}K" \
        "$(stat_of "$WORK/$t/log" peak_rss_mb)" "$(stat_of "$WORK/$t/log" slowest_unit_time_sec)s" "$crashes" \
        >>"$WORK/summary"
    if [[ $crashes -ne 0 ]]; then
        status=1
        keep_work=1
        echo "!! fuzz_$t failed (exit $rc); reproducers:" && find "$artifacts" -type f
        grep -E "^SUMMARY|ERROR: libFuzzer|runtime error" "$WORK/$t/log" | head -5 || true
        continue
    fi
    if [[ $UPDATE_CORPUS == 1 ]]; then
        merged="$WORK/$t/merged"
        mkdir -p "$merged"
        $NICE "$BUILD/fuzz_$t" -merge=1 -merge_control_file="$WORK/$t/merge.ctl" -rss_limit_mb=2048 \
            -timeout=10 "$merged" "$seeds" "$corpus" >"$WORK/$t/merge.log" 2>&1
        # The committed files stay; of the files the merge kept, add greedily the one that covers the
        # most features the corpus lacks, until the cap of files or nothing new is left.
        python3 - "$WORK/$t/merge.ctl" "$seeds" "$merged" "$MAX_CORPUS_FILES" "$MAX_SEED_BYTES" "$t" <<'PY'
import hashlib, os, shutil, sys
ctl, seeds, merged, max_files, max_bytes, target = sys.argv[1:]
digest = lambda p: hashlib.sha1(open(p, "rb").read()).hexdigest()
lines = open(ctl).read().splitlines()
paths = lines[2:2 + int(lines[0])]
features = {}
for line in lines[2 + int(lines[0]):]:
    if line.startswith("FT "):
        idx, *ft = line.split()[1:]
        features[digest(paths[int(idx)])] = set(ft)
have = {digest(os.path.join(seeds, f)) for f in os.listdir(seeds)}
covered = set().union(*(features.get(h, set()) for h in have))
candidates = {}
for f in os.listdir(merged):
    p = os.path.join(merged, f)
    h = digest(p)
    if h not in have and os.path.getsize(p) < int(max_bytes):
        candidates[h] = p
added = 0
for _ in range(int(max_files) - len(have)):
    best = max(candidates, key=lambda h: len(features.get(h, set()) - covered), default=None)
    if best is None or not features.get(best, set()) - covered:
        break
    covered |= features[best]
    ext = {"npy": ".npy", "npz": ".npz"}.get(target, ".bin")
    shutil.copy(candidates.pop(best), os.path.join(seeds, "found-" + best[:12] + ext))
    added += 1
print(f"   corpus/{target}: {added} new file(s) added, {len(os.listdir(seeds))} in all")
PY
    fi
done
cat "$WORK/summary"
[[ $keep_work == 1 ]] && echo "work directory kept: $WORK"
exit $status
