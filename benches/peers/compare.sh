#!/bin/sh
# Times sscsim on 1 and 2 threads and the NumPy peer on one core on the same
# work — benches/peer.toml, 2000 replications — in one hyperfine run, and
# prints the machine and the versions: the table of README "Performance".
# The peer runs twice: with its backlogs by age, as first written, and with
# the cumulative curves sscsim keeps its queues in (--queue curves).
#
#   benches/peers/compare.sh            # from anywhere in the repository
#   RUNS=10 ROUNDS=10 REPLICATIONS=2000 benches/peers/compare.sh
#
# Then the same commands again in ROUNDS rounds, each once a round
# (paired.py): the medians of the ratios within a round are the figures to
# quote when the machine's speed drifts between hyperfine's batches.
#
# Needs hyperfine (apt-get install hyperfine, or cargo install hyperfine --locked;
# hyperfine 2.0 needs Rust 1.97, so with an older Rust add --version 1.20.0),
# python3 (3.11+) with numpy (pip install numpy), and builds sscsim with
# `cargo build --release` (CARGO_TARGET_DIR is honoured).
set -eu
cd "$(dirname "$0")/../.."
REPLICATIONS=${REPLICATIONS:-2000}
RUNS=${RUNS:-5}
ROUNDS=${ROUNDS:-5}
cargo build --release --quiet
SSCSIM="${CARGO_TARGET_DIR:-target}/release/sscsim"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "$("$SSCSIM" --version); python3 $(python3 -c 'import platform; print(platform.python_version())'), numpy $(python3 -c 'import numpy; print(numpy.__version__)')"
# The statistics must agree before the times mean anything.
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$SSCSIM" run benches/peer.toml -n "$REPLICATIONS" -q -o "$OUT" > /dev/null
python3 benches/peers/numpy_peer.py -n "$REPLICATIONS" --check "$OUT" | tail -n 1

# One core for NumPy: no threaded BLAS (the peer uses none, but say so).
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
hyperfine --shell=none --warmup 1 --runs "$RUNS" \
    --export-markdown "$OUT/times.md" \
    -n "sscsim, 1 thread" "$SSCSIM run benches/peer.toml -n $REPLICATIONS -q -j 1" \
    -n "sscsim, 2 threads" "$SSCSIM run benches/peer.toml -n $REPLICATIONS -q -j 2" \
    -n "NumPy peer, 1 core" "python3 benches/peers/numpy_peer.py -n $REPLICATIONS" \
    -n "NumPy peer with sscsim's queues, 1 core" "python3 benches/peers/numpy_peer.py -n $REPLICATIONS --queue curves"
cat "$OUT/times.md"

OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
python3 benches/peers/paired.py "$ROUNDS" \
    "sscsim -j 1=$SSCSIM run benches/peer.toml -n $REPLICATIONS -q -j 1" \
    "sscsim -j 2=$SSCSIM run benches/peer.toml -n $REPLICATIONS -q -j 2" \
    "NumPy by age=python3 benches/peers/numpy_peer.py -n $REPLICATIONS" \
    "NumPy curves=python3 benches/peers/numpy_peer.py -n $REPLICATIONS --queue curves" \
    --ratio "NumPy by age/sscsim -j 1" --ratio "NumPy by age/sscsim -j 2" \
    --ratio "NumPy curves/sscsim -j 1" --ratio "NumPy curves/sscsim -j 2" \
    --ratio "sscsim -j 1/sscsim -j 2"
