#!/usr/bin/env bash
# The RL-learns study behind docs/RESULTS.md: the default configuration over seeds, each with its shuffled-reward
# control (same seed, same warm start, rewards permuted across each batch: same update size, no signal).
#
#   scripts/rl-study.sh [OUT_DIR] [SEEDS...]        e.g. scripts/rl-study.sh runs/study 1 2 3
#
# Per seed: the warm start once (`grpo-lambda sft`), copied to the control, then `grpo-lambda train` (the colocated
# loop, the same defaults as `run`) for the real run and the control, side by side on one thread each
# (SEQUENTIAL=1: one after the other on every core). Extra `--set FIELD=VALUE` arguments go in STUDY_SET
# (e.g. STUDY_SET="--set steps=60"). Finished runs are not repeated (a run directory resumes). Prints a
# markdown table, one row per seed, and the means.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-runs/study}
shift || true
SEEDS=${*:-1 2 3}
BIN=.build/release/grpo-lambda
[ -x "$BIN" ] || swift build -c release --product grpo-lambda >&2
EXTRA=(${STUDY_SET:-})
THREADS=()
[ "${SEQUENTIAL:-0}" = 1 ] || THREADS=(--set threads=1)
mkdir -p "$OUT"
for seed in $SEEDS; do
  real="$OUT/seed-$seed" control="$OUT/shuffled-$seed"
  echo "seed $seed: warm start" >&2
  "$BIN" sft --run-dir "$real" --seed "$seed" "${THREADS[@]}" "${EXTRA[@]}" > "$OUT/sft-$seed.json"
  mkdir -p "$control"
  [ -e "$control/warm_start" ] || cp -r "$real/warm_start" "$control/"
  echo "seed $seed: RL and its shuffled-reward control" >&2
  if [ "${SEQUENTIAL:-0}" = 1 ]; then
    "$BIN" train --run-dir "$real" --seed "$seed" "${EXTRA[@]}" > /dev/null
    "$BIN" train --run-dir "$control" --seed "$seed" --set shuffle_rewards=true "${EXTRA[@]}" > /dev/null
  else
    "$BIN" train --run-dir "$real" --seed "$seed" "${THREADS[@]}" "${EXTRA[@]}" > /dev/null &
    first=$!
    "$BIN" train --run-dir "$control" --seed "$seed" --set shuffle_rewards=true "${THREADS[@]}" "${EXTRA[@]}" > /dev/null
    wait "$first"
  fi
done
python3 - "$OUT" $SEEDS <<'PY'
import json, sys
out, seeds = sys.argv[1], sys.argv[2:]
def load(name):
    return json.load(open(f"{out}/{name}/summary.json"))
rows = []
print("| seed | warm start greedy | warm start mean@8 | RL greedy | RL mean@8 | shuffled greedy | shuffled mean@8 | RL run minutes |")
print("|---|---|---|---|---|---|---|---|")
for s in seeds:
    r, c = load(f"seed-{s}"), load(f"shuffled-{s}")
    row = [r["warm_start_accuracy"], r["warm_start_mean_at_k"], r["final_accuracy"], r["final_mean_at_k"],
           c["final_accuracy"], c["final_mean_at_k"], r["seconds"] / 60]
    rows.append(row)
    gain = f" ({100*(row[2]-row[0]):+.1f}, {100*(row[3]-row[1]):+.1f}; control {100*(row[4]-row[0]):+.1f}, {100*(row[5]-row[1]):+.1f})"
    print(f"| {s} | " + " | ".join(f"{100*x:.1f}%" for x in row[:6]) + f" | {row[6]:.1f} |" + gain)
n = len(rows)
mean = [sum(r[i] for r in rows) / n for i in range(7)]
print("| mean | " + " | ".join(f"{100*x:.1f}%" for x in mean[:6]) + f" | {mean[6]:.1f} |")
print(f"\nRL gain over the warm start: greedy {100*(mean[2]-mean[0]):+.1f} points, mean@8 {100*(mean[3]-mean[1]):+.1f} points;"
      f" shuffled control: greedy {100*(mean[4]-mean[0]):+.1f}, mean@8 {100*(mean[5]-mean[1]):+.1f}")
print("seeds that lost greedy accuracy: " + (", ".join(s for s, r in zip(seeds, rows) if r[2] < r[0]) or "none"))
PY
