"""Render chat-template fixtures with Hugging Face transformers' own apply_chat_template.

Reads chat-templates/<name>/tokenizer_config.json (chat_template copied byte for byte from the model's
tokenizer_config.json; bos/eos/pad as the model sets them — see README.md for where each came from), builds a
tiny stand-in tokenizer (a `tokenizers` WordLevel vocabulary plus the special tokens; rendering with
tokenize=False never looks at the vocabulary) and writes chat-templates/expected.json: a list of cases

    {"id", "template", "messages", "add_generation_prompt", "kwargs", ["tools",] "text"}

where "text" is exactly what `tokenizer.apply_chat_template(messages, tokenize=False,
add_generation_prompt=..., [tools=...], **kwargs)` returns. Cases with "tools" are extras (tool-calling branches);
a renderer without tools support can skip them.

Run from the repository root with a virtual environment outside the repo:

    python3 -m venv ~/.venvs/chat
    ~/.venvs/chat/bin/pip install transformers jinja2 tokenizers      # no torch needed
    ~/.venvs/chat/bin/python Tests/PolicyTests/Fixtures/make_chat_template_fixtures.py
"""

import json
import sys
from pathlib import Path

import jinja2
import tokenizers
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

HERE = Path(__file__).resolve().parent / "chat-templates"
TEMPLATES = ["qwen2.5", "qwen2", "llama3", "deepseek-r1-distill"]

# Llama-3 templates fall back to strftime_now("%d %b %Y") (today's date) when date_string is undefined;
# pass the template's own default explicitly so the output is deterministic.
LLAMA_KWARGS = {"date_string": "26 Jul 2024"}

SYSTEM = "You are a careful math tutor. Please reason step by step, and put your final answer within \\boxed{}."
USER = "What is 2 + 3?"
MATH = (
    "Solve $\\frac{1}{2}+x=3$.\n"
    "Put your final answer in \\boxed{}.\n"
    "Café, naïve, Größe, 数学题, Ответ — «guillemets», \"double\" and 'single' quotes, "
    "a tab\there, {braces}, {{ not_a_variable }}, {% not_a_tag %}, {# not_a_comment #}, "
    "<|im_end|> and </think> as plain text, emoji 🧮."
)
THINK_ANSWER = "<think>\nreasoning: 2 + 3 = 5\n</think>\n\nThe answer is \\boxed{5}."

TOOL = {
    "type": "function",
    "function": {
        "name": "calculator",
        "description": "Evaluate an arithmetic expression.",
        "parameters": {
            "type": "object",
            "properties": {"expression": {"type": "string", "description": "e.g. \"2 + 3\""}},
            "required": ["expression"],
        },
    },
}


def msg(role, content):
    return {"role": role, "content": content}


def cases_for(name):
    """(id, messages, add_generation_prompt, extra) for one template."""
    out = [
        ("user", [msg("user", USER)], True, {}),
        ("user_no_generation_prompt", [msg("user", USER)], False, {}),
        ("system_user", [msg("system", SYSTEM), msg("user", USER)], True, {}),
        (
            "multi_turn",
            [msg("system", SYSTEM), msg("user", USER), msg("assistant", "2 + 3 = 5."), msg("user", "And 5 * 7?")],
            True,
            {},
        ),
        ("math_latex_unicode", [msg("user", MATH)], True, {}),
        ("system_math_latex_unicode", [msg("system", SYSTEM), msg("user", MATH)], True, {}),
        (
            "think_in_history",
            [msg("user", USER), msg("assistant", THINK_ANSWER), msg("user", "Now add 1.")],
            True,
            {},
        ),
        (
            "full_conversation_no_generation_prompt",
            [msg("system", SYSTEM), msg("user", USER), msg("assistant", "The answer is \\boxed{5}.")],
            False,
            {},
        ),
        (
            "assistant_last_multiple_think_close",
            [msg("user", USER), msg("assistant", "<think>a</think>b</think>final answer")],
            False,
            {},
        ),
        ("whitespace_padded", [msg("system", "  \n Be brief. \n"), msg("user", "\n\n  Hello there.  \n\n")], True, {}),
        ("empty_user_content", [msg("user", "")], True, {}),
        (
            "second_system_message",
            [msg("system", "First system."), msg("user", USER), msg("system", "Second system."), msg("user", "Again?")],
            True,
            {},
        ),
    ]
    if name in ("qwen2.5", "llama3"):
        out.append(("tools", [msg("user", USER)], True, {"tools": [TOOL]}))
    return out


def special(value):
    # tokenizer_config.json writes special tokens as strings, null, or {"__type": "AddedToken", "content": ...}
    if isinstance(value, dict):
        return value["content"]
    return value


def load_tokenizer(name):
    cfg = json.loads((HERE / name / "tokenizer_config.json").read_text(encoding="utf-8"))
    specials = {k: special(cfg.get(k)) for k in ("bos_token", "eos_token", "pad_token")}
    backend = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "hello": 1}, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.add_special_tokens([t for t in specials.values() if t is not None])
    tok = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", **specials)
    tok.chat_template = cfg["chat_template"]
    for key, value in specials.items():
        assert getattr(tok, key) == value, (name, key, getattr(tok, key), value)
    return tok


def main():
    expected = []
    for name in TEMPLATES:
        tok = load_tokenizer(name)
        for case_id, messages, add_generation_prompt, extra in cases_for(name):
            kwargs = dict(LLAMA_KWARGS) if name == "llama3" else {}
            text = tok.apply_chat_template(
                messages, tokenize=False, add_generation_prompt=add_generation_prompt, **extra, **kwargs
            )
            assert isinstance(text, str), type(text)
            case = {
                "id": f"{name}/{case_id}",
                "template": name,
                "messages": messages,
                "add_generation_prompt": add_generation_prompt,
                "kwargs": kwargs,
            }
            case.update(extra)
            case["text"] = text
            expected.append(case)
    path = HERE / "expected.json"
    path.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(
        f"wrote {len(expected)} cases to {path} (transformers {transformers.__version__}, "
        f"tokenizers {tokenizers.__version__}, jinja2 {jinja2.__version__}, Python {sys.version.split()[0]})"
    )


if __name__ == "__main__":
    main()
