#!/bin/bash
# Runs one sscsim scenario as a Slurm array job of shards, then merges them.
#
#   deploy/slurm-array.sh SCENARIO REPLICATIONS SHARDS OUT_DIR [SEED]
#
# Run it on the login node, from a folder every node sees (a shared file
# system): it submits itself twice —
#   1. an array job of SHARDS tasks, `--array=1-SHARDS`; task I runs
#      `sscsim run SCENARIO -n REPLICATIONS --shards SHARDS -o OUT_DIR/shards/I`
#      (with SSCSIM_COMMAND=pool, `sscsim pool SCENARIO -n REPLICATIONS
#      --search heuristic --shards SHARDS ...`: task I runs its block of the
#      search's restarts, so SHARDS must not exceed --restarts, default 8,
#      then the Shapley pilot, which every task computes, and its block of
#      the `--shapley-blocks B` Shapley blocks, which SSCSIM_ARGS must give).
#      sscsim reads the task's shard from SLURM_ARRAY_TASK_ID, counted from
#      SLURM_ARRAY_TASK_MIN, so `--array=0-2` would run the same shards;
#   2. a merge job that starts when every task has succeeded
#      (`--dependency=afterok:ARRAY_JOB`) and runs
#      `sscsim merge OUT_DIR/shards/* --out OUT_DIR/merged`.
# OUT_DIR/merged then holds exactly the files one process would have written
# with the same seed and -n (only manifest.toml's command, threads, times and
# merged_shards differ).
#
# Shard I runs replications under the indices they have in the whole run,
# so the results do not depend on SHARDS. Each task writes a replay file of
# its replications (about 3 KB each for the default scenario) for the merge.
#
# If a task fails, the merge job never starts (its dependency cannot be met):
# cancel it, run the failed task again (`sbatch --array=I deploy/slurm-array.sh
# ...` with SSCSIM_STEP=shard exported, or the sscsim command above by hand),
# then merge by hand. The merge refuses a set of shards with a replication
# missing or given twice, and names it.
#
# Environment:
#   SSCSIM                the sscsim binary (default: sscsim on the PATH);
#   SSCSIM_CPUS_PER_TASK  CPUs of each shard and of the merge (default 4),
#                         given to sbatch as --cpus-per-task, which overrides
#                         the #SBATCH line below; each step runs with
#                         --threads SLURM_CPUS_PER_TASK. A job asking for more
#                         CPUs than any node has never starts: lower it on
#                         small nodes (deploy/test-slurm.sh uses 1);
#   SSCSIM_COMMAND        the sscsim command to split into shards: run
#                         (default) or pool (its heuristic search);
#   SSCSIM_ARGS           more options for every shard, split at spaces,
#                         e.g. "--restarts 16 --shapley-blocks 4 --top 5"
#                         for pool, which needs --shapley-blocks (default
#                         none); the shards of one run must all get the same.
# Adjust the other #SBATCH lines to your cluster (partition, account, time).
#
# deploy/test-slurm.sh runs this script on a single-node Slurm and checks the
# merged folder against a single run, byte for byte.

#SBATCH --job-name=sscsim
#SBATCH --cpus-per-task=4
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --output=sscsim-%A_%a.log

set -euo pipefail

if [[ $# -lt 4 ]]; then
    echo "usage: $0 SCENARIO REPLICATIONS SHARDS OUT_DIR [SEED]" >&2
    exit 2
fi
scenario=$1
replications=$2
shards=$3
out=$4
seed=${5:-}
sscsim=${SSCSIM:-sscsim}
cpus_per_task=${SSCSIM_CPUS_PER_TASK:-4}
command=${SSCSIM_COMMAND:-run}
if ! [[ $cpus_per_task =~ ^[1-9][0-9]*$ ]]; then
    echo "SSCSIM_CPUS_PER_TASK=$cpus_per_task is not a number of CPUs; expected a whole number from 1" >&2
    exit 2
fi
# The commands sscsim can run as shards (`--shards N`) merged by `sscsim
# merge`, and the options a shard of each needs: pool splits only its
# heuristic search.
case $command in
run) command_options=() ;;
pool) command_options=(--search heuristic) ;;
*)
    echo "SSCSIM_COMMAND=$command cannot be split into shards; expected run or pool" >&2
    exit 2
    ;;
esac
read -r -a extra_options <<<"${SSCSIM_ARGS:-}"
# Refused by every shard otherwise: checked before anything is submitted.
if [[ $command == pool && " ${extra_options[*]} " != *" --shapley-blocks"[\ =]* ]]; then
    echo "SSCSIM_COMMAND=pool needs a fixed count of Shapley blocks for its shards: add" \
        "--shapley-blocks B to SSCSIM_ARGS (a single run with the same B gives the merged results)" >&2
    exit 2
fi
seed_option=()
if [[ -n $seed ]]; then
    seed_option=(--seed "$seed")
fi

case ${SSCSIM_STEP:-submit} in
submit)
    # On the login node: absolute paths, since the jobs may start elsewhere.
    scenario=$(realpath "$scenario")
    mkdir -p "$out/shards"
    out=$(realpath "$out")
    array_job=$(sbatch --parsable --array="1-$shards" \
        --cpus-per-task="$cpus_per_task" --export=ALL,SSCSIM_STEP=shard \
        "$0" "$scenario" "$replications" "$shards" "$out" "$seed")
    merge_job=$(sbatch --parsable --dependency="afterok:$array_job" \
        --cpus-per-task="$cpus_per_task" --job-name=sscsim-merge --output=sscsim-merge-%j.log \
        --export=ALL,SSCSIM_STEP=merge \
        "$0" "$scenario" "$replications" "$shards" "$out" "$seed")
    echo "submitted shards as array job $array_job and the merge as job $merge_job;"
    echo "results will be in $out/merged"
    ;;
shard)
    # One task of the array: its shard comes from SLURM_ARRAY_TASK_ID. The
    # folder is this task's alone; --force lets a requeued or re-run task
    # replace what a killed attempt left there.
    exec "$sscsim" "$command" "$scenario" --replications "$replications" "${seed_option[@]}" \
        "${command_options[@]}" "${extra_options[@]}" --shards "$shards" --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet --force \
        --out "$out/shards/$SLURM_ARRAY_TASK_ID"
    ;;
merge)
    # Checks that every shard is there once, then replays every shard's
    # replications in order (run) or merges the structures found and the
    # Shapley blocks, and solves the least core and nucleolus (pool).
    exec "$sscsim" merge "$out"/shards/* --out "$out/merged" \
        --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet --force
    ;;
*)
    echo "SSCSIM_STEP=${SSCSIM_STEP} is not a step; expected submit, shard or merge" >&2
    exit 2
    ;;
esac
