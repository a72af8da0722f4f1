#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A real single-node Slurm cluster on localhost for tests, without systemd: munged, slurmctld and
# slurmd started from a generated slurm.conf in a private folder, on non-default ports.
#   slurm-cluster.sh start DIR   start it; prints `export SLURM_CONF=DIR/slurm.conf`
#   slurm-cluster.sh stop DIR    stop the daemons by PID
# Needs Debian's slurm-wlm and munge, and root (slurmd starts jobs as their user).
set -euo pipefail

cmd=${1:?start|stop}
dir=$(realpath -m "${2:?folder}")

stop() {
  # Jobs first: job steps (slurmstepd) outlive slurmd.
  if [[ -f "$dir/slurm.conf" ]] && [[ -f "$dir/slurmctld.pid" ]] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    SLURM_CONF="$dir/slurm.conf" scancel --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 50); do
      [[ -z $(SLURM_CONF="$dir/slurm.conf" squeue -h -t running,completing 2>/dev/null) ]] && break
      sleep 0.2
    done
  fi
  for d in slurmd slurmctld munged; do
    if [[ -f "$dir/$d.pid" ]]; then
      pid=$(cat "$dir/$d.pid" 2>/dev/null || true)
      [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
    fi
  done
  # Wait for them to go (slurmctld saves its state first).
  for _ in $(seq 50); do
    alive=0
    for d in slurmd slurmctld munged; do
      pid=$(cat "$dir/$d.pid" 2>/dev/null || true)
      [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null && alive=1
    done
    (( alive )) || break
    sleep 0.2
  done
  for d in slurmd slurmctld munged; do
    pid=$(cat "$dir/$d.pid" 2>/dev/null || true)
    [[ -n "$pid" ]] && kill -9 "$pid" 2>/dev/null || true
  done
  return 0
}

if [[ "$cmd" == stop ]]; then
  stop
  exit 0
fi
[[ "$cmd" == start ]] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
for tool in munged slurmctld slurmd sbatch squeue; do
  command -v "$tool" >/dev/null || { echo "slurm-cluster: $tool is missing (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
[[ $(id -u) -eq 0 ]] || { echo "slurm-cluster: must run as root (slurmd starts jobs as their user)" >&2; exit 1; }

mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"
# Ports from the folder's name, so that two clusters on one machine do not collide.
base=$(( 17000 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 2000 * 2 ))
host=$(hostname -s)
node=$(slurmd -C | head -1)              # NodeName=host CPUs=... RealMemory=...
node=${node/RealMemory=*/RealMemory=1000} # leave memory to the tests

# munge: its own key and socket in the folder.
dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munged.seed"

cat > "$dir/slurm.conf" <<CONF
ClusterName=ssondo-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
MinJobAge=3600
SlurmdTimeout=60
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$dir/slurm.conf"
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do
  state=$(sinfo -h -N -o '%t' 2>/dev/null | head -1 || true)
  [[ "$state" == idle* ]] && break
  sleep 0.3
done
if [[ "$state" != idle* ]]; then
  echo "slurm-cluster: the node did not come up (state '${state:-none}'); logs in $dir" >&2
  tail -5 "$dir/slurmctld.log" "$dir/slurmd.log" >&2 || true
  stop
  exit 1
fi
echo "export SLURM_CONF=$SLURM_CONF"
