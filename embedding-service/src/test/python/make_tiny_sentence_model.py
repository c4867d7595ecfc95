"""Makes the tiny TorchScript sentence model that TorchScriptSentenceModelTest runs on DJL's PyTorch engine.

A two-layer BERT-like encoder with random weights (fixed seed), a WordPiece tokenizer.json in Hugging Face's
format, traced and laid out as djl-convert lays out a sentence-transformers model: <name>.pt taking
(input_ids, attention_mask, token_type_ids) and returning a dict with last_hidden_state, tokenizer.json,
serving.properties. expected.json holds sentence-transformers' vectors for a few texts: mean pooling over the
attention mask, then L2 normalisation, computed here in eager mode.

Run with Debian's python (torch, numpy; no transformers, no tokenizers):
    /usr/bin/python3 embedding-service/src/test/python/make_tiny_sentence_model.py
The output goes to ../resources/tiny-torchscript beside this script and is committed, so tests need no python.
bench/embedding/onnx_to_torchscript.py reuses the BERT module (parameters named as Hugging Face's keys).
"""
import json
import math
import string
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

NAME = "tiny-bert"
OUT = Path(__file__).resolve().parent.parent / "resources" / "tiny-torchscript"

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
WORDS = ("the a cat sat on mat dog ran to house big red and was is so answer natalia sold clips in april may "
         "she half as many let x be number of apples then hence check yes no play un known").split()
PIECES = ["##ing", "##ed", "##s", "##known"] + [f"##{d}" for d in range(10)]
PUNCTUATION = list(".,=+*?")
VOCAB = SPECIALS + WORDS + PIECES + PUNCTUATION + [str(d) for d in range(10)]

# every text fits the window; lengths differ so a batch pads and masks, one has an unknown word, one subwords
TEXTS = [
    "The cat sat on the mat.",
    "6 * 7 = 42, so the answer is 42.",
    "Natalia sold 48 clips in April.",
    "the dog was playing; the quokka ran home",
    "Let x be the number of apples.",
    "yes",
    "unknown",
]


# ---- tokenizer: what HF's BertNormalizer(lowercase) + BertPreTokenizer + WordPiece + [CLS]/[SEP] do ----

def tokenize(text):
    words = []
    for chunk in text.lower().split():
        word = ""
        for ch in chunk:
            if ch in string.punctuation:
                words += [w for w in (word, ch) if w]
                word = ""
            else:
                word += ch
        if word:
            words.append(word)
    ids = [VOCAB.index("[CLS]")]
    for word in words:
        ids += wordpiece(word)
    return ids + [VOCAB.index("[SEP]")]


def wordpiece(word):
    """Greedy longest match first; a word with any unmatched rest is one [UNK], as in HF's WordPiece."""
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in VOCAB:
                pieces.append(VOCAB.index(piece))
                break
            end -= 1
        if end == start:
            return [VOCAB.index("[UNK]")]
        start = end
    return pieces


def tokenizer_json():
    special = [{"id": VOCAB.index(t), "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                "normalized": False, "special": True} for t in SPECIALS]
    cls, sep = {"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": special,
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": None, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [cls, {"Sequence": {"id": "A", "type_id": 0}}, sep],
            "pair": [cls, {"Sequence": {"id": "A", "type_id": 0}}, sep,
                     {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {t: {"id": t, "ids": [VOCAB.index(t)], "tokens": [t]} for t in ("[CLS]", "[SEP]")},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": 100, "vocab": {t: i for i, t in enumerate(VOCAB)}},
    }


# ---- model: BERT's encoder (attention, feed-forward, layer, model), parameters named as Hugging Face's keys ----

@dataclass(frozen=True)
class BertConfig:
    vocab_size: int
    hidden: int
    heads: int
    layers: int
    intermediate: int
    max_positions: int  # the window: sentence-transformers' max_seq_length at most


TINY = BertConfig(vocab_size=len(VOCAB), hidden=32, heads=4, layers=2, intermediate=64, max_positions=16)


class BertSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.head_size = c.heads, c.hidden // c.heads
        self.query, self.key, self.value = (nn.Linear(c.hidden, c.hidden) for _ in range(3))

    def forward(self, x, mask_bias):
        b, t, _ = x.shape
        heads = lambda y: y.view(b, t, self.heads, self.head_size).transpose(1, 2)  # (B, nh, T, hs)
        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_size) + mask_bias  # (B, nh, T, T)
        return (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)  # (B, T, C)


class BertOutput(nn.Module):
    """Projection back to the residual stream, residual added, normalised (BERT is post-norm)."""

    def __init__(self, inputs, c):
        super().__init__()
        self.dense = nn.Linear(inputs, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=1e-12)

    def forward(self, h, residual):
        return self.LayerNorm(self.dense(h) + residual)


class BertAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = BertSelfAttention(c)
        self.output = BertOutput(c.hidden, c)

    def forward(self, x, mask_bias):
        return self.output(self.self(x, mask_bias), x)


class BertIntermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.intermediate)

    def forward(self, x):
        return nn.functional.gelu(self.dense(x))


class BertLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = BertAttention(c)
        self.intermediate = BertIntermediate(c)
        self.output = BertOutput(c.intermediate, c)

    def forward(self, x, mask_bias):
        x = self.attention(x, mask_bias)
        return self.output(self.intermediate(x), x)


class BertEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab_size, c.hidden)
        self.position_embeddings = nn.Embedding(c.max_positions, c.hidden)
        self.token_type_embeddings = nn.Embedding(2, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=1e-12)
        # sliced, not arange(size): the traced graph then follows the input's length
        self.register_buffer("position_ids", torch.arange(c.max_positions).unsqueeze(0))

    def forward(self, input_ids, token_type_ids):
        positions = self.position_ids[:, :input_ids.shape[1]]
        return self.LayerNorm(self.word_embeddings(input_ids) + self.position_embeddings(positions)
                              + self.token_type_embeddings(token_type_ids))


class BertEncoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList(BertLayer(c) for _ in range(c.layers))

    def forward(self, x, mask_bias):
        for layer in self.layer:
            x = layer(x, mask_bias)
        return x


class BertPooler(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.hidden)

    def forward(self, x):
        return torch.tanh(self.dense(x[:, 0]))


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = BertEmbeddings(c)
        self.encoder = BertEncoder(c)
        self.pooler = BertPooler(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.embeddings(input_ids, token_type_ids)  # (B, T, C)
        # padded keys get a large negative score, so no real token attends to padding
        mask_bias = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0  # (B, 1, 1, T)
        x = self.encoder(x, mask_bias)
        # a dict, as Hugging Face models traced with strict=False (djl-convert) return
        return {"last_hidden_state": x, "pooler_output": self.pooler(x)}


def padded(ids_batch):
    """Rows padded with id 0 to the longest, and the attention mask that hides the padding."""
    width = max(len(ids) for ids in ids_batch)
    input_ids = torch.tensor([ids + [0] * (width - len(ids)) for ids in ids_batch])
    mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in ids_batch])
    return input_ids, mask


def sentence_embedding(model, ids_batch):
    """sentence-transformers: mean of the token vectors over the attention mask, then L2 normalisation."""
    input_ids, mask = padded(ids_batch)
    hidden = model(input_ids, mask, torch.zeros_like(input_ids))["last_hidden_state"]
    summed = (hidden * mask.unsqueeze(-1)).sum(1)
    mean = summed / mask.sum(1, keepdim=True).clamp(min=1e-9)
    return nn.functional.normalize(mean, p=2, dim=1)


def trace(model, example, check):
    """TorchScript of model, traced on a padded batch and checked on another batch size and length."""
    input_ids, mask = padded(example)
    traced = torch.jit.trace(model, (input_ids, mask, torch.zeros_like(input_ids)), strict=False)
    input_ids, mask = padded(check)
    eager = model(input_ids, mask, torch.zeros_like(input_ids))["last_hidden_state"]
    again = traced(input_ids, mask, torch.zeros_like(input_ids))["last_hidden_state"]
    assert torch.allclose(eager, again, atol=1e-4), "the trace does not follow other shapes"
    return traced


def main():
    torch.manual_seed(20240611)
    model = Bert(TINY).eval()
    # words dominate each token's vector (BERT's 0.02 init for all three makes every text look alike), so
    # different texts get clearly different vectors
    with torch.no_grad():
        model.embeddings.word_embeddings.weight.normal_(0, 1.0)
        model.embeddings.position_embeddings.weight.normal_(0, 0.3)
        model.embeddings.token_type_embeddings.weight.normal_(0, 0.1)

    ids = [tokenize(text) for text in TEXTS]
    assert all(len(i) <= TINY.max_positions for i in ids), "every text must fit the window"
    with torch.no_grad():
        alone = torch.cat([sentence_embedding(model, [i]) for i in ids])
        batched = sentence_embedding(model, ids)
        assert torch.allclose(alone, batched, atol=1e-5), "padding changed a vector: masking is wrong"
        similarity = alone @ alone.T
        off_diagonal = similarity[~torch.eye(len(TEXTS), dtype=torch.bool)]
        assert off_diagonal.max() < 0.9, f"texts are too alike to test anything: {similarity}"
        traced = trace(model, [ids[0], ids[5]], [ids[1]])

    OUT.mkdir(parents=True, exist_ok=True)
    traced.save(str(OUT / f"{NAME}.pt"))
    (OUT / "tokenizer.json").write_text(json.dumps(tokenizer_json(), indent=1) + "\n")
    # as djl-convert writes it for a BERT sentence-transformers model
    (OUT / "serving.properties").write_text(
        f"engine=PyTorch\noption.modelName={NAME}\noption.mapLocation=true\nincludeTokenTypes=true\n"
        f"maxLength={TINY.max_positions}\n")
    expected = {
        "maxTokens": TINY.max_positions,
        "texts": TEXTS,
        "ids": ids,
        "vectors": [[round(v, 7) for v in row] for row in alone.tolist()],
    }
    (OUT / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    for f in sorted(OUT.iterdir()):
        print(f"{f.stat().st_size:>8}  {f}")
    print("max cosine between different texts:", round(off_diagonal.max().item(), 4))


if __name__ == "__main__":
    main()
