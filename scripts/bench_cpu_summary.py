#!/usr/bin/env python3
"""Issue 15's targets from a `scripts/bench_cpu.sh` directory, as a Markdown table to paste into PERFORMANCE.md.

    python3 scripts/bench_cpu_summary.py /tmp/bench-cpu

Each ratio is ours / PyTorch (engine, from the same round) or Protocol / raw nng (transport, ratio of medians from
one run; beside it the median of the ratios of adjacent runs, which the machine's drift moves less); a row whose
files are missing is left out, so a partial run still summarises what it has. Raw nng over tcp:// loopback with
each side's per-message work (loopback.txt, scripts/nng_tcp_spin.c) follows the table as it is.
"""
import json
import sys
from pathlib import Path

TARGETS = {"training": 1.2, "sampling": 2.5, "memory": 0.5, "transport": 0.8}


def load(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def engine_ratios(ours, torch):
    """SMALL training and sampling throughput and peak memory, ours against the peer's."""
    mine, theirs = ours["configs"]["small"], torch["configs"]["small"]
    return {
        "training": mine["train_tokens_per_s"]["median"] / theirs["train_tokens_per_s"]["median"],
        "sampling": mine["sample_new_tokens_per_s"]["median"] / theirs["sample_new_tokens_per_s"]["median"],
        "memory": ours["peak_rss_mib"] / torch["peak_rss_mib"],
    }


def met(name, value):
    return value <= TARGETS[name] if name == "memory" else value >= TARGETS[name]


def cell(name, values):
    text = ", ".join(f"{v:.2f}" for v in values)
    return f"{text} ({'met' if all(met(name, v) for v in values) else 'missed'})"


def main(directory):
    out = Path(directory)
    if not out.is_dir():
        sys.exit(f"{directory}: not a directory (run scripts/bench_cpu.sh {directory} first)")
    machine = load(out / "machine.json")
    lines = []
    if machine:
        lines.append(
            f"CPU: {machine.get('cpu_model')} (family/model {machine.get('cpu_family_model')}), "
            f"{machine.get('logical_cpus')} logical CPUs; features {' '.join(machine.get('vector_features', []))}; "
            f"OpenBLAS core {machine.get('openblas_core')} ({machine.get('openblas_core_source')}), decode kernel "
            f"{machine.get('decode_kernel')}"
            + (f", CRC32C {machine['crc32c']}" if machine.get("crc32c") else "")
            + (f" ({machine['crc32c_block_split']})" if machine.get("crc32c_block_split") else "")
        )
        lines.append("")
    lines += ["| what | target | measured |", "| --- | --- | --- |"]
    rounds = [(load(out / f"ours.{r}.json"), load(out / f"torch.{r}.json")) for r in (1, 2)]
    rounds = [engine_ratios(o, t) for o, t in rounds if o and t]
    peer = load(out / "torch.1.json")
    peer_name = peer["peer"] if peer else "PyTorch"
    for name in ("training", "sampling", "memory"):
        if rounds:
            target = f"{'≤' if name == 'memory' else '≥'} {TARGETS[name]}×"
            lines.append(f"| engine SMALL {name} vs {peer_name}, rounds 1, 2 | {target} | {cell(name, [r[name] for r in rounds])} |")
    avx2_ours, avx2_torch = load(out / "ours-avx2-choices.json"), load(out / "torch-avx2.json")
    if avx2_ours and avx2_torch:
        ratios = engine_ratios(avx2_ours, avx2_torch)
        measured = ", ".join(f"{name} {cell(name, [ratios[name]])}" for name in ("training", "sampling", "memory"))
        lines.append(f"| engine SMALL, both held to AVX2 | as above | {measured} |")
    for path in sorted(out.glob("transport-*.json")):
        report = load(path)
        if not report:
            continue
        crc = report.get("crc32c_implementation", path.stem.removeprefix("transport-"))
        split = report.get("crc32c_block_splits", {}).get(crc)
        for row in report["results"]:
            extra = ""
            if "ratio_of_adjacent_runs" in row:
                extra += f"; adjacent runs {row['ratio_of_adjacent_runs']['median']:.2f}"
            if "ratio_payload_checksummed" in row:
                extra += f"; payload checksummed {row['ratio_payload_checksummed']:.2f}"
            lines.append(
                f"| transport {row['transport']} {row['bytes']:,} B, CRC32C {crc}{f' ({split})' if split else ''} | "
                f"≥ {TARGETS['transport']}× raw nng | {cell('transport', [row['ratio']])} "
                f"(Protocol {row['protocol_MBps']['median']:.0f} / raw {row['raw_MBps']['median']:.0f} MB/s{extra}) |"
            )
    loopback = out / "loopback.txt"
    if loopback.exists():
        lines += ["", "Raw nng, tcp:// loopback, 256 KiB, per-message work on each side (scripts/nng_tcp_spin.c):", "",
                  "```", loopback.read_text().rstrip(), "```"]
    print("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: bench_cpu_summary.py DIRECTORY")
    main(sys.argv[1])
