"""Golden fixtures for checkpoints as they ship (lm/src/test/resources/fixtures): tiny random checkpoints with the RoPE
variants real students use, and their logits from an independent plain-PyTorch decoder written from transformers'
modeling_llama.py / modeling_phi3.py and modeling_rope_utils.py (default, llama3, yarn, longrope; partial rotary;
head_dim apart from hidden / heads; phi3's fused qkv_proj and gate_up_proj). Also a bf16 copy of the phi3 checkpoint
in two shards with model.safetensors.index.json, and the logits of those bf16-rounded weights; and a PEFT LoRA adapter
on phi3's fused qkv_proj and gate_up_proj, saved in bf16 with use_rslora, and its logits.

Run with Debian's python3-torch (no transformers, no network):
    /usr/bin/python3 lm/src/test/python/make_rope_fixtures.py lm/src/test/resources/fixtures
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

SHORT_IDS = [[5, 17, 42, 3, 29, 11, 40, 8, 23], [31, 2, 19, 44, 7, 36, 12, 27, 9]]
LONG_LENGTH = 24  # past original_max_position_embeddings = 16: longrope's long factors, yarn's extended range

# Phi-3.5-mini's shape in miniature: fused projections, longrope with both factor lists, and (as Phi-4-mini)
# partial_rotary_factor; head_dim 12 is given apart from hidden / heads = 8.
PHI3 = {
    "_name_or_path": "twt-fixtures/phi3-longrope-tiny",
    "architectures": ["Phi3ForCausalLM"], "model_type": "phi3", "hidden_act": "silu", "vocab_size": 48,
    "hidden_size": 32, "intermediate_size": 40, "num_hidden_layers": 2, "num_attention_heads": 4,
    "num_key_value_heads": 2, "head_dim": 12, "partial_rotary_factor": 0.5, "rms_norm_eps": 1e-5,
    "rope_theta": 10000.0, "max_position_embeddings": 64, "original_max_position_embeddings": 16,
    "rope_scaling": {"type": "longrope", "short_factor": [1.0, 1.25, 2.5], "long_factor": [1.5, 3.0, 7.0]},
    "sliding_window": 262144, "tie_word_embeddings": False, "bos_token_id": 1, "eos_token_id": 2,
    "torch_dtype": "float32",
}
LLAMA_BASE = {
    "architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_act": "silu", "vocab_size": 48,
    "hidden_size": 32, "intermediate_size": 40, "num_hidden_layers": 1, "num_attention_heads": 4,
    "num_key_value_heads": 2, "rms_norm_eps": 1e-5, "max_position_embeddings": 64, "tie_word_embeddings": False,
    "bos_token_id": 1, "eos_token_id": 2, "torch_dtype": "float32",
}
# Qwen2.5's yarn in miniature (factor 4 over an original 16 positions).
YARN = dict(LLAMA_BASE, rope_theta=10000.0,
            rope_scaling={"rope_type": "yarn", "factor": 4.0, "original_max_position_embeddings": 16})
# Llama 3.1's scaling in miniature; theta 500000 puts frequencies on both sides of the smoothing band.
LLAMA3 = dict(LLAMA_BASE, rope_theta=500000.0,
              rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                            "original_max_position_embeddings": 16})


def head_dim(c):
    return c.get("head_dim", c["hidden_size"] // c["num_attention_heads"])


def rotary_dim(c):
    return int(head_dim(c) * c.get("partial_rotary_factor", 1.0))


def rope_parameters(c, seq_len):
    """(inv_freq (rotary_dim / 2,), attention_factor) for a forward pass whose largest position is seq_len - 1."""
    dim = rotary_dim(c)
    base = c["rope_theta"]
    exponents = torch.arange(0, dim, 2, dtype=torch.int64).float() / dim
    inv_freq = 1.0 / (base ** exponents)
    s = c.get("rope_scaling")
    kind = None if s is None else s.get("rope_type", s.get("type"))
    if kind is None:
        return inv_freq, 1.0
    if kind == "llama3":
        original = s["original_max_position_embeddings"]
        low_wavelen = original / s["low_freq_factor"]
        high_wavelen = original / s["high_freq_factor"]
        wavelen = 2 * math.pi / inv_freq
        scaled = torch.where(wavelen > low_wavelen, inv_freq / s["factor"], inv_freq)
        smooth = (original / wavelen - s["low_freq_factor"]) / (s["high_freq_factor"] - s["low_freq_factor"])
        smoothed = (1 - smooth) * scaled / s["factor"] + smooth * scaled
        medium = ~(wavelen < high_wavelen) & ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, scaled), 1.0
    if kind == "yarn":
        factor = s["factor"]
        original = s.get("original_max_position_embeddings") or c["max_position_embeddings"]
        attention = s.get("attention_factor") or (0.1 * math.log(factor) + 1.0)

        def correction_dim(rotations):
            return dim * math.log(original / (rotations * 2 * math.pi)) / (2 * math.log(base))

        low = max(math.floor(correction_dim(s.get("beta_fast") or 32)), 0)
        high = min(math.ceil(correction_dim(s.get("beta_slow") or 1)), dim - 1)
        if low == high:
            high += 0.001
        ramp = torch.clamp((torch.arange(dim // 2, dtype=torch.float32) - low) / (high - low), 0, 1)
        extrapolation = 1 - ramp
        pos_freqs = base ** exponents
        return (1.0 / (factor * pos_freqs)) * (1 - extrapolation) + (1.0 / pos_freqs) * extrapolation, attention
    if kind == "longrope":
        original = c["original_max_position_embeddings"]
        factor = c["max_position_embeddings"] / original
        attention = s.get("attention_factor") or (
            1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(original)))
        ext = torch.tensor(s["long_factor"] if seq_len > original else s["short_factor"], dtype=torch.float32)
        return 1.0 / (ext * base ** exponents), attention
    raise ValueError(kind)


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rms_norm(x, w, eps):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps))


def linear(w, x, module, lora):
    """x W^T, plus PEFT's LoRA branch (x A^T B^T * scaling) when the adapter has this module."""
    y = x @ w[module + ".weight"].T
    if lora is not None and module in lora["A"]:
        y = y + (x @ lora["A"][module].T @ lora["B"][module].T) * lora["scaling"]
    return y


def forward(c, w, ids, lora=None):
    """logits (B, T, V) of the base model (with a LoRA adapter if given), positions 0..T-1, causal attention."""
    b, t = ids.shape
    nh, nkv, hd, rd = c["num_attention_heads"], c["num_key_value_heads"], head_dim(c), rotary_dim(c)
    positions = torch.arange(t, dtype=torch.float32)
    inv_freq, attention_factor = rope_parameters(c, t)
    freqs = torch.outer(positions, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    cos = (emb.cos() * attention_factor)[None, None]  # (1, 1, T, rd)
    sin = (emb.sin() * attention_factor)[None, None]
    causal = torch.full((t, t), float("-inf")).triu(1)
    x = F.embedding(ids, w["model.embed_tokens.weight"])
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        h = rms_norm(x, w[p + "input_layernorm.weight"], c["rms_norm_eps"])
        if c["model_type"] == "phi3":
            qkv = linear(w, h, p + "self_attn.qkv_proj", lora)
            q, k, v = qkv.split([nh * hd, nkv * hd, nkv * hd], dim=-1)
        else:
            q, k, v = (linear(w, h, p + f"self_attn.{n}_proj", lora) for n in "qkv")
        q = q.view(b, t, nh, hd).transpose(1, 2)
        k = k.view(b, t, nkv, hd).transpose(1, 2)
        v = v.view(b, t, nkv, hd).transpose(1, 2)
        q = torch.cat((q[..., :rd] * cos + rotate_half(q[..., :rd]) * sin, q[..., rd:]), dim=-1)
        k = torch.cat((k[..., :rd] * cos + rotate_half(k[..., :rd]) * sin, k[..., rd:]), dim=-1)
        k = k.repeat_interleave(nh // nkv, dim=1)
        v = v.repeat_interleave(nh // nkv, dim=1)
        scores = q @ k.transpose(2, 3) / math.sqrt(hd) + causal
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, nh * hd)
        x = x + linear(w, y, p + "self_attn.o_proj", lora)
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], c["rms_norm_eps"])
        if c["model_type"] == "phi3":
            gate, up = linear(w, h, p + "mlp.gate_up_proj", lora).chunk(2, dim=-1)
        else:
            gate, up = h @ w[p + "mlp.gate_proj.weight"].T, h @ w[p + "mlp.up_proj.weight"].T
        x = x + linear(w, up * F.silu(gate), p + "mlp.down_proj", lora)
    return rms_norm(x, w["model.norm.weight"], c["rms_norm_eps"]) @ w["lm_head.weight"].T


def random_weights(c, seed):
    g = torch.Generator().manual_seed(seed)
    hidden, inter, hd = c["hidden_size"], c["intermediate_size"], head_dim(c)
    q_dim, kv_dim = c["num_attention_heads"] * hd, c["num_key_value_heads"] * hd

    def randn(*shape, scale=0.2):
        return torch.randn(*shape, generator=g) * scale

    w = {"model.embed_tokens.weight": randn(c["vocab_size"], hidden, scale=1.0)}
    for i in range(c["num_hidden_layers"]):
        p = f"model.layers.{i}."
        w[p + "input_layernorm.weight"] = 1 + randn(hidden, scale=0.1)
        if c["model_type"] == "phi3":
            w[p + "self_attn.qkv_proj.weight"] = randn(q_dim + 2 * kv_dim, hidden)
        else:
            w[p + "self_attn.q_proj.weight"] = randn(q_dim, hidden)
            w[p + "self_attn.k_proj.weight"] = randn(kv_dim, hidden)
            w[p + "self_attn.v_proj.weight"] = randn(kv_dim, hidden)
        w[p + "self_attn.o_proj.weight"] = randn(hidden, q_dim)
        w[p + "post_attention_layernorm.weight"] = 1 + randn(hidden, scale=0.1)
        if c["model_type"] == "phi3":
            w[p + "mlp.gate_up_proj.weight"] = randn(2 * inter, hidden)
        else:
            w[p + "mlp.gate_proj.weight"] = randn(inter, hidden)
            w[p + "mlp.up_proj.weight"] = randn(inter, hidden)
        w[p + "mlp.down_proj.weight"] = randn(hidden, inter)
    w["model.norm.weight"] = 1 + randn(hidden, scale=0.1)
    w["lm_head.weight"] = randn(c["vocab_size"], hidden)
    return w


def write_safetensors(path, tensors, dtype):
    """safetensors by hand: u64 header length, JSON header, raw little-endian data (F32 or BF16)."""
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in tensors.items():
        if dtype == "BF16":
            data = t.to(torch.bfloat16).view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = t.numpy().astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)) + raw + b"".join(chunks))


def floats(t, digits=6):
    return [[[round(v, digits) for v in row] for row in seq] for seq in t.tolist()]


def long_ids(c):
    g = torch.Generator().manual_seed(7)
    return torch.randint(3, c["vocab_size"], (1, LONG_LENGTH), generator=g).tolist()


def make(out, name, c, seed):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    w = random_weights(c, seed)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    write_safetensors(os.path.join(folder, "model.safetensors"), w, "F32")
    short, long = torch.tensor(SHORT_IDS), torch.tensor(long_ids(c))
    with torch.no_grad():
        golden = {"input_ids": SHORT_IDS, "logits": floats(forward(c, w, short)),
                  "long_input_ids": long.tolist(), "long_logits": floats(forward(c, w, long)),
                  "tolerance": {"logits_abs": 1e-4}}
    return folder, w, golden


def make_bf16_shards(folder, c, w, golden):
    """The same checkpoint as transformers saves a bf16 model in shards; golden logits of the rounded weights."""
    shards = os.path.join(folder, "bf16-sharded")
    os.makedirs(shards, exist_ok=True)
    with open(os.path.join(shards, "config.json"), "w") as f:
        json.dump(dict(c, torch_dtype="bfloat16"), f, indent=2)
    names = list(w)
    split = len(names) // 2
    files = {"model-00001-of-00002.safetensors": names[:split], "model-00002-of-00002.safetensors": names[split:]}
    weight_map = {}
    for file, part in files.items():
        write_safetensors(os.path.join(shards, file), {n: w[n] for n in part}, "BF16")
        weight_map.update({n: file for n in part})
    total = sum(2 * t.numel() for t in w.values())
    with open(os.path.join(shards, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
    rounded = {n: t.to(torch.bfloat16).float() for n, t in w.items()}
    with torch.no_grad():
        golden["bf16"] = {"logits": floats(forward(c, rounded, torch.tensor(SHORT_IDS))),
                          "long_logits": floats(forward(c, rounded, torch.tensor(golden["long_input_ids"])))}


def make_fused_adapter(folder, c, w, golden):
    """A PEFT adapter on qkv_proj and gate_up_proj as PEFT saves a bf16 model's adapter; logits of its rounded values."""
    adapter = os.path.join(folder, "adapter")
    os.makedirs(adapter, exist_ok=True)
    rank, alpha = 2, 4.0
    config = {"peft_type": "LORA", "task_type": "CAUSAL_LM", "r": rank, "lora_alpha": alpha, "lora_dropout": 0.0,
              "bias": "none", "fan_in_fan_out": False, "use_rslora": True,
              "target_modules": ["gate_up_proj", "qkv_proj"], "base_model_name_or_path": c["_name_or_path"]}
    with open(os.path.join(adapter, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    g = torch.Generator().manual_seed(99)
    tensors, lora = {}, {"A": {}, "B": {}, "scaling": alpha / math.sqrt(rank)}
    for i in range(c["num_hidden_layers"]):
        for module in (f"model.layers.{i}.self_attn.qkv_proj", f"model.layers.{i}.mlp.gate_up_proj"):
            out_features, in_features = w[module + ".weight"].shape
            a = torch.randn(rank, in_features, generator=g) * 0.3
            b = torch.randn(out_features, rank, generator=g) * 0.3
            tensors[f"base_model.model.{module}.lora_A.weight"] = a
            tensors[f"base_model.model.{module}.lora_B.weight"] = b
            lora["A"][module] = a.to(torch.bfloat16).float()
            lora["B"][module] = b.to(torch.bfloat16).float()
    write_safetensors(os.path.join(adapter, "adapter_model.safetensors"), tensors, "BF16")
    with torch.no_grad():
        golden["lora"] = {"scaling": lora["scaling"], "logits": floats(forward(c, w, torch.tensor(SHORT_IDS), lora))}


def main(out):
    for name, c, seed in [("phi3-longrope-tiny", PHI3, 15), ("llama-yarn-tiny", YARN, 16),
                          ("llama-llama3-tiny", LLAMA3, 17)]:
        folder, w, golden = make(out, name, c, seed)
        if name.startswith("phi3"):
            make_bf16_shards(folder, c, w, golden)
            make_fused_adapter(folder, c, w, golden)
            golden["tolerance"]["bf16_vs_fp32_logits_abs"] = 0.05
        with open(os.path.join(folder, "golden.json"), "w") as f:
            json.dump(golden, f)


if __name__ == "__main__":
    main(sys.argv[1])
