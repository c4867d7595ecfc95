"""Probe, PyTorch side: trains the same Llama (bench/lm/torch_bench.py's eager model) from the same initial weights on
the same examples as LmProbe.java, with the same AdamW, schedule and clipping, and prints the loss curve and the
held-out accuracy. Batches are taken in file order and need one prompt length per batch (lookup1, lookup2).
Usage: lookup.py MODEL_DIR DATA_DIR STEPS BATCH LR [THREADS]"""
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, "bench/lm")
from torch_bench import Llama, load_safetensors  # noqa: E402


def lr_at(step, total, peak, warmup_ratio=0.02, min_ratio=0.1):
    warmup = math.ceil(warmup_ratio * total)
    if step < warmup:
        return peak * (step + 1) / warmup
    if step >= total - 1:
        return peak * min_ratio
    progress = (step - warmup) / (total - 1 - warmup)
    return peak * min_ratio + 0.5 * (1 + math.cos(math.pi * progress)) * (peak - peak * min_ratio)


def main():
    model_dir, data_dir, steps, batch, peak = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    torch.set_num_threads(int(sys.argv[6]) if len(sys.argv) > 6 else 2)
    c = json.load(open(f"{model_dir}/config.json"))
    model = Llama(c, load_safetensors(f"{model_dir}/model.safetensors"))
    train = [json.loads(l) for l in open(f"{data_dir}/train.jsonl")]
    held = [json.loads(l) for l in open(f"{data_dir}/eval.jsonl")]
    decay = [p for n, p in model.w.items() if p.dim() >= 2]
    other = [p for n, p in model.w.items() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": other, "weight_decay": 0.0}],
                            lr=peak, betas=(0.9, 0.999), eps=1e-8)
    t0 = time.time()
    for step in range(steps):
        rows = train[(step * batch) % len(train):(step * batch) % len(train) + batch]
        ids = torch.tensor([r["ids"] for r in rows])
        p = rows[0]["prompt"]
        logits = model(ids)
        # the completion tokens: positions p-1 .. T-2 predict ids p .. T-1
        loss = F.cross_entropy(logits[:, p - 1:-1].reshape(-1, logits.shape[-1]), ids[:, p:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, peak)
        opt.step()
        opt.zero_grad()
        if step % 50 == 0 or step == steps - 1:
            print(f"step {step} loss {loss.item():.4f} ({time.time() - t0:.0f} s)", flush=True)
    with torch.no_grad():
        right = 0
        for r in held:
            ids = torch.tensor([r["ids"][:r["prompt"]]])
            right += int(model(ids)[0, -1].argmax()) == r["ids"][r["prompt"]]
    print(f"torch held-out accuracy {right / len(held):.3f} of {len(held)}")


if __name__ == "__main__":
    main()
