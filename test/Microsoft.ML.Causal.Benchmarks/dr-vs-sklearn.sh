#!/usr/bin/env bash
# Issue 4's speed benchmark side by side: our DR-learner (library defaults, 5 folds) against EconML's DRLearner recipe
# run with scikit-learn 1.2.1's histogram boosting (dr-sklearn.py; EconML itself is not installable here) on the same
# Wager–Athey draw, with K = 5 and with EconML's default K = 2 folds. The tools run alternately REPEATS times, so
# drifts in the machine's speed hit both alike. Not part of CI.
# Usage: dr-vs-sklearn.sh [ROWS] [P] [REPEATS] [THREADS]
set -euo pipefail
rows=${1:-1000000}; p=${2:-20}; repeats=${3:-3}; threads=${4:-2}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${TMPDIR:-/tmp}/causal-bench/dr
mkdir -p "$work"
py=/usr/bin/python3   # Debian's Python, where Debian's python3-sklearn (1.2.1 on bookworm) installs
$py -c "import sklearn" 2>/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn >/dev/null; }
$py -c "import sklearn, sys; sys.exit(0 if sklearn.__version__ == '1.2.1' else 1)" \
  || echo "warning: scikit-learn $($py -c 'import sklearn; print(sklearn.__version__)') is not the 1.2.1 of peer-baselines.md" >&2
dotnet build "$root/test/Microsoft.ML.Causal.Benchmarks" -c Release -v q >/dev/null
bench="dotnet $root/test/Microsoft.ML.Causal.Benchmarks/bin/Release/net10.0/Microsoft.ML.Causal.Benchmarks.dll"
train="$work/WA-${rows}x${p}-train.csv"; test="$work/WA-${rows}x${p}-test.csv"
[ -f "$train" ] || $bench harness cate-csv --design WA --rows "$rows" --p "$p" --out "$work"
# Ours with scikit-learn's hyperparameters everywhere (dr-hgb), for the nuisances only (dr-hgb-nuisances: our default
# final stage), and the library defaults (dr); each followed by the recipe, so every pair ran in the same minutes.
for i in $(seq "$repeats"); do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  for method in dr-hgb dr-hgb-nuisances dr; do
    echo "ours $method (5 folds): $($bench child cate-accuracy WA "$rows" "$p" 1 5000 1 "$method" "$threads" | tail -1)"
    echo "sklearn DR, 5 folds: $($py "$here/dr-sklearn.py" "$train" "$test" 5 "$threads")"
  done
  echo "ours dr-hgb (2 folds): $($bench child cate-accuracy WA "$rows" "$p" 1 5000 1 dr-hgb:2 "$threads" | tail -1)"
  echo "sklearn DR, 2 folds: $($py "$here/dr-sklearn.py" "$train" "$test" 2 "$threads")"
done
