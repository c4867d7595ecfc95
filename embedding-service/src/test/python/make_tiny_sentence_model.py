"""Makes the tiny TorchScript sentence model that TorchScriptSentenceModelTest runs on DJL's PyTorch engine.

A two-layer BERT-like encoder with random weights (fixed seed), a WordPiece tokenizer.json in Hugging Face's
format, traced and laid out as djl-convert lays out a sentence-transformers model: <name>.pt taking
(input_ids, attention_mask, token_type_ids) and returning a dict with last_hidden_state, tokenizer.json,
serving.properties. expected.json holds sentence-transformers' vectors for a few texts: mean pooling over the
attention mask, then L2 normalisation, computed here in eager mode.

Run with Debian's python (torch, numpy; no transformers, no tokenizers):
    /usr/bin/python3 embedding-service/src/test/python/make_tiny_sentence_model.py
The output goes to ../resources/tiny-torchscript beside this script and is committed, so tests need no python.
"""
import json
import math
import string
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

HIDDEN = 32
HEADS = 4
LAYERS = 2
INTERMEDIATE = 64
MAX_POSITIONS = 16  # the window: sentence-transformers' max_seq_length for this model

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


# ---- model: BERT's encoder, small (attention, feed-forward, layer, model) ----

class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = (nn.Linear(HIDDEN, HIDDEN) for _ in range(3))
        self.dense = nn.Linear(HIDDEN, HIDDEN)

    def forward(self, x, mask_bias):
        b, t, _ = x.shape
        heads = lambda y: y.view(b, t, HEADS, HIDDEN // HEADS).transpose(1, 2)  # (B, nh, T, hs)
        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + mask_bias  # (B, nh, T, T)
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, HIDDEN)
        return self.dense(context)


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = SelfAttention()
        self.attention_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.intermediate = nn.Linear(HIDDEN, INTERMEDIATE)
        self.output = nn.Linear(INTERMEDIATE, HIDDEN)
        self.output_norm = nn.LayerNorm(HIDDEN, eps=1e-12)

    def forward(self, x, mask_bias):
        x = self.attention_norm(x + self.attention(x, mask_bias))
        return self.output_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))


class TinyBert(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(len(VOCAB), HIDDEN)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, HIDDEN)
        self.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.embeddings_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.layers = nn.ModuleList(Layer() for _ in range(LAYERS))
        self.pooler = nn.Linear(HIDDEN, HIDDEN)
        # sliced, not arange(size): the traced graph then follows the input's length
        self.register_buffer("position_ids", torch.arange(MAX_POSITIONS).unsqueeze(0))

    def forward(self, input_ids, attention_mask, token_type_ids):
        t = input_ids.shape[1]
        x = (self.word_embeddings(input_ids) + self.position_embeddings(self.position_ids[:, :t])
             + self.token_type_embeddings(token_type_ids))
        x = self.embeddings_norm(x)  # (B, T, C)
        # padded keys get a large negative score, so no real token attends to padding
        mask_bias = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0  # (B, 1, 1, T)
        for layer in self.layers:
            x = layer(x, mask_bias)
        # a dict, as Hugging Face models traced with strict=False (djl-convert) return
        return {"last_hidden_state": x, "pooler_output": torch.tanh(self.pooler(x[:, 0]))}


def sentence_embedding(model, ids_batch):
    """sentence-transformers: mean of the token vectors over the attention mask, then L2 normalisation."""
    width = max(len(ids) for ids in ids_batch)
    input_ids = torch.tensor([ids + [0] * (width - len(ids)) for ids in ids_batch])
    mask = torch.tensor([[1] * len(ids) + [0] * (width - len(ids)) for ids in ids_batch])
    hidden = model(input_ids, mask, torch.zeros_like(input_ids))["last_hidden_state"]
    summed = (hidden * mask.unsqueeze(-1)).sum(1)
    mean = summed / mask.sum(1, keepdim=True).clamp(min=1e-9)
    return nn.functional.normalize(mean, p=2, dim=1)


def main():
    torch.manual_seed(20240611)
    model = TinyBert().eval()
    # words dominate each token's vector (BERT's 0.02 init for all three makes every text look alike), so
    # different texts get clearly different vectors
    with torch.no_grad():
        model.word_embeddings.weight.normal_(0, 1.0)
        model.position_embeddings.weight.normal_(0, 0.3)
        model.token_type_embeddings.weight.normal_(0, 0.1)

    ids = [tokenize(text) for text in TEXTS]
    assert all(len(i) <= MAX_POSITIONS for i in ids), "every text must fit the window"
    with torch.no_grad():
        alone = torch.cat([sentence_embedding(model, [i]) for i in ids])
        batched = sentence_embedding(model, ids)
        assert torch.allclose(alone, batched, atol=1e-5), "padding changed a vector: masking is wrong"
        similarity = alone @ alone.T
        off_diagonal = similarity[~torch.eye(len(TEXTS), dtype=torch.bool)]
        assert off_diagonal.max() < 0.9, f"texts are too alike to test anything: {similarity}"

        example = torch.tensor([ids[0], ids[5] + [0] * (len(ids[0]) - len(ids[5]))])
        example_mask = (torch.arange(example.shape[1]) < torch.tensor([[len(ids[0])], [len(ids[5])]])).long()
        traced = torch.jit.trace(model, (example, example_mask, torch.zeros_like(example)), strict=False)
        # the trace must follow other batch sizes and lengths
        check_ids = torch.tensor([ids[1]])
        eager = model(check_ids, torch.ones_like(check_ids), torch.zeros_like(check_ids))["last_hidden_state"]
        traced_out = traced(check_ids, torch.ones_like(check_ids), torch.zeros_like(check_ids))["last_hidden_state"]
        assert torch.allclose(eager, traced_out, atol=1e-5), "the trace does not generalise"

    OUT.mkdir(parents=True, exist_ok=True)
    traced.save(str(OUT / f"{NAME}.pt"))
    (OUT / "tokenizer.json").write_text(json.dumps(tokenizer_json(), indent=1) + "\n")
    # as djl-convert writes it for a BERT sentence-transformers model
    (OUT / "serving.properties").write_text(
        f"engine=PyTorch\noption.modelName={NAME}\noption.mapLocation=true\nincludeTokenTypes=true\n"
        f"maxLength={MAX_POSITIONS}\n")
    expected = {
        "maxTokens": MAX_POSITIONS,
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
