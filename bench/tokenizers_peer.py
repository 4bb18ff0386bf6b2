"""Peer for `grpo-bench tokenizer`: Hugging Face `tokenizers` (Rust) encoding the same text on one thread.

    RAYON_NUM_THREADS=1 python3 bench/tokenizers_peer.py --tokenizer tokenizer.json --text FILE [--repeats 5]

Encodes the file line by line (each line with its trailing newline, `encode(line, add_special_tokens=False)`),
which is what `grpo-bench tokenizer` does; `--batch` uses one `encode_batch` call per repeat instead (still one
thread with RAYON_NUM_THREADS=1). `whole_text_MBps` times one `encode` call on the entire file, as `grpo-bench
tokenizer` also reports. Prints one JSON object: {"bytes", "tokens", "encode_MBps": {"median", "min", "max"},
"whole_text_MBps": {...}, "whole_text_tokens", "mode", "load_s", "tokenizers_version"}; MB are 10^6 bytes.
"""
import argparse
import json
import os
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import tokenizers  # noqa: E402  (after the thread settings)
from tokenizers import Tokenizer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--text", required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--batch", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    tokenizer = Tokenizer.from_file(args.tokenizer)
    load_s = time.perf_counter() - start
    # Split at b"\n" only, keeping it (readlines() in text mode would also split at \r and translate \r\n).
    with open(args.text, "rb") as f:
        data = f.read()
    parts = data.split(b"\n")
    lines = [part.decode("utf-8") + "\n" for part in parts[:-1]] + ([parts[-1].decode("utf-8")] if parts[-1] else [])
    total_bytes = sum(len(line.encode("utf-8")) for line in lines)

    rates = []
    tokens = 0
    for _ in range(args.repeats):
        start = time.perf_counter()
        if args.batch:
            encodings = tokenizer.encode_batch(lines, add_special_tokens=False)
            count = sum(len(e.ids) for e in encodings)
        else:
            count = 0
            for line in lines:
                count += len(tokenizer.encode(line, add_special_tokens=False).ids)
        elapsed = time.perf_counter() - start
        rates.append(total_bytes / elapsed / 1e6)
        tokens = count
    whole = "".join(lines)
    whole_rates = []
    whole_tokens = 0
    for _ in range(args.repeats):
        start = time.perf_counter()
        whole_tokens = len(tokenizer.encode(whole, add_special_tokens=False).ids)
        whole_rates.append(total_bytes / (time.perf_counter() - start) / 1e6)

    def summary(values):
        ordered = sorted(values)
        return {"median": ordered[len(ordered) // 2], "min": ordered[0], "max": ordered[-1]}

    print(json.dumps({
        "bytes": total_bytes, "tokens": tokens, "encode_MBps": summary(rates),
        "whole_text_MBps": summary(whole_rates), "whole_text_tokens": whole_tokens,
        "mode": "encode_batch" if args.batch else "encode per line", "load_s": load_s,
        "tokenizers_version": tokenizers.__version__,
    }))


if __name__ == "__main__":
    main()
