#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark: `ssondo evaluate --task T --run R` (the run's mn10 student embeds every clip of a
# 5,000-clip labelled task, then the 5-fold linear probe) against the same in Python
# (bench/evaluate_torch.py: torchaudio, the exported student in PyTorch, scikit-learn's
# LogisticRegression with the same weight-decay grid, taken from ours' output, and the same
# iteration cap, 100), on the same files, folds and weights, in one run; both by wall clock from the
# process start. Target (issue 18): >= 1.5x.
#   bench_evaluate.sh SSONDO [clips_per_class=385]
set -euo pipefail
ssondo=${1:?path of ssondo}
perClass=${2:-385}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/ssondo-bench-evaluate.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export OMP_WAIT_POLICY=PASSIVE OMP_NUM_THREADS=2
ws="$tmp/ws"

"$ssondo" -q dataset synth "$tmp/data" --clips-per-class "$perClass" --min-seconds 2 --max-seconds 5 >/dev/null
"$ssondo" workspace init "$ws" >/dev/null
"$ssondo" -w "$ws" -q dataset add "$tmp/data" --name task --csv "$tmp/data/labels.csv" >/dev/null
"$ssondo" -w "$ws" -q extract --dataset task >/dev/null
# A student to evaluate (what it learned does not matter for the timing): a few steps of mn10 on 10 s clips.
"$ssondo" -w "$ws" -q train --dataset task --epochs 1 --samples-per-epoch 32 --batch-size 16 --clip-seconds 10 \
  --name bench >/dev/null
"$ssondo" -w "$ws" -q export --run 1 --out "$tmp/export" >/dev/null
"$py" -c 'import csv, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/labels.csv")))
w = csv.writer(open(sys.argv[2], "w", newline=""))
w.writerow(["path", "label", "fold"])
for r in rows:
    w.writerow([os.path.join(d, r["path"]), r["label"], r["fold"]])' "$tmp/data" "$tmp/clips.csv"

t0=$(date +%s.%N)
"$ssondo" -w "$ws" -q --json evaluate --task task --run 1 --no-teacher --max-iterations 100 > "$tmp/ours.json"
t1=$(date +%s.%N)
# The same weight-decay search: the grid ours reports.
grid=$("$py" -c 'import json, sys
m = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
m = m[0] if isinstance(m, list) else m
print(",".join(repr(v) for v in m["folds"][0]["grid"]))' "$tmp/ours.json")
t1b=$(date +%s.%N)
"$py" "$here/evaluate_torch.py" --clips "$tmp/clips.csv" --student-state "$tmp/export/backbone.pt" --width 1.0 \
  --threads 2 --max-iter 100 --grid "$grid" > "$tmp/python.json"
t2=$(date +%s.%N)
echo "ssondo: $(tail -c 600 "$tmp/ours.json")"
echo "python: $(tail -c 300 "$tmp/python.json")"
"$py" - "$tmp/ours.json" "$tmp/python.json" "$t0" "$t1" "$t1b" "$t2" <<'PY'
import json, sys
ours = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
theirs = json.loads(open(sys.argv[2]).read().strip().splitlines()[-1])
t0, t1, t1b, t2 = map(float, sys.argv[3:7])
o, b = t1 - t0, t2 - t1b
m = ours[0] if isinstance(ours, list) else ours
mean = m.get("mean", m.get("evaluation", {}).get("mean"))
print("ssondo evaluate: %.1f s wall (accuracy %s); Python: %.1f s wall (accuracy %.4f; embedding %.1f s, forward %.1f s, probe %.1f s)"
      % (o, mean, b, theirs["accuracy"], theirs["embed_seconds"], theirs["forward_seconds"], theirs["probe_seconds"]))
print("bench_evaluate: ours %.1f s, baseline %.1f s, ratio %.2f" % (o, b, b / o))
PY
