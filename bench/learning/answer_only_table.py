"""Prints answer-only accuracy on the eval split for each training size of answer-only.sh, per family, with chance."""
import collections
import json
import re
import sys

out, sizes = sys.argv[1], sys.argv[2:]
evals = [json.loads(line) for line in open(f"{out}/eval.jsonl")]
FAMILIES = {"box": "A box holds", "coins": "coins a day", "cart": "A cart goes", "share": "friends share"}


def family(text):
    return next((name for name, mark in FAMILIES.items() if mark in text), "other")


def row(name, answers):
    right = collections.Counter()
    total = collections.Counter(family(e["text"]) for e in evals)
    for e, answer in zip(evals, answers):
        right[family(e["text"])] += answer == e["gold"]
    parts = " ".join(f"{f} {right[f]}/{total[f]}" for f in FAMILIES)
    print(f"{name:>14} {sum(right.values()) / len(evals):7.1%}   {parts}")


print(f"answer-only lab math on {len(evals)} eval queries (seed 7) the student never saw")
print(f"{'trained on':>14} {'accuracy':>7}   by family")
most = collections.Counter(e["gold"] for e in evals).most_common(1)[0][0]
row("chance", [most] * len(evals))
for n in sizes:
    answers = []
    for line in open(f"{out}/generated-{n}.jsonl"):
        found = re.findall(r"####\s*(-?\d+)", json.loads(line)["text"])
        answers.append(found[-1] if found else None)
    row(f"{n} queries", answers)
