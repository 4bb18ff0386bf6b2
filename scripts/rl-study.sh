#!/usr/bin/env bash
# The RL-learns study behind docs/RESULTS.md: the default configuration over seeds, each with its shuffled-reward
# control (same seed, same warm start, rewards permuted across each batch: same update size, no signal).
#
#   scripts/rl-study.sh [OUT_DIR] [SEEDS...]        e.g. scripts/rl-study.sh runs/study 1 2 3
#
# Every run is `grpo-lambda train` (the colocated loop, the same defaults as `run`) with mean@8 at evaluations;
# finished runs are not repeated (a run directory resumes). Prints one table row per seed and the means.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/study}
shift || true
SEEDS=${*:-1 2 3}
BIN=.build/release/grpo-lambda
[ -x "$BIN" ] || swift build -c release --product grpo-lambda >&2
mkdir -p "$OUT"
for seed in $SEEDS; do
  "$BIN" train --run-dir "$OUT/seed-$seed" --seed "$seed" --eval-samples 8 > /dev/null
  mkdir -p "$OUT/shuffled-$seed"
  if [ ! -e "$OUT/shuffled-$seed/warm_start" ]; then cp -r "$OUT/seed-$seed/warm_start" "$OUT/shuffled-$seed/"; fi
  "$BIN" train --run-dir "$OUT/shuffled-$seed" --seed "$seed" --eval-samples 8 --set shuffle_rewards=true > /dev/null
done
python3 - "$OUT" $SEEDS <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
def load(name):
    return json.load(open(f"{out}/{name}/summary.json"))
rows = []
print("| seed | warm start greedy | warm start mean@8 | RL greedy | RL mean@8 | shuffled greedy | shuffled mean@8 | RL minutes |")
print("|---|---|---|---|---|---|---|---|")
for s in seeds:
    r, c = load(f"seed-{s}"), load(f"shuffled-{s}")
    row = [r["warm_start_accuracy"], r["warm_start_mean_at_k"], r["final_accuracy"], r["final_mean_at_k"],
           c["final_accuracy"], c["final_mean_at_k"], r["seconds"] / 60]
    rows.append(row)
    print(f"| {s} | " + " | ".join(f"{100*x:.1f}%" for x in row[:6]) + f" | {row[6]:.1f} |")
n = len(rows)
mean = [sum(r[i] for r in rows) / n for i in range(7)]
print("| mean | " + " | ".join(f"{100*x:.1f}%" for x in mean[:6]) + f" | {mean[6]:.1f} |")
print(f"\nRL gain over the warm start: greedy {100*(mean[2]-mean[0]):+.1f} points, mean@8 {100*(mean[3]-mean[1]):+.1f} points;"
      f" shuffled control: greedy {100*(mean[4]-mean[0]):+.1f}, mean@8 {100*(mean[5]-mean[1]):+.1f}")
PY
