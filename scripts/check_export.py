"""Checks that transformers loads a directory grpo-lambda wrote (`grpo-lambda export`, or a checkpoint of a run started
with --model) and computes the same thing from it: the log-probs of a greedy continuation that `grpo-lambda generate
--json` produced, and the same greedy tokens. Prints one JSON object (max abs log-prob difference, tokens equal).
Not part of CI (it needs torch):

    ~/.venvs/torch-peer/bin/python scripts/check_export.py DIR [PROMPT] [--grpo-lambda .build/release/grpo-lambda]
"""
import argparse
import glob
import json
import os
import struct
import subprocess

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer


def stored_dtypes(directory):
    """The dtypes in the directory's safetensors headers (what is on disk, before any conversion on load)."""
    found = set()
    for path in glob.glob(os.path.join(directory, "*.safetensors")):
        with open(path, "rb") as f:
            header = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
        found |= {v["dtype"] for k, v in header.items() if k != "__metadata__"}
    return sorted(found)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("directory")
    parser.add_argument("prompt", nargs="?", default="Tom has 3 apples and buys 4 more. How many apples does he have?")
    parser.add_argument("--grpo-lambda", default=".build/release/grpo-lambda")
    parser.add_argument("--tokens", type=int, default=16)
    args = parser.parse_args()

    ours = json.loads(subprocess.run(
        [args.grpo_lambda, "generate", "--model", args.directory, "--prompt", args.prompt, "--max-new-tokens",
         str(args.tokens), "--json", "--threads", "1"], check=True, capture_output=True, text=True).stdout)
    tokenizer = AutoTokenizer.from_pretrained(args.directory)
    model = AutoModelForCausalLM.from_pretrained(args.directory, dtype=torch.float32).eval()
    prompt_ids = tokenizer(args.prompt, add_special_tokens=True)["input_ids"]
    ids = torch.tensor([ours["prompt_ids"] + ours["ids"]])
    with torch.no_grad():
        logprobs = model(ids).logits[0].float().log_softmax(-1)
        greedy = model.generate(torch.tensor([ours["prompt_ids"]]), attention_mask=torch.ones(1, len(ours["prompt_ids"]), dtype=torch.long),
                                do_sample=False, max_new_tokens=len(ours["ids"]), pad_token_id=0)
    start = len(ours["prompt_ids"]) - 1
    theirs = [logprobs[start + i, t].item() for i, t in enumerate(ours["ids"])]
    diff = max(abs(a - b) for a, b in zip(theirs, ours["logprobs"])) if theirs else 0.0
    print(json.dumps({
        "directory": args.directory, "dtype_on_disk": stored_dtypes(args.directory), "prompt_ids_equal":
        prompt_ids == ours["prompt_ids"], "greedy_tokens_equal": greedy[0, len(ours["prompt_ids"]):].tolist() == ours["ids"],
        "tokens": len(ours["ids"]), "max_abs_logprob_diff": diff, "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
