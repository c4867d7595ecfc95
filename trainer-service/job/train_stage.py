"""One stage of a twt round, trained with Hugging Face TRL's SFTTrainer and a PEFT LoRA adapter.

trainer-service hands a stage over as a directory (trainer-service/README.md, "Backends"): stage-job.json (the
spec, written by io.twt.lm.stage.StageSpec) and the dataset in an export layout. This script trains the stage as the
spec says and leaves, in the spec's outputDir, a PEFT adapter (adapter_config.json, adapter_model.safetensors) or,
fully fine-tuned, a Hugging Face checkpoint, then result.json last (trainTokens, meanLoss, seconds,
maxCompletionTokens, resumedFrom), which tells the trainer the weights are complete.

    python train_stage.py STAGE_DIR                                  # one GPU
    accelerate launch --num_processes N train_stage.py STAGE_DIR     # N GPUs on one node
    torchrun train_stage.py STAGE_DIR                                # Kubeflow's torch-distributed runtime (PET_* env)

Loss on the completion only (TRL's completion_only_loss), bf16, gradient checkpointing when the spec's memory.recompute
is set. Everything above train() is plain Python and tested with Debian's python3 (test_train_stage.py); train()
needs torch, transformers, trl, peft and accelerate, which the container recipe (Dockerfile) installs.
"""

import json
import math
import os
import re
import sys
import time
import traceback

SCHEMA_VERSION = 1
REQUIRED = ("round", "stage", "baseModel", "training", "memory", "dataset", "checkpointDir", "checkpointEvery",
            "outputDir")
TERMINATION_LOG = "/dev/termination-log"


def spec_path(argv):
    """The stage-job.json named on the command line, or the one in the stage directory named there."""
    if len(argv) != 1:
        raise ValueError("usage: train_stage.py STAGE_DIR|stage-job.json")
    path = argv[0]
    return os.path.join(path, "stage-job.json") if os.path.isdir(path) else path


def load_spec(path):
    """stage-job.json as a dict, checked for what this script reads."""
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    if spec.get("schemaVersion") != SCHEMA_VERSION:
        raise ValueError(f"{path}: schemaVersion {spec.get('schemaVersion')}, this script reads {SCHEMA_VERSION}")
    missing = [key for key in REQUIRED if spec.get(key) is None]
    if missing:
        raise ValueError(f"{path}: missing {', '.join(missing)}")
    if spec["dataset"].get("format") not in ("messages", "prompt-completion"):
        raise ValueError(f"{path}: dataset format {spec['dataset'].get('format')!r}, expected messages or prompt-completion")
    return spec


def example_from_line(line):
    """(prompt, completion) of one dataset line, read as lm train reads it (io.twt.lm.SftExample.fromJson)."""
    messages = line.get("messages")
    if messages is None:
        if not isinstance(line.get("prompt"), str) or not isinstance(line.get("completion"), str):
            raise ValueError(f'a line needs "prompt" and "completion", or "messages": {line}')
        return line["prompt"], line["completion"]
    if not isinstance(messages, list) or len(messages) < 2 or messages[-1].get("role") != "assistant":
        raise ValueError(f'"messages" must end with the assistant\'s message: {line}')
    return "".join(m.get("content", "") for m in messages[:-1]), messages[-1].get("content", "")


def load_examples(path):
    examples = []
    with open(path, encoding="utf-8") as f:
        for number, text in enumerate(f, 1):
            if text.strip():
                try:
                    examples.append(example_from_line(json.loads(text)))
                except (ValueError, AttributeError) as e:
                    raise ValueError(f"{path} line {number}: {e}") from e
    if not examples:
        raise ValueError(f"{path} holds no examples")
    return examples


def trl_records(examples, chat_template):
    """TRL's prompt-completion records. With a chat template the prompt is a user turn and the completion the
    assistant's, as lm renders a student that has one; without, the raw student prompt and completion."""
    if chat_template:
        return [{"prompt": [{"role": "user", "content": p}], "completion": [{"role": "assistant", "content": c}]}
                for p, c in examples]
    return [{"prompt": p, "completion": c} for p, c in examples]


def lora_kwargs(spec):
    """peft.LoraConfig's arguments; None for full fine-tuning."""
    lora = spec.get("lora")
    if lora is None:
        return None
    return {"r": lora["rank"], "lora_alpha": lora["alpha"], "lora_dropout": lora["dropout"],
            "target_modules": list(lora["targetModules"]), "use_rslora": bool(lora.get("useRslora", False)),
            "bias": "none", "task_type": "CAUSAL_LM"}


def sft_kwargs(spec, world_size):
    """trl.SFTConfig's arguments. The spec's batchSize is the examples of one pass over all processes, so each
    process takes batchSize / world_size; gradAccumulation passes make one optimizer step, as in lm."""
    t = spec["training"]
    if t["batchSize"] % world_size != 0:
        raise ValueError(f"batchSize {t['batchSize']} does not split over {world_size} processes")
    every = spec["checkpointEvery"]
    return {
        "output_dir": spec["checkpointDir"],
        "learning_rate": t["learningRate"],
        "per_device_train_batch_size": t["batchSize"] // world_size,
        "gradient_accumulation_steps": t["gradAccumulation"],
        "num_train_epochs": t["epochs"],
        "warmup_ratio": t["warmupRatio"],
        # lm decays by cosine to minLrRatio x the peak
        "lr_scheduler_type": "cosine_with_min_lr",
        "lr_scheduler_kwargs": {"min_lr_rate": t["minLrRatio"]},
        "weight_decay": t["weightDecay"],
        "max_grad_norm": t["maxGradNorm"],
        "max_length": t["maxLength"],
        "seed": t["seed"],
        "data_seed": t["seed"],
        "optim": "adamw_torch",
        "bf16": True,
        "gradient_checkpointing": bool(spec["memory"]["recompute"]),
        "gradient_checkpointing_kwargs": {"use_reentrant": False},
        "completion_only_loss": True,
        "packing": False,
        "save_strategy": "steps" if every > 0 else "no",
        "save_steps": every if every > 0 else 500,
        "save_total_limit": 2,
        "logging_steps": 1,
        "report_to": "none",
    }


def last_checkpoint(checkpoint_dir):
    """The newest checkpoint-N folder, as transformers names them, or None: a job started again resumes there."""
    if not os.path.isdir(checkpoint_dir):
        return None
    steps = [(int(m.group(1)), name) for name in os.listdir(checkpoint_dir)
             if (m := re.fullmatch(r"checkpoint-(\d+)", name)) and os.path.isdir(os.path.join(checkpoint_dir, name))]
    return os.path.join(checkpoint_dir, max(steps)[1]) if steps else None


def resumed_step(checkpoint):
    return 0 if checkpoint is None else int(checkpoint.rsplit("-", 1)[1])


def last_epoch_mean_loss(log_history, epochs):
    """The mean step loss over the last epoch, as lm reports meanLoss (HF's training_loss averages every step)."""
    losses = [entry["loss"] for entry in log_history if "loss" in entry and entry.get("epoch", 0) > epochs - 1 + 1e-9]
    return sum(losses) / len(losses) if losses else math.nan


def train_tokens(example_lengths, max_length, epochs):
    """Tokens trained on, as lm counts them: every example's tokens (cut at max_length), every epoch."""
    return sum(min(n, max_length) for n in example_lengths) * epochs


def write_result(output_dir, result):
    """result.json, written to a temporary file and renamed: its presence means the weights beside it are complete."""
    temporary = os.path.join(output_dir, "result.json.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    os.replace(temporary, os.path.join(output_dir, "result.json"))


def report_failure(error, path=TERMINATION_LOG, environ=os.environ):
    """In a Kubernetes pod, the termination log becomes the container's message, which trainer-service reports as
    the job's failure reason; elsewhere the traceback on stderr is the report."""
    if environ.get("KUBERNETES_SERVICE_HOST"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"{type(error).__name__}: {error}"[:4000])


def train(spec):
    """The stage itself: needs torch, transformers, trl, peft and accelerate (the container image)."""
    import shutil
    import torch
    from datasets import Dataset
    from peft import LoraConfig, PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig, SFTTrainer

    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    base = spec["baseModel"]
    base_path = base["path"] if os.path.isdir(base["path"]) else base["id"]
    model_path = spec.get("previousModel") or base_path
    tokenizer = AutoTokenizer.from_pretrained(base_path)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=torch.bfloat16)
    peft_config = None
    if spec.get("lora") is not None:
        if spec.get("previousAdapter"):
            # the previous stage's adapter, trained further; the optimizer state starts fresh
            model = PeftModel.from_pretrained(model, spec["previousAdapter"], is_trainable=True)
        else:
            peft_config = LoraConfig(**lora_kwargs(spec))
    examples = load_examples(spec["dataset"]["path"])
    dataset = Dataset.from_list(trl_records(examples, tokenizer.chat_template is not None))
    trainer = SFTTrainer(model=model, args=SFTConfig(**sft_kwargs(spec, world_size)), train_dataset=dataset,
                         processing_class=tokenizer, peft_config=peft_config)
    checkpoint = last_checkpoint(spec["checkpointDir"])
    started = time.monotonic()
    trainer.train(resume_from_checkpoint=checkpoint)
    seconds = time.monotonic() - started
    if not trainer.is_world_process_zero():
        return
    out = spec["outputDir"]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    if spec.get("lora") is not None:
        trainer.model.peft_config["default"].base_model_name_or_path = base["id"]
        trainer.model.save_pretrained(out)
    else:
        trainer.save_model(out)
        tokenizer.save_pretrained(out)
    lengths = [len(ids) for ids in trainer.train_dataset["input_ids"]]
    completions = [len(tokenizer(c, add_special_tokens=False)["input_ids"]) for _, c in examples]
    write_result(out, {
        "trainTokens": train_tokens(lengths, spec["training"]["maxLength"], spec["training"]["epochs"]),
        "meanLoss": last_epoch_mean_loss(trainer.state.log_history, spec["training"]["epochs"]),
        "seconds": seconds,
        "maxCompletionTokens": max(completions),
        "resumedFrom": resumed_step(checkpoint),
    })


def main(argv):
    try:
        train(load_spec(spec_path(argv)))
        return 0
    except Exception as error:  # the reason goes where the trainer reads it, then the job fails
        traceback.print_exc()
        report_failure(error)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
