"""Probe data for bench/learning: characters as token ids (their code points), so the lm and PyTorch sides read the
same ids with no tokenizer between them. Writes OUT_DIR/train.jsonl and eval.jsonl ({"ids": [...], "prompt": n});
eval examples are scored on the one token after their prompt.

Tasks:
  lookup2      'Q85 A23 B85 C41 D67 E12 >' -> 'B' (two-digit values, the lab's "Which choice is N?" in miniature)
  lookup1      'Q8 A2 B8 C4 D6 E1 >' -> 'B' (one-digit values: the key is a single token)
  lookup2-copy lookup2, with half of the training examples a copy task ('C3819472|' -> '3819472')
  mqar         'A2 B8 C4 D6 E1 >' -> '8B 6D 2A 1E 4C': every value asked back, five recalls per example
  copy-fixed   12 distinct letters, '|', the same 12 again (a fixed offset)
  copy-var     6 to 16 distinct letters, '|', the same again (content-based induction)
  order        'd<c a>b c<b e<d ^ Ac Bb Ce Da Ed >' -> 'D' (the lab's ordering mcq in miniature: five people,
               four comparisons in random order and direction, '^' most or 'v' least, the letter of that person)
  order-name   'd<c a>b c<b e<d ^ >' -> 'a' (the same ordering, answered with the person: no option lookup)
  expr         '=21 A3+18 B25-3 C4x5 D19+4 E7x3 >' -> 'E' (the lab's "Which expression equals N?" in miniature)
  sum3         '7+4-5>' -> '6' (two steps on one-digit numbers, answer only; results 0-9)
  word3        'h7 g5 b4 >' -> '6' (the same in words: h has, b buys, g gives away, t times, in any order after h)
  max2         'A37 B82 C15 D64 E29 ^ >' -> 'B' (the option with the most '^' or least 'v' value)
  maxe         'A3+5 B9-2 C4+1 D8-6 E2+3 ^ >' -> 'A' (the option whose expression is the most or least)
Usage: make_probe.py TASK OUT_DIR [N_TRAIN] [N_EVAL] [SEED]"""
import json
import random
import sys

task, out = sys.argv[1], sys.argv[2]
n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 32000
n_eval = int(sys.argv[4]) if len(sys.argv) > 4 else 500
rnd = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def options(low, high):
    values = rnd.sample(range(low, high), 5)
    return values, " ".join(f"{'ABCDE'[i]}{v}" for i, v in enumerate(values))


def lookup(low, high):
    values, listed = options(low, high)
    pick = rnd.randrange(5)
    return f"Q{values[pick]} {listed} >", "ABCDE"[pick]


def digit_copy():
    digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(6, 14)))
    return f"C{digits}|", digits


def mqar(train):
    values, listed = options(0, 10)
    if train:
        return listed + " >", " ".join(f"{values[i]}{'ABCDE'[i]}" for i in rnd.sample(range(5), 5))
    i = rnd.randrange(5)
    return f"{listed} >{values[i]}", "ABCDE"[i]


def letter_copy(low, high, train):
    s = "".join(rnd.sample(LETTERS, rnd.randint(low, high)))
    return (s + "|", s) if train else (s + "|" + s[:5], s[5])


def order_name():
    people = rnd.sample(LETTERS[:12], 5)
    facts = [f"{people[i]}>{people[i + 1]}" if rnd.random() < 0.5 else f"{people[i + 1]}<{people[i]}" for i in range(4)]
    rnd.shuffle(facts)
    most = rnd.random() < 0.5
    return f"{' '.join(facts)} {'^' if most else 'v'} >", people[0] if most else people[-1]


def order():
    people = rnd.sample(LETTERS[:12], 5)
    facts = [f"{people[i]}>{people[i + 1]}" if rnd.random() < 0.5 else f"{people[i + 1]}<{people[i]}" for i in range(4)]
    rnd.shuffle(facts)
    most = rnd.random() < 0.5
    choices = rnd.sample(people, 5)
    listed = " ".join(f"{'ABCDE'[i]}{p}" for i, p in enumerate(choices))
    answer = people[0] if most else people[-1]
    return f"{' '.join(facts)} {'^' if most else 'v'} {listed} >", "ABCDE"[choices.index(answer)]


def expression(value):
    kind = rnd.randrange(3)
    divisors = [d for d in range(2, value) if d * d <= value and value % d == 0]
    if kind == 2 and divisors:
        d = rnd.choice(divisors)
        return f"{d}x{value // d}"
    if kind == 1:
        b = rnd.randint(1, 20)
        return f"{value + b}-{b}"
    a = rnd.randint(1, value - 1)
    return f"{a}+{value - a}"


def expr():
    target = rnd.randint(12, 60)
    choices = [expression(target)]
    while len(choices) < 5:
        e = expression(target + rnd.choice((1, -1)) * rnd.randint(1, 4))
        if e not in choices:
            choices.append(e)
    right = choices[0]
    rnd.shuffle(choices)
    return f"={target} " + " ".join(f"{'ABCDE'[i]}{c}" for i, c in enumerate(choices)) + " >", "ABCDE"[choices.index(right)]


def sum3():
    while True:
        a, b, c = rnd.randrange(10), rnd.randrange(10), rnd.randrange(10)
        plus = rnd.random() < 0.5
        value = a + b - c if plus else a - b + c
        if 0 <= value <= 9:
            return f"{a}{'+' if plus else '-'}{b}{'-' if plus else '+'}{c}>", str(value)


def word3():
    while True:
        a, b, c = rnd.randrange(1, 10), rnd.randrange(10), rnd.randrange(10)
        ops = rnd.sample("bgt", 2)
        value = a
        for op, n in zip(ops, (b, c)):
            value = value + n if op == "b" else value - n if op == "g" else value * n
        if 0 <= value <= 9 and not ("t" in ops and (b if ops[0] == "t" else c) > 3):
            return f"h{a} {ops[0]}{b} {ops[1]}{c} >", str(value)


def extreme(values, labels):
    most = rnd.random() < 0.5
    target = max(values) if most else min(values)
    return " ".join(f"{'ABCDE'[i]}{l}" for i, l in enumerate(labels)) + f" {'^' if most else 'v'} >", \
        "ABCDE"[values.index(target)]


def max2():
    values = rnd.sample(range(10, 100), 5)
    return extreme(values, values)


def maxe():
    values = rnd.sample(range(10), 5)
    labels = []
    for v in values:
        if rnd.random() < 0.5:
            a = rnd.randint(0, v)
            labels.append(f"{a}+{v - a}")
        else:
            b = rnd.randint(0, 9 - v)
            labels.append(f"{v + b}-{b}")
    return extreme(values, labels)


def example(train):
    return {
        "lookup2": lambda: lookup(10, 100),
        "lookup1": lambda: lookup(0, 10),
        "lookup2-copy": lambda: digit_copy() if train and rnd.random() < 0.5 else lookup(10, 100),
        "mqar": lambda: mqar(train),
        "copy-fixed": lambda: letter_copy(12, 12, train),
        "copy-var": lambda: letter_copy(6, 16, train),
        "order": order,
        "order-name": order_name,
        "expr": expr,
        "sum3": sum3,
        "word3": word3,
        "max2": max2,
        "maxe": maxe,
    }[task]()


for name, n in (("eval", n_eval), ("train", n_train)):
    with open(f"{out}/{name}.jsonl", "w") as f:
        for _ in range(n):
            prompt, completion = example(name == "train")
            f.write(json.dumps({"ids": [ord(ch) for ch in prompt + completion], "prompt": len(prompt)}) + "\n")
