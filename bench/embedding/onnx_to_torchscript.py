"""Converts the bundled all-MiniLM-L6-v2 ONNX (inside langchain4j's jar) into a TorchScript BERT laid out as
djl-convert lays out a sentence-transformers model, so torchscript-agreement.sh can run the same weights on DJL's
PyTorch engine and compare with OnnxRuntime. Reuses the BERT module of the tiny test model.

Usage (Debian's python3-torch and python3-onnx; no transformers):
    /usr/bin/python3 bench/embedding/onnx_to_torchscript.py LANGCHAIN4J_MINILM_JAR OUT_DIR
"""
import sys
import zipfile
from pathlib import Path

import onnx
import torch
from onnx import numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "embedding-service" / "src" / "test" / "python"))
from make_tiny_sentence_model import Bert, BertConfig, trace  # noqa: E402

NAME = "all-minilm-l6-v2"
MINILM = BertConfig(vocab_size=30522, hidden=384, heads=12, layers=6, intermediate=1536, max_positions=512)
MAX_SEQ_LENGTH = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2


def onnx_weights(graph):
    """Hugging Face key -> array. Named initializers keep their keys; a Linear's weight is an anonymous MatMul
    input (in, out), named here after the bias that is added to the MatMul's output."""
    initializers = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    weights = {k: v for k, v in initializers.items() if not k.startswith("onnx::")}
    for node in graph.node:
        if node.op_type == "MatMul" and node.input[1] in initializers:
            biases = [i for add in consumers[node.output[0]] if add.op_type == "Add"
                      for i in add.input if i.endswith(".bias")]
            assert len(biases) == 1, f"MatMul {node.name}: expected one bias added to it, found {biases}"
            weights[biases[0][:-len(".bias")] + ".weight"] = initializers[node.input[1]].T
    return weights


def load(model, weights):
    """Every key of the model from the export with its shape checked, the pooler excepted (the export has none;
    sentence-transformers does not use it), and every weight of the export used."""
    state = model.state_dict()
    for key, target in state.items():
        if key.startswith("pooler."):
            continue
        assert key in weights, f"{key} is not in the ONNX export"
        value = torch.from_numpy(weights[key].copy())
        assert value.shape == target.shape, f"{key}: export {tuple(value.shape)}, model {tuple(target.shape)}"
        target.copy_(value)
    unused = sorted(set(weights) - set(state))
    assert not unused, f"weights of the export that the model does not use: {unused}"


def main(jar, out):
    with zipfile.ZipFile(jar) as z:
        exported = onnx.load_model_from_string(z.read("all-minilm-l6-v2.onnx"))
        tokenizer = z.read("all-minilm-l6-v2-tokenizer.json")
    model = Bert(MINILM).eval()
    with torch.no_grad():
        load(model, onnx_weights(exported.graph))
        # [CLS] ... [SEP] rows of BERT's vocabulary; the tokenizer is not needed to trace
        traced = trace(model, [[101, 7592, 2088, 102], [101, 2748, 102]], [[101, 1037, 2460, 6251, 2182, 1012, 102]])
    out.mkdir(parents=True, exist_ok=True)
    traced.save(str(out / f"{NAME}.pt"))
    (out / "tokenizer.json").write_bytes(tokenizer)
    (out / "serving.properties").write_text(
        f"engine=PyTorch\noption.modelName={NAME}\noption.mapLocation=true\nincludeTokenTypes=true\n"
        f"maxLength={MAX_SEQ_LENGTH}\n")
    print(f"TorchScript all-MiniLM-L6-v2 in {out}")


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
