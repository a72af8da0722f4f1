#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Data-parallel training throughput on this machine: `ssondo train --nproc 2` (two ranks, Gloo over
# loopback TCP, one intra-op thread and one loader each) against one process with the same global
# batch (all cores), measured in the same run on the same clips, log-mels cached beforehand so that
# both time the model and the all-reduce. Prints clips/s, the ratio, and the share of rank 0's step
# time spent in the gradient/loss all-reduce.
#   bench_ddp.sh SSONDO [STUDENT] [BATCH]
set -euo pipefail
ssondo=$(realpath "${1:?path to ssondo}")
arch=${2:-mn10}
batch=${3:-32}
tmp=$(mktemp -d /tmp/ssondo-bench-ddp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
"$ssondo" -q dataset synth "$tmp/data" --clips-per-class 16 --min-seconds 4 --max-seconds 5 >/dev/null
"$ssondo" workspace init "$tmp/ws" >/dev/null
"$ssondo" -w "$tmp/ws" -q dataset add "$tmp/data" --name bench >/dev/null
"$ssondo" -w "$tmp/ws" -q extract --dataset bench >/dev/null
common=(-w "$tmp/ws" -q --json train --dataset bench --student "$arch" --batch-size "$batch" --clip-seconds 4
        --epochs 1 --samples-per-epoch $((batch * 8)) --set data.cache=true --set data.val_fraction=0.05
        --set train.precise_bn=0)
# Fill the log-mel cache once (every clip), untimed.
"$ssondo" "${common[@]}" --samples-per-epoch 2048 --name warmup >/dev/null
field() { python3 -c 'import json,sys; r=json.loads(sys.stdin.read().strip().splitlines()[-1]); print(r[sys.argv[1]])' "$1"; }
one=$("$ssondo" "${common[@]}" --name one-process --seed 1)
two=$("$ssondo" "${common[@]}" --name two-ranks --seed 1 --nproc 2 2>/dev/null)
one_cps=$(echo "$one" | field clips_per_s)
two_cps=$(echo "$two" | field clips_per_s)
comm=$(echo "$two" | field comm_share)
grad=$(echo "$two" | field grad_comm_share)
python3 - "$arch" "$batch" "$one_cps" "$two_cps" "$comm" "$grad" <<'PY'
import sys
arch, batch, one, two, comm, grad = sys.argv[1], int(sys.argv[2]), *map(float, sys.argv[3:])
print(f"bench_ddp: {arch}, global batch {batch}, 8 steps, cached log-mels, {__import__('os').cpu_count()} cores")
print(f"  1 process (all cores)         {one:8.1f} clips/s   (baseline)")
print(f"  2 ranks (--nproc 2, Gloo)     {two:8.1f} clips/s   ratio {two / one:.2f}x")
print(f"  communication share of a step {100 * comm:8.1f} %   (rank 0, waiting included)")
print(f"    gradient + loss all-reduce  {100 * grad:8.1f} %")
print(f"    synchronised batch norm     {100 * (comm - grad):8.1f} %")
PY
