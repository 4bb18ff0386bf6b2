"""Builds small byte-level BPE tokenizers that exercise what the shared references and the Qwen fixture do not,
for BPETokenizerVariantsTests: the Llama-3 split pattern (digits in runs of up to 3) with a TemplateProcessing
post-processor, Qwen3.5's pattern (marks count as letters), GPT-2's ByteLevel with add_prefix_space, merges
in the legacy "left right" spelling, and added tokens with lstrip / rstrip / single_word / normalized.

    ~/.venvs/tok/bin/python Tests/PolicyTests/Fixtures/make_tokenizer_variants_fixture.py

Writes tokenizer-variants/<name>/tokenizer.json and expected.json: per text the ids of
encode(add_special_tokens=False) and (=True), and decode() with and without skip_special_tokens.
"""
import json
import os
import random

from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

from make_qwen_tokenizer_fixture import TEXTS, fuzz_texts

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tokenizer-variants")
LLAMA3 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
QWEN35 = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?[\p{L}\p{M}]+|\p{N}| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
SPECIALS = ["<|begin_of_text|>", "<|eot_id|>"]

EXTRA_TEXTS = [
    "flags: [MASK] around  [MASK]  spaces\t[MASK]\nand[MASK]glued",
    "single words: foo is alone, foobar is not, (foo) is, _foo and foo_ are not, 3foo neither, foo.",
    "normalized bar: bar, barn, cafe\u0301 bar, ba\u0301r",
    "digits 1234567 12 1 123456789012 and ١٢٣٤ and ½¾",
    "marks: नमस्ते, cafe\u0301, a\u0308\u0301b, ก่อน, \u0301leading",
]


def corpus(seed=7):
    rng = random.Random(seed)
    words = ["the", "answer", "is", "sum", "of", "and", "foo", "bar", "mask", "total", "नमस्ते", "数学", "café"]
    lines = []
    for _ in range(2000):
        lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(2, 9)))
                     + f" {rng.randint(0, 99999)} = \\frac{{{rng.randint(1, 9)}}}{{{rng.randint(1, 9)}}}\n")
    return lines + TEXTS + EXTRA_TEXTS


def train(pre_tokenizer, normalizer=None):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizer
    tok.pre_tokenizer = pre_tokenizer
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(corpus(), trainer)
    tok.add_tokens([AddedToken("[MASK]", lstrip=True, rstrip=True, normalized=False),
                    AddedToken("foo", single_word=True, normalized=False),
                    AddedToken("bar", normalized=True)])
    return tok


def variants():
    llama = train(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]))
    bos, eot = llama.token_to_id(SPECIALS[0]), llama.token_to_id(SPECIALS[1])
    llama.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single=f"{SPECIALS[0]} $A {SPECIALS[1]}",
                                      pair=f"{SPECIALS[0]} $A {SPECIALS[1]} $B:1 {SPECIALS[1]}:1",
                                      special_tokens=[(SPECIALS[0], bos), (SPECIALS[1], eot)])])
    qwen35 = train(pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN35), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)]), normalizer=normalizers.NFC())
    gpt2 = train(pre_tokenizers.ByteLevel(add_prefix_space=True, use_regex=True), normalizer=normalizers.NFC())
    return [("llama3-template", llama, False), ("qwen35-marks", qwen35, False), ("gpt2-prefix-legacy", gpt2, True)]


def main():
    texts = TEXTS + EXTRA_TEXTS + fuzz_texts(count=60, seed=23)
    for name, tok, legacy_merges in variants():
        out = os.path.join(HERE, name)
        os.makedirs(out, exist_ok=True)
        path = os.path.join(out, "tokenizer.json")
        tok.save(path)
        if legacy_merges:
            with open(path) as f:
                data = json.load(f)
            data["model"]["merges"] = [" ".join(pair) for pair in data["model"]["merges"]]
            with open(path, "w") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
        tok = Tokenizer.from_file(path)
        cases = []
        for text in texts:
            ids = tok.encode(text, add_special_tokens=False).ids
            cases.append({"text": text, "ids": ids,
                          "ids_with_specials": tok.encode(text, add_special_tokens=True).ids,
                          "decoded": tok.decode(ids, skip_special_tokens=False),
                          "decoded_skipping_specials": tok.decode(ids, skip_special_tokens=True)})
        with open(os.path.join(out, "expected.json"), "w") as f:
            json.dump({"vocab_size": tok.get_vocab_size(with_added_tokens=True), "cases": cases}, f,
                      ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print(name, tok.get_vocab_size(with_added_tokens=True), len(cases))


if __name__ == "__main__":
    main()
