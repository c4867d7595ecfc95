"""Spread of the demo's results rows over seeds, and the learning claim per task kind (see seeds.sh)."""
import json
import statistics
import sys
from collections import defaultdict


def load(paths):
    runs = {}
    for path in paths:
        with open(path) as f:
            runs[path] = json.load(f)["rows"]
    return runs


def key(row):
    # the latest round's students are "round N stage S <recipe>"; compare stages across seeds, whatever the round
    if row["kind"] == "student":
        return f"stage {row['stage']} {row.get('recipe') or ''}".strip(), row["task"]
    return row["model"], row["task"]


def spread(values):
    return statistics.mean(values), min(values), max(values)


def main(paths):
    if not paths:
        sys.exit("no results: run bench/demo/seeds.sh first")
    runs = load(paths)
    table = defaultdict(list)
    tokens = defaultdict(list)
    order = []
    for rows in runs.values():
        last_round = max((r["round"] for r in rows if r["kind"] == "student"), default=0)
        for r in rows:
            if r["kind"] == "student" and r["round"] != last_round:
                continue
            k = key(r)
            if k not in table:
                order.append(k)
            table[k].append(r["value"])
            tokens[k].append(r["avgOutputTokens"])
    print(f"{len(runs)} seeds: " + ", ".join(paths))
    print(f"{'model':28} {'task':5} {'mean':>6} {'min':>6} {'max':>6} {'tokens':>7}  n")
    for k in order:
        mean, lo, hi = spread(table[k])
        print(f"{k[0]:28} {k[1]:5} {100 * mean:5.1f}% {100 * lo:5.1f}% {100 * hi:5.1f}% {statistics.mean(tokens[k]):7.1f}  {len(table[k])}")
    print()
    print("the claim per task kind, on every seed (s1/s3: stage 1/3 accuracy, v: vanilla, c: chance, tok: s3/s1 tokens)")
    held = 0
    for task in sorted({k[1] for k in order}):
        verdicts = []
        for rows in runs.values():
            last_round = max((r["round"] for r in rows if r["kind"] == "student"), default=0)
            by = {key(r)[0]: r for r in rows if r["task"] == task and (r["kind"] != "student" or r["round"] == last_round)}
            s1 = next((r for m, r in by.items() if m.startswith("stage 1")), None)
            s3 = next((r for m, r in by.items() if m.startswith("stage 3")), None)
            vanilla, chance = by.get("vanilla student"), by.get("chance")
            if not (s1 and s3 and vanilla and chance):
                verdicts.append((False, "rows missing"))
                continue
            ratio = s3["avgOutputTokens"] / s1["avgOutputTokens"] if s1["avgOutputTokens"] else float("inf")
            ok = (s3["value"] >= 0.5 and s3["value"] - vanilla["value"] >= 0.3 and s3["value"] - chance["value"] >= 0.3
                  and s3["value"] >= s1["value"] - 0.03)
            verdicts.append((ok, f"s1 {100 * s1['value']:.0f}% s3 {100 * s3['value']:.0f}% v {100 * vanilla['value']:.0f}% "
                                 f"c {100 * chance['value']:.0f}% tok {100 * ratio:.0f}%"))
        holds = all(v[0] for v in verdicts)
        held += holds
        print(f"  {task:5} {'holds' if holds else 'fails'}: " + " | ".join(v[1] for v in verdicts))
    print(f"accuracy claim holds on {held} task kind(s) on every seed (it asks for 2)")
    pooled = []
    for rows in runs.values():
        last_round = max((r["round"] for r in rows if r["kind"] == "student"), default=0)
        mean_tokens = {s: statistics.mean(r["avgOutputTokens"] for r in rows if r["kind"] == "student"
                                          and r["round"] == last_round and r["stage"] == s) for s in (1, 3)}
        pooled.append(mean_tokens[3] / mean_tokens[1])
    print("mean output tokens, stage 3 / stage 1, all kinds: " + ", ".join(f"{100 * p:.0f}%" for p in pooled)
          + f" ({'<=' if max(pooled) <= 0.2 else '>'} 20% on every seed)")


if __name__ == "__main__":
    main(sys.argv[1:])
