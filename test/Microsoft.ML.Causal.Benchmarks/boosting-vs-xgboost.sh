#!/usr/bin/env bash
# Gradient boosting side by side with XGBoost's `hist` method (issue 3 benchmark; not part of CI).
# Installs Debian's xgboost command-line tool if absent; the project itself does not depend on it.
# The two tools run alternately, REPEATS times each, so drifts in the machine's speed hit both alike;
# the script prints every run and the medians.
# Usage: boosting-vs-xgboost.sh [ROWS] [TREES] [REPEATS] [regression|binary]
set -euo pipefail
rows=${1:-1000000}; trees=${2:-500}; repeats=${3:-3}; task=${4:-regression}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${TMPDIR:-/tmp}/causal-bench/xgb
mkdir -p "$work"
command -v xgboost >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xgboost >/dev/null; }

dotnet build "$root/test/Microsoft.ML.Causal.Benchmarks" -c Release -v q >/dev/null
bench="dotnet $root/test/Microsoft.ML.Causal.Benchmarks/bin/Release/net10.0/Microsoft.ML.Causal.Benchmarks.dll"
[ -f "$work/$task-train.csv" ] || $bench harness boosting --rows "$rows" --trees 1 --task "$task" --csv "$work" >/dev/null
if [ "$task" = binary ]; then objective=binary:logistic; metric=auc; weight=5; else objective=reg:squarederror; metric=rmse; weight=20; fi

cat > "$work/$task.conf" <<CONF
booster = gbtree
objective = $objective
eta = 0.1
tree_method = hist
grow_policy = lossguide
max_leaves = 31
max_depth = 0
min_child_weight = $weight
lambda = 0
max_bin = 256
num_round = $trees
nthread = 2
data = "$work/$task-train.csv?format=csv&label_column=0"
eval[test] = "$work/$task-test.csv?format=csv&label_column=0"
eval_metric = $metric
model_out = $work/$task.model
CONF
sed "s/num_round = $trees/num_round = 1/" "$work/$task.conf" > "$work/${task}1.conf"

ours=(); xgb=(); xgbload=()
for i in $(seq "$repeats"); do
  line=$($bench harness boosting --rows "$rows" --trees "$trees" --task "$task" | tail -1)
  echo "ours:    $line"
  ours+=("$(sed -E 's/.*fit ([0-9.]+) s.*/\1/' <<<"$line")")
  start=$(date +%s.%N); out=$(xgboost "$work/${task}1.conf" 2>&1); end=$(date +%s.%N)
  xgbload+=("$(echo "$end - $start" | bc)")
  start=$(date +%s.%N); out=$(xgboost "$work/$task.conf" 2>&1); end=$(date +%s.%N)
  xgb+=("$(echo "$end - $start" | bc)")
  echo "xgboost: total $(echo "$end - $start" | bc) s (load + 1 round ${xgbload[-1]} s), $(grep -o "test-$metric:[0-9.]*" <<<"$out" | tail -1)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mo=$(median "${ours[@]}"); mx=$(median "${xgb[@]}"); ml=$(median "${xgbload[@]}")
echo "median fit: ours $mo s; xgboost total $mx s, of which loading + first round $ml s; ratio ours / (xgboost − loading) = $(echo "scale=2; $mo / ($mx - $ml)" | bc)"
