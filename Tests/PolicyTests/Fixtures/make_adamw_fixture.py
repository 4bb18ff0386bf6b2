"""Writes adamw.json for AdamWTests: three steps of torch.optim.AdamW on the parameters of a tiny
Llama-layout model, matrices in a group with weight decay and vectors (norm weights) in a group without,
with a different learning rate each step.

    ~/.venvs/torch-peer/bin/python Tests/PolicyTests/Fixtures/make_adamw_fixture.py
"""
import json
import os

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
# ModelConfig(vocabSize: 5, hiddenSize: 4, intermediateSize: 6, numLayers: 1, numHeads: 2, numKVHeads: 1)
SHAPES = {
    "model.embed_tokens.weight": [5, 4],
    "model.layers.0.input_layernorm.weight": [4],
    "model.layers.0.self_attn.q_proj.weight": [4, 4],
    "model.layers.0.self_attn.k_proj.weight": [2, 4],
    "model.layers.0.self_attn.v_proj.weight": [2, 4],
    "model.layers.0.self_attn.o_proj.weight": [4, 4],
    "model.layers.0.post_attention_layernorm.weight": [4],
    "model.layers.0.mlp.gate_proj.weight": [6, 4],
    "model.layers.0.mlp.up_proj.weight": [6, 4],
    "model.layers.0.mlp.down_proj.weight": [4, 6],
    "model.norm.weight": [4],
    "lm_head.weight": [5, 4],
}
CONFIG = {"beta1": 0.9, "beta2": 0.95, "epsilon": 1e-8, "weight_decay": 0.1, "learning_rates": [1e-2, 5e-3, 2e-3]}


def main():
    g = torch.Generator().manual_seed(0)
    params = {k: torch.randn(*s, generator=g).requires_grad_(True) for k, s in SHAPES.items()}
    matrices = [p for k, p in params.items() if len(SHAPES[k]) >= 2]
    vectors = [p for k, p in params.items() if len(SHAPES[k]) < 2]
    opt = torch.optim.AdamW([{"params": matrices, "weight_decay": CONFIG["weight_decay"]},
                             {"params": vectors, "weight_decay": 0.0}],
                            lr=1.0, betas=(CONFIG["beta1"], CONFIG["beta2"]), eps=CONFIG["epsilon"])
    out = dict(CONFIG, initial={k: p.detach().flatten().tolist() for k, p in params.items()}, steps=[])
    for lr in CONFIG["learning_rates"]:
        for group in opt.param_groups:
            group["lr"] = lr
        grads = {k: torch.randn(*SHAPES[k], generator=g) for k in SHAPES}
        for k, p in params.items():
            p.grad = grads[k].clone()
        opt.step()
        out["steps"].append({"gradients": {k: v.flatten().tolist() for k, v in grads.items()},
                             "parameters": {k: p.detach().flatten().tolist() for k, p in params.items()}})
    with open(os.path.join(HERE, "adamw.json"), "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
