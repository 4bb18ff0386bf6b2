"""Writes the tokenizer benchmark's text: about 8 MB of varied lines, deterministic for a given Python.

Mix (by bytes, roughly): curriculum-like arithmetic and word problems with worked solutions (40%), LaTeX-heavy
solutions (15%), English prose and code from the Python standard library's docstrings (35%), and multilingual
lines with CJK, accents, emoji and symbols (10%). Records keep their own newlines and indentation; the
benchmarks encode the file line by line, each line with its trailing newline.

    python3 bench/make_tokenizer_text.py /tmp/tokenizer-bench.txt [megabytes]
"""
import importlib
import inspect
import random
import sys

NAMES = ["Natalia", "Weng", "Betty", "Julie", "James", "Albert", "Ken", "Alexis", "Tina", "Randy", "Joy", "Mark"]
ITEMS = ["clips", "apples", "books", "marbles", "cookies", "pages", "stamps", "pencils", "tickets", "shells"]
MULTILINGUAL = [
    "数学是科学的语言。一加一等于二，二加二等于四。",
    "日本語のテキストとカタカナ、ひらがな、漢字が混ざっています。",
    "한국어 문장입니다. 수학 문제를 풀어 봅시다.",
    "Привет, мир! Сколько будет 12 × 7? Ответ: 84.",
    "مرحبا بالعالم. الجواب هو ٤٢.",
    "Γειά σου κόσμε· π ≈ 3.14159, ∑ₖ k² = n(n+1)(2n+1)/6.",
    "Café, naïve, résumé, Ångström, façade, jalapeño, Zürich.",
    "Emoji: 🤖🚀✨ 👩‍👩‍👧‍👦 🇩🇪🇯🇵 👍🏽 — done ✅",
    "नमस्ते दुनिया। गणित बहुत रोचक है।",
    "∀ε>0 ∃δ>0: |x−a|<δ ⇒ |f(x)−f(a)|<ε; ∫₀¹ x² dx = ⅓.",
]


def arithmetic(rng):
    a, b = rng.randint(0, 9999), rng.randint(1, 999)
    op = rng.choice(["+", "-", "*", "/"])
    value = {"+": a + b, "-": a - b, "*": a * b, "/": round(a / b, 4)}[op]
    return f"Question: What is {a} {op} {b}?\nAnswer: {a} {op} {b} = {value}\n#### {value}"


def word_problem(rng):
    name, item = rng.choice(NAMES), rng.choice(ITEMS)
    a, b, c = rng.randint(2, 99), rng.randint(2, 9), rng.randint(1, 50)
    return (f"{name} has {a} {item}. She buys {b} times as many, then gives away {c}. How many {item} does "
            f"{name} have now?\n{name} buys {a}*{b} = <<{a}*{b}={a * b}>>{a * b} {item}.\n"
            f"Then {name} has {a}+{a * b}-{c} = <<{a}+{a * b}-{c}={a + a * b - c}>>{a + a * b - c} {item}.\n"
            f"#### {a + a * b - c}")


def latex(rng):
    n, k = rng.randint(2, 30), rng.randint(1, 9)
    return (f"We compute $\\sum_{{i=1}}^{{{n}}} i^{k}$ and $\\int_0^{{{n}}} x^{{{k}}}\\,dx = \\frac{{{n}^{{{k + 1}}}}}"
            f"{{{k + 1}}}$. Since $\\sqrt{{{n * n}}} = {n}$, the answer is $\\boxed{{\\frac{{{n}}}{{{k}}}}}$.")


def prose_lines():
    lines = []
    for module in sorted(name for name in sys.stdlib_module_names if not name.startswith("_")):
        if module in {"antigravity", "this", "idlelib", "turtledemo", "tkinter", "turtle"}:
            continue
        try:
            mod = importlib.import_module(module)
        except Exception:
            continue
        for _, member in sorted(inspect.getmembers(mod), key=lambda kv: kv[0]):
            doc = inspect.getdoc(member) if callable(member) else None
            if doc:
                lines.append(doc)
    return lines


def main():
    path = sys.argv[1]
    target = int(float(sys.argv[2] if len(sys.argv) > 2 else 8) * 1_000_000)
    rng = random.Random(20261123)
    prose = prose_lines()
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            roll = rng.random()
            if roll < 0.2:
                line = arithmetic(rng)
            elif roll < 0.4:
                line = word_problem(rng)
            elif roll < 0.55:
                line = latex(rng)
            elif roll < 0.9:
                line = rng.choice(prose)
            else:
                line = " ".join(rng.choice(MULTILINGUAL) for _ in range(rng.randint(1, 3)))
            out.write(line + "\n")
            written += len(line.encode("utf-8")) + 1
    print(path, written, "bytes")


if __name__ == "__main__":
    main()
