#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark: the probe's weight-decay search against the one a scikit-learn user makes
# (bench/probe_search_sklearn.py: C from 1e-3 to 100 chosen on valid, refit on train + valid) on the
# same stored embeddings and the same train/valid/test split, in one run. The embeddings are the
# demo teacher's (a fixed random-feature network: no pretrained model is available offline) of the
# demo dataset, split 60/20/20 per class with a fixed seed.
#   bench_probe_search.sh SSONDO [clips_per_class=40]
# Prints `bench_probe_search: ours X, baseline Y, ratio R` (test accuracy) and both choices.
set -euo pipefail
ssondo=${1:?path of ssondo}
perClass=${2:-40}
here=$(cd "$(dirname "$0")" && pwd)
py=/usr/bin/python3
tmp=$(mktemp -d /tmp/ssondo-bench-probe-search.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ws="$tmp/ws"
"$ssondo" -q demo "$ws" --clips-per-class "$perClass" --data-only >/dev/null
"$ssondo" -w "$ws" --json dataset show demo --clips > "$tmp/clips.json"
# A seeded per-class split written as a label CSV: path,label,,split.
"$py" - "$tmp" <<'PY'
import json, random, sys, collections
tmp = sys.argv[1]
clips = json.load(open(f"{tmp}/clips.json"))["clip_list"]
by = collections.defaultdict(list)
for c in clips:
    if not c["error"]:
        by[c["label"]].append(c["path"])
rng = random.Random(7)
with open(f"{tmp}/split.csv", "w") as f:
    f.write("path,label,fold,split\n")
    for label, paths in sorted(by.items()):
        rng.shuffle(paths)
        n = len(paths)
        for i, p in enumerate(paths):
            s = "train" if i < 0.6 * n else ("valid" if i < 0.8 * n else "test")
            f.write(f"{p},{label},,{s}\n")
PY
root=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["root"])' "$tmp/clips.json")
"$ssondo" -w "$ws" -q dataset add "$root" --name split --csv "$tmp/split.csv" >/dev/null
"$ssondo" -w "$ws" -q extract --dataset split --teacher demo >/dev/null
set_id=$("$ssondo" -w "$ws" --json embeddings list | "$py" -c 'import json,sys; print([s for s in json.load(sys.stdin) if s["dataset"] == "split"][0]["id"])')
ours=$("$ssondo" -w "$ws" --json evaluate --task split --teacher "$set_id" --knn 0 | tail -n 1)
"$ssondo" -w "$ws" -q embeddings export "$set_id" --format npy --out "$tmp/x.npy" >/dev/null
# The exported index lists each row's clip path; labels and splits from the split CSV.
"$py" - "$tmp" <<'PY'
import csv, sys
tmp = sys.argv[1]
rows = {r["path"]: r for r in csv.DictReader(open(f"{tmp}/split.csv"))}
paths = [r["path"] for r in csv.DictReader(open(f"{tmp}/x.csv"))]
with open(f"{tmp}/labels.txt", "w") as l, open(f"{tmp}/splits.txt", "w") as s:
    for p in paths:
        l.write(rows[p]["label"] + "\n")
        s.write(rows[p]["split"] + "\n")
PY
base=$("$py" "$here/probe_search_sklearn.py" "$tmp/x.npy" "$tmp/labels.txt" "$tmp/splits.txt")
"$py" - "$ours" "$base" <<'PY'
import json, sys
o, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
fold = o["folds"][0]
print("bench_probe_search: ours %.4f, baseline %.4f, ratio %.3f" % (o["mean"], b["score"], o["mean"] / b["score"]))
print("  ours: weight decay %g chosen from %s, converged %s, %.2f s; scikit-learn: C %g, %.2f s"
      % (fold["weight_decay"], fold["grid"], fold["converged"], o["seconds"], b["C"], b["seconds"]))
PY
