#!/usr/bin/env bash
# Tests deploy/slurm-array.sh on a real Slurm: a single-node cluster started
# here from Debian's packages runs `sscsim run`, then `sscsim pool`'s
# heuristic search, as an array job of 3 shards plus the merge job, and each
# merged folder must be byte for byte that of a single run with the same
# seed and -n.
#
#   deploy/test-slurm.sh
#
# It needs root (it installs packages and runs munged, slurmctld and slurmd
# as root) and apt-get when Slurm or MUNGE is missing. Without them it says
# why and stops: with exit code 0 (skipped) by hand, with exit code 1 in CI
# (CI=true), where it must run.
#
# What it does:
#   1. installs the Debian packages slurm-wlm and munge if a command of
#      theirs is missing (they stay installed, as .ci/run's Chromium does);
#   2. in a fresh temporary folder: a MUNGE key, munged on its own socket,
#      and a slurm.conf (ProctrackType=proctrack/linuxproc,
#      TaskPlugin=task/none, no accounting, the node's real CPUs and memory
#      as `slurmd -C` reports them, ports 16817 and 16818, refused if taken);
#      slurmctld and slurmd in the foreground of background jobs, so that
#      their process ids are known;
#   3. submits `run` of scenarios/budapest-joint.toml (60 replications),
#      then `pool --search heuristic --restarts 6 --shapley-blocks 2` of
#      scenarios/un-system-ssc.toml (ten agencies, 3 replications), through
#      deploy/slurm-array.sh with SSCSIM_CPUS_PER_TASK=1 (a 2-CPU machine could not run tasks of
#      4), waits for the merge job (at most SSCSIM_SLURM_TIMEOUT_SECONDS,
#      default 900), and prints the jobs' logs and the daemons' if it fails;
#   4. checks that the jobs asked for 1 CPU and the shards ran 1 thread, then
#      compares the merged folder with `sscsim run` of the same scenario,
#      seed and -n: the same files, each the same bytes but manifest.toml,
#      whose keys command, threads, started_at, finished_at and
#      merged_shards differ by design (see README, "Running on a cluster")
#      and are removed from both before comparing. Steps 3 and 4 run for
#      each command the template can split (the list at the end);
#   5. on exit, failed or not: cancels its jobs, stops the daemons it started
#      (by their process ids) and removes the temporary folder.
#
# Environment: SSCSIM, the sscsim binary (default: debug/sscsim under
# CARGO_TARGET_DIR, or under target/ when that is unset; build it first).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
shards=3
seed=2009
timeout_seconds=${SSCSIM_SLURM_TIMEOUT_SECONDS:-900}
slurmctld_port=16817
slurmd_port=16818

say() { echo "test-slurm: $*" >&2; }

# Stops here without failing by hand, but fails in CI, where the test must run.
cannot_run() {
    say "cannot run: $*"
    if [[ ${CI:-} == true ]]; then
        say "FAILED: CI=true, and CI must run this test"
        exit 1
    fi
    say "SKIPPED (outside CI)"
    exit 0
}

if [[ $(id -u) -ne 0 ]]; then
    cannot_run "it must run as root (it installs Debian packages and runs munged, slurmctld and slurmd as root)"
fi

sscsim=${SSCSIM:-${CARGO_TARGET_DIR:-$repo/target}/debug/sscsim}
if [[ ! -x $sscsim ]]; then
    say "no sscsim binary at $sscsim; build it first (cargo build) or set SSCSIM"
    exit 2
fi
sscsim=$(realpath "$sscsim")

missing=()
for command in munged mungekey slurmctld slurmd sbatch scontrol sinfo scancel; do
    if ! command -v "$command" >/dev/null 2>&1; then
        missing+=("$command")
    fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        cannot_run "${missing[*]} missing and no apt-get to install Debian's slurm-wlm and munge"
    fi
    say "installing slurm-wlm and munge (missing: ${missing[*]})"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        slurm-wlm munge >/dev/null
fi

for port in "$slurmctld_port" "$slurmd_port"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        say "FAILED: port $port is taken; another Slurm may be running here"
        exit 1
    fi
done

# In /tmp, not TMPDIR: MUNGE's socket path must stay short (108 bytes at most).
work=$(mktemp -d /tmp/sscsim-slurm.XXXXXX)
chmod 711 "$work"
munged_pid=""
slurmctld_pid=""
slurmd_pid=""
jobs=()

# Stops a daemon this script started, by its process id: SIGTERM, then
# SIGKILL if it has not ended after 10 seconds.
stop_daemon() {
    local name=$1 pid=$2
    [[ -n $pid ]] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        say "$name (process $pid) did not stop on SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$?
    set +e
    if [[ ${#jobs[@]} -gt 0 && -n $slurmctld_pid ]]; then
        scancel "${jobs[@]}" 2>/dev/null
        # Lets the job steps end before slurmd, which tracks them, stops.
        local job_list
        job_list=$(
            IFS=,
            echo "${jobs[*]}"
        )
        for _ in $(seq 1 20); do
            [[ -z $(squeue -h -j "$job_list" 2>/dev/null) ]] && break
            sleep 0.5
        done
    fi
    stop_daemon slurmd "$slurmd_pid"
    stop_daemon slurmctld "$slurmctld_pid"
    stop_daemon munged "$munged_pid"
    rm -rf "$work"
    if [[ $status -eq 0 ]]; then
        say "PASSED"
    else
        say "FAILED (exit code $status)"
    fi
    exit "$status"
}
trap cleanup EXIT

show_log() {
    echo "----- $1" >&2
    tail -n 60 "$1" >&2
}

show_logs() {
    local log daemon
    for log in "$work"/jobs/*.log "$work"/munge/munged.log; do
        [[ -f $log ]] && show_log "$log"
    done
    # A daemon's stderr repeats its log file, but for what it said before
    # opening that file.
    for daemon in slurmctld slurmd; do
        if [[ -s $work/slurm/$daemon.log ]]; then
            show_log "$work/slurm/$daemon.log"
        elif [[ -f $work/slurm/$daemon-stderr.log ]]; then
            show_log "$work/slurm/$daemon-stderr.log"
        fi
    done
    for job in "${jobs[@]}"; do
        echo "----- scontrol show job $job" >&2
        scontrol show job "$job" >&2 || true
    done
}

fail() {
    say "FAILED: $*"
    show_logs
    exit 1
}

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 1
    done
}

# MUNGE, on its own key and socket.
mkdir -p "$work/munge" "$work/slurm/state" "$work/slurm/spool" "$work/jobs"
# Others may traverse the folder to the socket (munged warns otherwise).
chmod 711 "$work/munge"
mungekey --create --keyfile="$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
munge_socket=$work/munge/munge.socket.2
munged --foreground --force --socket="$munge_socket" \
    --key-file="$work/munge/munge.key" --pid-file="$work/munge/munged.pid" \
    --seed-file="$work/munge/munged.seed" --log-file="$work/munge/munged.log" \
    >>"$work/munge/munged.log" 2>&1 &
munged_pid=$!
wait_for 30 test -S "$munge_socket" || fail "munged did not open its socket"
munge --socket="$munge_socket" --no-input | unmunge --socket="$munge_socket" >/dev/null ||
    fail "MUNGE cannot encode and decode a credential"

# Slurm: one node, this host, with the CPUs and memory slurmd sees.
node=$(hostname -s)
node_line=$(slurmd -C | head -n 1)
[[ $node_line == NodeName=* ]] || fail "slurmd -C did not describe the node: $node_line"
export SLURM_CONF=$work/slurm/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=sscsimtest
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$slurmctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
StateSaveLocation=$work/slurm/state
SlurmdSpoolDir=$work/slurm/spool
SlurmctldPidFile=$work/slurm/slurmctld.pid
SlurmdPidFile=$work/slurm/slurmd.pid
SlurmctldLogFile=$work/slurm/slurmctld.log
SlurmdLogFile=$work/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
say "cluster: $node_line"
# In the foreground (-D) they log to stderr, kept in their log files.
slurmctld -D -f "$SLURM_CONF" >"$work/slurm/slurmctld-stderr.log" 2>&1 &
slurmctld_pid=$!
slurmd -D -f "$SLURM_CONF" -N "$node" >"$work/slurm/slurmd-stderr.log" 2>&1 &
slurmd_pid=$!
node_is_idle() { [[ $(sinfo -h -n "$node" -o %T 2>/dev/null) == idle ]]; }
wait_for 60 node_is_idle || fail "node $node is not idle after 60 s: $(sinfo -h -n "$node" -o '%T %E' 2>&1)"

# Submits COMMAND of SCENARIO with REPLICATIONS and the options OPTIONS
# (SSCSIM_ARGS) as shards and their merge through the template, writing
# into OUT_DIR, and waits for the merge job to complete.
run_through_slurm() {
    local command=$1 scenario=$2 replications=$3 options=$4 out=$5
    local submitted array_job merge_job record state reason started job shard
    submitted=$(cd "$work/jobs" && SSCSIM=$sscsim SSCSIM_CPUS_PER_TASK=1 SSCSIM_COMMAND=$command \
        SSCSIM_ARGS=$options \
        "$repo/deploy/slurm-array.sh" "$scenario" "$replications" "$shards" "$out" "$seed") ||
        fail "deploy/slurm-array.sh could not submit the jobs of $command"
    echo "$submitted" >&2
    array_job=$(sed -n 's/.*array job \([0-9]*\) .*/\1/p' <<<"$submitted")
    merge_job=$(sed -n 's/.*merge as job \([0-9]*\);.*/\1/p' <<<"$submitted")
    [[ -n $array_job && -n $merge_job ]] || fail "no job ids in deploy/slurm-array.sh's output"
    jobs+=("$array_job" "$merge_job")

    started=$SECONDS
    while :; do
        record=$(scontrol -o show job "$merge_job") || fail "the merge job $merge_job is unknown"
        state=$(sed -n 's/.* JobState=\([A-Z_]*\) .*/\1/p' <<<"$record")
        reason=$(sed -n 's/.* Reason=\([^ ]*\) .*/\1/p' <<<"$record")
        case $state in
        COMPLETED) break ;;
        PENDING | CONFIGURING | RUNNING | COMPLETING) ;;
        *) fail "the merge job $merge_job ended $state ($reason)" ;;
        esac
        if [[ $reason == DependencyNeverSatisfied ]]; then
            fail "a shard failed, so the merge job $merge_job can never start"
        fi
        if ((SECONDS - started > timeout_seconds)); then
            fail "the merge job $merge_job is still $state ($reason) after $timeout_seconds s"
        fi
        sleep 2
    done
    say "$command: shards and merge done in $((SECONDS - started)) s"

    # SSCSIM_CPUS_PER_TASK reached sbatch, and SLURM_CPUS_PER_TASK the shards.
    for job in "$array_job" "$merge_job"; do
        scontrol -o show job "$job" | grep -q ' CPUs/Task=1 ' ||
            fail "job $job did not ask for 1 CPU per task"
    done
    for shard in $(seq 1 "$shards"); do
        grep -qx 'threads = 1' "$out/shards/$shard/manifest.toml" ||
            fail "shard $shard did not run with --threads 1"
    done
}

# Checks that MERGED has the files of SINGLE, each the same bytes but
# manifest.toml, compared without the keys a merge writes differently.
compare_with_single() {
    local single=$1 merged=$2
    local differing_keys='^(command|threads|started_at|finished_at|merged_shards) = '
    local compared=0 file
    diff <(cd "$single" && find . -type f | sort) <(cd "$merged" && find . -type f | sort) >&2 ||
        fail "the merged folder and the single run's do not have the same files"
    grep -qx 'command = "merge"' "$merged/manifest.toml" &&
        grep -qx "merged_shards = $shards" "$merged/manifest.toml" ||
        fail "the merged manifest.toml does not say it merged $shards shards"
    while IFS= read -r file; do
        if [[ $file == ./manifest.toml ]]; then
            diff <(grep -Ev "$differing_keys" "$single/$file") \
                <(grep -Ev "$differing_keys" "$merged/$file") >&2 ||
                fail "manifest.toml differs beyond command, threads, times and merged_shards"
        else
            cmp "$single/$file" "$merged/$file" >&2 ||
                fail "$file of the merged shards differs from the single run's"
        fi
        compared=$((compared + 1))
    done < <(cd "$single" && find . -type f | sort)
    say "$compared files of the merged folder match the single run's" \
        "(manifest.toml without command, threads, started_at, finished_at, merged_shards)"
}

# The commands deploy/slurm-array.sh can split into shards (SSCSIM_COMMAND),
# each with its scenario, replications and options, checked against the
# same command in one process, given the scenario path the shards were
# given. pool's shards split its heuristic search's restarts (2 each) and
# its two Shapley blocks after the pilot (one each, none in the third).
while IFS='|' read -r -u 3 command scenario replications options single_options; do
    scenario=$repo/scenarios/$scenario
    run_through_slurm "$command" "$scenario" "$replications" "$options" "$work/$command/sharded"
    read -r -a single_options <<<"$options $single_options"
    "$sscsim" "$command" "$(realpath "$scenario")" --replications "$replications" \
        --seed "$seed" "${single_options[@]}" --quiet --out "$work/$command/single" >/dev/null
    compare_with_single "$work/$command/single" "$work/$command/sharded/merged"
done 3<<'COMMANDS'
run|budapest-joint.toml|60||
pool|un-system-ssc.toml|3|--restarts 6 --shapley-blocks 2|--search heuristic
COMMANDS
