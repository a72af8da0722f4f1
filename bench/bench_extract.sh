#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark: teacher extraction through `ssondo extract` against what a Python user writes
# (bench/extract_torch.py: torchaudio.load, resample, windows batched in file order, TorchScript
# forward, numpy.save) on the same files, with the same TorchScript teacher, batch and threads, in
# one run. Teachers made by bench/make_bench_teachers.py (a 1-D conv network on raw audio, log-mel +
# 2-D CNN, log-mel + ViT-B/16) and the demo teacher (ssondo only: it has no Python twin). Also two
# `--shard` processes of one thread each against one process of two threads.
#   bench_extract.sh SSONDO [clips=320] [vit_clips=48]
# Prints `bench_extract[TEACHER]: ours X clips/s, baseline Y clips/s, ratio R` lines.
set -euo pipefail
ssondo=${1:?path of ssondo}
clips=${2:-320}
vitClips=${3:-48}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/ssondo-bench-extract.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export OMP_WAIT_POLICY=PASSIVE # idle OpenMP threads must not spin against the other process
threads=2

# 1 s clips at the rates and channel counts a real folder has (16-48 kHz, mono and stereo).
"$ssondo" -q dataset synth "$tmp/data" --clips-per-class $(( (clips + 12) / 13 )) --min-seconds 1 --max-seconds 1 >/dev/null
find "$tmp/data" -type f \( -name '*.wav' -o -name '*.flac' -o -name '*.ogg' \) | sort | head -n "$clips" > "$tmp/all.txt"
mkdir -p "$tmp/set"
while read -r f; do ln -s "$f" "$tmp/set/$(basename "$f")"; done < "$tmp/all.txt"
find "$tmp/set" -type l | sort > "$tmp/files.txt"
head -n "$vitClips" "$tmp/files.txt" > "$tmp/vit-files.txt"
mkdir -p "$tmp/vitset"
while read -r f; do ln -s "$(readlink "$f")" "$tmp/vitset/$(basename "$f")"; done < "$tmp/vit-files.txt"
"$py" "$here/make_bench_teachers.py" "$tmp/teachers" >/dev/null

rate() { # clips/s from a JSON line with "clips" and "seconds", or from ssondo's result line
  "$py" -c 'import json,sys; j=json.loads(sys.stdin.read().strip().splitlines()[-1]); print("%.3f" % (j.get("clips_per_s") or j["computed_now"] / j["seconds"]))'
}

ours() { # teacher dataset-folder → clips/s of `ssondo extract` (teacher loaded and probed included in neither side's time)
  local teacher=$1 folder=$2 name=$3
  local ws="$tmp/ws-$name"
  "$ssondo" workspace init "$ws" >/dev/null
  "$ssondo" -w "$ws" -q dataset add "$folder" --name d --labels none >/dev/null
  OMP_NUM_THREADS=$threads "$ssondo" -w "$ws" -q --json extract --dataset d --teacher "$teacher" --batch-size 32 | rate
}

python() {
  local teacher=$1 list=$2
  "$py" "$here/extract_torch.py" --teacher "$teacher" --files "$list" --batch-size 32 --threads $threads | rate
}

report() {
  "$py" -c 'import sys; o, b = float(sys.argv[2]), float(sys.argv[3]); print("bench_extract[%s]: ours %.2f clips/s, baseline %.2f clips/s, ratio %.2f" % (sys.argv[1], o, b, o / b))' "$@"
}

for t in conv1d cnn2d; do
  o=$(ours "$tmp/teachers/$t.pt" "$tmp/set" "$t")
  b=$(python "$tmp/teachers/$t.pt" "$tmp/files.txt")
  report "$t" "$o" "$b"
done
o=$(ours "$tmp/teachers/vit.pt" "$tmp/vitset" vit)
b=$(python "$tmp/teachers/vit.pt" "$tmp/vit-files.txt")
report vit "$o" "$b"
echo "bench_extract[demo]: ours $(ours demo "$tmp/set" demo) clips/s (no Python twin)"

# Two shards of one thread each, at once, against one process of two threads (cnn2d teacher), both
# by wall clock from the start of the processes to the embedding set being complete.
walltime() { # command... → seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  "$py" -c "print($t1 - $t0)"
}
fresh() {
  local ws="$tmp/$1"
  "$ssondo" workspace init "$ws" >/dev/null
  "$ssondo" -w "$ws" -q dataset add "$tmp/set" --name d --labels none >/dev/null
  echo "$ws"
}
sharded() {
  local ws=$1
  for i in 0 1; do
    OMP_NUM_THREADS=1 "$ssondo" -w "$ws" -q extract --dataset d --teacher "$tmp/teachers/cnn2d.pt" --batch-size 32 \
      --workers 1 --shard $i/2 >/dev/null &
  done
  wait
  "$ssondo" -w "$ws" -q extract --dataset d --teacher "$tmp/teachers/cnn2d.pt" --merge-shards 2 >/dev/null
}
single() {
  OMP_NUM_THREADS=$threads "$ssondo" -w "$1" -q extract --dataset d --teacher "$tmp/teachers/cnn2d.pt" \
    --batch-size 32 >/dev/null
}
wsA=$(fresh ws-sharded)
wsB=$(fresh ws-single)
tShards=$(walltime sharded "$wsA")
tOne=$(walltime single "$wsB")
report "2 shards vs 1 process, cnn2d, wall clock" \
  "$("$py" -c "print($clips / $tShards)")" "$("$py" -c "print($clips / $tOne)")"
