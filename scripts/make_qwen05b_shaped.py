"""A stand-in for Qwen2.5-0.5B-Instruct where the Hugging Face Hub is out of reach: transformers' Qwen2ForCausalLM
with Qwen2.5-0.5B's exact config (494 M parameters, tied embeddings) and random weights, saved in bfloat16 as the
real checkpoint is, with the real Qwen tokenizer (Tests/PolicyTests/Fixtures/qwen-tokenizer) and the real
Qwen2.5-Instruct chat template. Same shapes, same tokenizer, same prompt: the memory and speed of training the real
model, not its accuracy. Used for docs/PERFORMANCE.md ("Training a Hugging Face model") and the README's commands.

    ~/.venvs/torch-peer/bin/python scripts/make_qwen05b_shaped.py OUT_DIR
"""
import json
import os
import shutil
import subprocess
import sys

import torch
from transformers import Qwen2Config, Qwen2ForCausalLM

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "PolicyTests", "Fixtures")


def main(out):
    os.makedirs(out, exist_ok=True)
    config = Qwen2Config(vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
                         num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
                         rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True, bos_token_id=151643,
                         eos_token_id=151645, sliding_window=None, use_sliding_window=False)
    torch.manual_seed(0)
    if not os.path.exists(os.path.join(out, "model.safetensors")):
        model = Qwen2ForCausalLM(config).to(torch.bfloat16)
        print("parameters", sum(p.numel() for p in model.parameters()))
        model.save_pretrained(out, safe_serialization=True)
    subprocess.run(["zstd", "-d", "-f", "-q", os.path.join(FIXTURES, "qwen-tokenizer", "tokenizer.json.zst"),
                    "-o", os.path.join(out, "tokenizer.json")], check=True)
    with open(os.path.join(FIXTURES, "qwen-tokenizer", "tokenizer_config.json")) as f:
        tokenizer_config = json.load(f)
    with open(os.path.join(FIXTURES, "chat-templates", "qwen2.5", "tokenizer_config.json")) as f:
        tokenizer_config["chat_template"] = json.load(f)["chat_template"]
    tokenizer_config["eos_token"] = "<|im_end|>"
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump(tokenizer_config, f, indent=2)
    stale = os.path.join(out, "chat_template.jinja")
    if os.path.exists(stale):
        os.remove(stale)
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump({"bos_token_id": 151643, "eos_token_id": [151645, 151643], "do_sample": True}, f, indent=2)
    print(sorted(os.listdir(out)))


if __name__ == "__main__":
    main(sys.argv[1])
