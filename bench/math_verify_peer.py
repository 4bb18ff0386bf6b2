#!/usr/bin/env python3
"""Math-Verify peer for `grpo-bench verifier`: grades a verifier case file with Hugging Face's Math-Verify.

Set up once (outside the repository):
    python3 -m venv ~/.venvs/math-verify
    ~/.venvs/math-verify/bin/pip install 'math-verify[antlr4_13_2]'
Run:
    ~/.venvs/math-verify/bin/python bench/math_verify_peer.py --cases ../shared/reference/verifier_cases.jsonl

Each case is graded single-process as `verify(parse('$' + gold + '$'), parse(prediction))`, the call the issue
names. Prints ONE JSON object on stdout with the keys of `grpo-bench verifier` (DESIGN.md §8):
{"cases", "agreement", "pairs_per_s": {"median", "min", "max"}, "p50_ms", "p99_ms", "max_ms", "per_category"},
each category with its false negatives (expected correct, graded not) and false positives.
Progress goes to stderr. Latencies are per pair (parse of both sides plus verify), taken from the fastest repeat.
"""
import argparse
import json
import signal
import statistics
import sys
import time

from math_verify import parse, verify


def grade(gold: str, prediction: str) -> bool:
    try:
        return bool(verify(parse("$" + gold + "$"), parse(prediction)))
    except Exception:  # Math-Verify raises on some hostile inputs; count that as "not correct".
        return False


def main() -> None:
    # Math-Verify's per-call timeout is SIGALRM. A parent that spawned us from a thread with signals blocked
    # (`grpo-bench verifier --peer-python`: Swift's Process passes on its thread's mask) would leave it blocked, and a
    # hostile case would then run for ever; unblock it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", required=True, help="JSONL file with id, category, gold, prediction, expected")
    ap.add_argument("--repeats", type=int, default=1, help="timed passes over the file (default 1: it is slow)")
    args = ap.parse_args()

    cases = [json.loads(line) for line in open(args.cases, encoding="utf-8") if line.strip()]
    rates, best_latencies, verdicts = [], None, None
    for r in range(args.repeats):
        latencies, got = [], []
        start = time.perf_counter()
        for i, case in enumerate(cases):
            t0 = time.perf_counter()
            got.append(grade(case["gold"], case["prediction"]))
            latencies.append((time.perf_counter() - t0) * 1000.0)
            if i % 50 == 0:
                print(f"repeat {r + 1}: {i}/{len(cases)}", file=sys.stderr, flush=True)
        elapsed = time.perf_counter() - start
        rates.append(len(cases) / elapsed)
        if best_latencies is None or sum(latencies) < sum(best_latencies):
            best_latencies = latencies
        verdicts = got

    per_category: dict[str, dict[str, float]] = {}
    agree = 0
    for case, verdict in zip(cases, verdicts):
        ok = verdict == bool(case["expected"])
        agree += ok
        entry = per_category.setdefault(case["category"], {"cases": 0, "agree": 0, "fn": 0, "fp": 0})
        entry["cases"] += 1
        entry["agree"] += ok
        if not ok:
            entry["fn" if case["expected"] else "fp"] += 1
    ordered = sorted(best_latencies)
    result = {
        "peer": "math-verify",
        "cases": len(cases),
        "agreement": agree / len(cases),
        "pairs_per_s": {"median": statistics.median(rates), "min": min(rates), "max": max(rates)},
        "p50_ms": ordered[len(ordered) // 2],
        "p99_ms": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "max_ms": ordered[-1],
        "false_negatives": sum(v["fn"] for v in per_category.values()),
        "false_positives": sum(v["fp"] for v in per_category.values()),
        "per_category": {k: {"cases": v["cases"], "agreement": v["agree"] / v["cases"],
                             "false_negatives": v["fn"], "false_positives": v["fp"]}
                         for k, v in sorted(per_category.items())},
        "disagreements": [c["id"] for c, v in zip(cases, verdicts) if v != bool(c["expected"])],
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
