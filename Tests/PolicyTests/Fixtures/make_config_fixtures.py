"""Writes config.json files exactly as current transformers saves them (the `rope_parameters` / `dtype`
spelling), for ModelConfigHuggingFaceTests. Needs only `pip install transformers` (no torch).

    python3 Tests/PolicyTests/Fixtures/make_config_fixtures.py
"""
import os

from transformers import LlamaConfig, Qwen2Config

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")


def main():
    os.makedirs(HERE, exist_ok=True)
    llama3 = LlamaConfig(
        vocab_size=300, hidden_size=64, intermediate_size=160, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, head_dim=24, max_position_embeddings=131072, tie_word_embeddings=True,
        bos_token_id=1, eos_token_id=[2, 3], dtype="bfloat16",
        rope_scaling={"rope_type": "llama3", "factor": 32.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 8192},
        rope_theta=500000.0)
    llama3.architectures = ["LlamaForCausalLM"]
    qwen2 = Qwen2Config(vocab_size=300, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                        num_attention_heads=4, num_key_value_heads=2, rope_theta=1000000.0, eos_token_id=7)
    for name, config in [("llama3-transformers5", llama3), ("qwen2-transformers5", qwen2)]:
        with open(os.path.join(HERE, name + ".json"), "w") as f:
            f.write(config.to_json_string())
        print(name)


if __name__ == "__main__":
    main()
