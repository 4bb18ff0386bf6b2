"""Writes the small Hugging Face model directories that RunsTests trains through `--model`, with transformers'
own `save_pretrained` (CI does not need torch: these files are committed).

    python3 -m venv ~/.venvs/torch-peer && ~/.venvs/torch-peer/bin/pip install torch transformers tokenizers jinja2
    ~/.venvs/torch-peer/bin/python Tests/RunsTests/Fixtures/make_hf_models.py

hf-models/qwen2.5/ : a Qwen2ForCausalLM (tied embeddings, q/k/v bias) saved in bfloat16, with a byte-level BPE
                     trained on the problems below, Qwen's special tokens and the real Qwen2.5-Instruct chat template.
hf-models/llama3/  : a LlamaForCausalLM (untied head, llama3 RoPE scaling) saved in float32, with Llama-3's special
                     tokens and the real Llama-3.1/3.2-Instruct chat template.
gsm8k-20.jsonl     : 20 GSM8K-style problems (`question`, `answer` ending in `#### n`).
The chat templates are read from Tests/PolicyTests/Fixtures/chat-templates/*/tokenizer_config.json.
"""
import json
import os
import random

import torch
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
from transformers import (LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, Qwen2Config, Qwen2ForCausalLM)

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = os.path.join(HERE, "..", "..", "PolicyTests", "Fixtures", "chat-templates")


def problems():
    rng = random.Random(7)
    names = ["Tom", "Ana", "Lee", "Mia", "Sam"]
    things = ["apples", "books", "coins", "pens", "cards"]
    out = []
    for i in range(20):
        a, b = rng.randint(2, 40), rng.randint(2, 40)
        n, t = names[i % 5], things[(i * 3) % 5]
        if i % 2:
            q = f"{n} has {a} {t} and buys {b} more. How many {t} does {n} have now?"
            ans = f"{n} has {a} + {b} = {a + b} {t}.\n#### {a + b}"
        else:
            q = f"{n} has {a + b} {t} and gives away {b}. How many {t} are left?"
            ans = f"{n} has {a + b} - {b} = {a} {t} left.\n#### {a}"
        out.append({"question": q, "answer": ans})
    return out


def template(name):
    with open(os.path.join(TEMPLATES, name, "tokenizer_config.json")) as f:
        return json.load(f)["chat_template"]


# The split patterns of the real tokenizers (transformers 5 rebuilds Qwen2Tokenizer with Qwen's own pattern and NFC,
# so the fixture must use them for transformers and our loader to agree).
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+"
                 r"|\s+(?!\S)|\s+")
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")


def train_tokenizer(corpus, specials, pattern, nfc):
    tok = Tokenizer(models.BPE())
    if nfc:
        tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(pattern), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=400, special_tokens=specials,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus, trainer)
    return tok


def save(name, model_class, config_class, config_kwargs, specials, bos, eos, chat, dtype, seed, corpus, pattern, nfc):
    out = os.path.join(HERE, "hf-models", name)
    os.makedirs(out, exist_ok=True)
    tok = train_tokenizer(corpus, specials, pattern, nfc)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=bos, eos_token=eos)
    fast.chat_template = template(chat)
    fast.save_pretrained(out)
    ids = {s: tok.token_to_id(s) for s in specials}
    torch.manual_seed(seed)
    config = config_class(vocab_size=tok.get_vocab_size(), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                          num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256,
                          bos_token_id=ids.get(bos) if bos else None, eos_token_id=ids[eos], **config_kwargs)
    model = model_class(config).to(dtype).eval()
    model.save_pretrained(out, safe_serialization=True)
    print(name, "vocab", tok.get_vocab_size(), "dtype", dtype, "files", sorted(os.listdir(out)))


def main():
    rows = problems()
    with open(os.path.join(HERE, "gsm8k-20.jsonl"), "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")
    corpus = [r["question"] + " " + r["answer"] for r in rows] * 5 + [
        "Please reason step by step, and put your final answer within \\boxed{}.",
        "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.",
        "system user assistant Cutting Knowledge Date: December 2023 Today Date: 26 Jul 2024 0123456789",
    ]
    save("qwen2.5", Qwen2ForCausalLM, Qwen2Config, dict(tie_word_embeddings=True, rope_theta=1e6),
         ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], None, "<|im_end|>", "qwen2.5", torch.bfloat16, 11, corpus,
         QWEN2_PATTERN, True)
    save("llama3", LlamaForCausalLM, LlamaConfig,
         dict(tie_word_embeddings=False, rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0,
                                                           high_freq_factor=4.0, original_max_position_embeddings=64)),
         ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
         "<|begin_of_text|>", "<|eot_id|>", "llama3", torch.float32, 12, corpus, LLAMA3_PATTERN, False)


if __name__ == "__main__":
    main()
