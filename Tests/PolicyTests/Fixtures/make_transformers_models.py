"""Writes small model directories with transformers' own `save_pretrained`, plus what transformers computes
from them, for TransformerFixtureTests (CI does not need torch; these files are committed).

    python3 -m venv ~/.venvs/torch-peer && ~/.venvs/torch-peer/bin/pip install torch numpy transformers safetensors
    ~/.venvs/torch-peer/bin/python Tests/PolicyTests/Fixtures/make_transformers_models.py

Each directory under transformers-models/ holds config.json, generation_config.json and model.safetensors
as transformers writes them, and expected.json with: `tokens` (a prompt), `logits` ([T, V] of the prompt,
row-major), `greedy` (20 greedy tokens from `generate(do_sample=False)`) with `greedy_logprobs` (their
log-probs under the model at temperature 1, from a full forward over prompt + generation), and for the llama3 model `inv_freq`
(the rotary inverse frequencies after llama3 scaling). Weights are drawn with initializer_range 0.2 so the
distributions are peaked and greedy choices are not near-ties (checked: top-2 margin ≥ 1e-3 at every step).
"""
import json
import os

import torch
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transformers-models")


def build(name, model_class, config, seed):
    torch.manual_seed(seed)
    model = model_class(config).float().eval()
    out = os.path.join(HERE, name)
    model.save_pretrained(out, safe_serialization=True)
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(0, config.vocab_size, (1, 12), generator=g)
    with torch.no_grad():
        logits = model(tokens).logits[0]
        generated = model.generate(tokens, attention_mask=torch.ones_like(tokens), do_sample=False,
                                   max_new_tokens=20, output_scores=True,
                                   return_dict_in_generate=True, pad_token_id=0)
    new = generated.sequences[0, tokens.shape[1]:].tolist()
    assert len(new) == 20, f"{name}: generation stopped early; pick another seed"
    # Log-probs at temperature 1 from a full forward over prompt + generation (generate's scores would carry
    # any logits processor's edits).
    with torch.no_grad():
        full = model(generated.sequences).logits[0].log_softmax(-1)
    start = tokens.shape[1] - 1
    logprobs = [full[start + step, token].item() for step, token in enumerate(new)]
    margins = []
    for step in range(len(new)):
        top = generated.scores[step][0].float().topk(2).values
        margins.append((top[0] - top[1]).item())
    assert min(margins) >= 1e-3, f"{name}: greedy near-tie (margin {min(margins)}); pick another seed"
    expected = {"tokens": tokens[0].tolist(), "logits": [round(x, 7) for x in logits.flatten().tolist()],
                "greedy": new, "greedy_logprobs": logprobs, "tolerance": {"rtol": 1e-4, "atol": 1e-5}}
    if hasattr(model.model, "rotary_emb"):
        expected["inv_freq"] = model.model.rotary_emb.inv_freq.tolist()
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f)
    print(name, "min greedy margin", min(margins))


def main():
    qwen2 = Qwen2Config(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=128,
                        rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
                        initializer_range=0.2, bos_token_id=1, eos_token_id=2)
    qwen2.architectures = ["Qwen2ForCausalLM"]
    build("qwen2", Qwen2ForCausalLM, qwen2, seed=3)
    llama3 = LlamaConfig(vocab_size=64, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=256,
                         rms_norm_eps=1e-5, tie_word_embeddings=False, initializer_range=0.2,
                         bos_token_id=1, eos_token_id=2,
                         rope_parameters={"rope_type": "llama3", "rope_theta": 10000.0, "factor": 8.0,
                                          "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                                          "original_max_position_embeddings": 64})
    llama3.architectures = ["LlamaForCausalLM"]
    build("llama3", LlamaForCausalLM, llama3, seed=4)


if __name__ == "__main__":
    main()
