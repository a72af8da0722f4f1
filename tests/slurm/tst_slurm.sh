#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `ssondo slurm` on a real single-node Slurm cluster (slurm-cluster.sh): a 2-shard extraction array
# with its merge job, a 2-task data-parallel training job through srun and a sweep's job array; checks what they left
# in the workspace, then stops the daemons. Exit 77 (ctest: skipped) only when not root.
#   tst_slurm.sh SSONDO_BINARY
set -euo pipefail
ssondo=$(realpath "${1:?path to ssondo}")
here=$(cd "$(dirname "$0")" && pwd)
[[ $(id -u) -eq 0 ]] || { echo "SKIP: the Slurm test starts slurmd, which needs root"; exit 77; }

tmp=$(mktemp -d /tmp/ssondo-slurm.XXXXXX)
cluster="$tmp/cluster"
cleanup() {
  "$here/slurm-cluster.sh" stop "$cluster" || true
  if [[ "${KEEP_SLURM_TEST:-0}" != 1 ]]; then rm -rf "$tmp"; else echo "kept $tmp"; fi
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  for f in "$tmp"/ws/slurm/*/*.out "$cluster"/slurmctld.log "$cluster"/slurmd.log; do
    [[ -f "$f" ]] && { echo "--- $f" >&2; tail -20 "$f" >&2; }
  done
  exit 1
}

eval "$("$here/slurm-cluster.sh" start "$cluster")"
echo "cluster up: $(sinfo -h -o '%P %D %t %N')"

ws="$tmp/ws"
"$ssondo" -q dataset synth "$tmp/data" --clips-per-class 3 --min-seconds 1 --max-seconds 2 >/dev/null
"$ssondo" workspace init "$ws" >/dev/null
"$ssondo" -w "$ws" -q dataset add "$tmp/data" --name tiny >/dev/null

start=$(date +%s)
"$ssondo" -w "$ws" slurm extract --shards 2 --partition ci --time 00:10:00 --dataset tiny --teacher demo
field() { # $1 = submission id, $2 = key: reads `ssondo --json slurm status` on stdin
  python3 -c 'import json,sys; print(next((str(s[sys.argv[2]]) for s in json.load(sys.stdin) if s["id"] == int(sys.argv[1])), ""))' "$1" "$2"
}
wait_done() { # $1 = submission id; waits until its state is final
  for _ in $(seq 600); do
    state=$("$ssondo" -w "$ws" --json slurm status | field "$1" state)
    case "$state" in PENDING|RUNNING|"") sleep 0.5 ;; *) echo "$state"; return 0 ;; esac
  done
  echo TIMEOUT
}
state=$(wait_done 1)
"$ssondo" -w "$ws" slurm status
[[ "$state" == COMPLETED ]] || fail "extraction ended $state"
sets=$("$ssondo" -w "$ws" --json embeddings list)
[[ $(echo "$sets" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(len(s), s[0]["rows"], s[0]["done"])') == "1 39 39" ]] ||
  fail "the merged set does not have 39 of 39 clips: $sets"
ls "$ws"/embeddings | grep -q '\.parts$' && fail "the shard parts were not removed after the merge"
ls "$ws"/slurm/extract-*/extract-*_0.out "$ws"/slurm/extract-*/extract-*_1.out >/dev/null || fail "no log per array task"

# The same clips without shards: the same rows up to float32 reordering (the shards batch each clip
# with other clips, and kernels pick their path by batch size), so the statistics of
# `ssondo embeddings show` agree to 1e-4 relative, the bound tst_CliDistributed states per row.
"$ssondo" workspace init "$tmp/ref" >/dev/null
"$ssondo" -w "$tmp/ref" -q dataset add "$tmp/data" --name tiny >/dev/null
"$ssondo" -w "$tmp/ref" -q extract --dataset tiny >/dev/null
stats='import json,sys; j=json.load(sys.stdin); print(j["norm_mean"], j["norm_std"], j["dim_variance_mean"])'
a=$("$ssondo" -w "$ws" --json embeddings show 1 | python3 -c "$stats")
b=$("$ssondo" -w "$tmp/ref" --json embeddings show 1 | python3 -c "$stats")
python3 -c 'import sys; a, b = (list(map(float, x.split())) for x in sys.argv[1:3]); sys.exit(any(abs(x - y) > 1e-4 * abs(y) for x, y in zip(a, b)))' "$a" "$b" ||
  fail "sharded and unsharded sets differ: $a vs $b"

"$ssondo" -w "$ws" slurm train --nodes 1 --tasks-per-node 2 --partition ci --time 00:10:00 \
  --dataset tiny --width 0.4 --clip-seconds 1 --batch-size 8 --epochs 2 --samples-per-epoch 16 --name on-slurm
state=$(wait_done 2)
"$ssondo" -w "$ws" slurm status
[[ "$state" == COMPLETED ]] || fail "training ended $state"
runs=$("$ssondo" -w "$ws" --json runs list)
[[ $(echo "$runs" | python3 -c 'import json,sys; print(" ".join(r["name"] + ":" + r["status"] for r in json.load(sys.stdin)))') == "on-slurm:done" ]] ||
  fail "the run on-slurm is not done: $runs"
grep -q "2 data-parallel processes" "$ws"/slurm/train-*/train-*.out || fail "the job did not run 2 ranks"
[[ $("$ssondo" -w "$ws" --json slurm status | field 2 done) == 4 ]] ||
  fail "training progress (4 of 4 steps) not read from the workspace: $("$ssondo" -w "$ws" slurm status)"

# The demo sweep (docs/examples/demo-sweep.toml: 3 losses x 2 samplers x 2 seeds) as one job array,
# on this workspace's dataset and a k-means clustering of it; each array task one run with its metric.
"$ssondo" -w "$ws" -q cluster --embeddings 1 --k 4 >/dev/null
sed -e 's/^data.dataset = "demo"/data.dataset = "tiny"/' -e 's/^train.epochs = 3/train.epochs = 1/' \
  "$here/../../docs/examples/demo-sweep.toml" > "$tmp/sweep.toml"
"$ssondo" -w "$ws" slurm sweep -c "$tmp/sweep.toml" --partition ci --time 00:10:00 --parallel 2
state=$(wait_done 3)
"$ssondo" -w "$ws" slurm status
"$ssondo" -w "$ws" sweeps show 1
[[ "$state" == COMPLETED ]] || fail "the sweep array ended $state"
[[ $("$ssondo" -w "$ws" --json sweeps show 1 | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], j["counts"].get("done", 0), len(j["effects"]), all(r["metric"] is not None for r in j["runs"]))') == "done 12 5 True" ]] ||
  fail "the sweep's 12 runs are not done with a metric: $("$ssondo" -w "$ws" sweeps show 1)"
[[ $("$ssondo" -w "$ws" --json slurm status | field 3 done) == 12 ]] || fail "sweep progress (12 of 12 runs) not read"
ls "$ws"/slurm/sweep-1-*/sweep-*_11.out >/dev/null || fail "no log per sweep array task"
echo "PASS: Slurm extraction array + merge, 2-rank training and the 12-run demo sweep as a job array in $(( $(date +%s) - start )) s"
