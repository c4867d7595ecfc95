import io.twt.common.Cosine;
import io.twt.embedding.domain.BundledMiniLm;
import io.twt.embedding.domain.EncoderSettings;
import io.twt.embedding.domain.SentenceEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PyTorch engine path on a real model: SentenceEncoder on the TorchScript that onnx_to_torchscript.py made from
 * the bundled all-MiniLM-L6-v2 against SentenceEncoder on the ONNX original, on lab rationales and one text longer
 * than a window. Prints the cosines and exits 1 if any is below 0.999.
 */
public final class TorchScriptAgreement {

    private static final double MIN_COSINE = 0.999;

    public static void main(String[] args) throws Exception {
        Path torchScript = Path.of(args[0]);
        int perKind = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        List<String> texts = new ArrayList<>();
        LabRationales.answers(LabRationales.queries(perKind, 11)).values()
                .forEach(answers -> answers.forEach(a -> texts.add(a.rationale())));
        // windows: a text of well over 256 tokens is pooled from several on both engines
        texts.add(String.join(" ", texts.subList(0, Math.min(texts.size(), 40))));
        Path cache = Path.of(System.getProperty("java.io.tmpdir"), "twt-models");
        try (SentenceEncoder onnx = SentenceEncoder.load(EncoderSettings.bundledMiniLm(cache, 32));
             SentenceEncoder pytorch = SentenceEncoder.load(new EncoderSettings(BundledMiniLm.NAME, Optional.of(torchScript),
                     Optional.empty(), SentenceEncoder.PYTORCH, BundledMiniLm.MAX_TOKENS, 32, Optional.empty(), cache, 0))) {
            List<float[]> expected = onnx.embed(texts);
            List<float[]> actual = pytorch.embed(texts);
            double min = 1;
            double sum = 0;
            for (int i = 0; i < texts.size(); i++) {
                double similarity = Cosine.similarity(expected.get(i), actual.get(i));
                min = Math.min(min, similarity);
                sum += similarity;
            }
            System.out.printf("%d texts (%d lab rationales and one of %d characters), PyTorch vs OnnxRuntime: "
                    + "min cosine %.6f, mean %.6f%n", texts.size(), texts.size() - 1, texts.get(texts.size() - 1).length(),
                    min, sum / texts.size());
            if (min < MIN_COSINE) {
                System.out.printf("FAIL: below %.3f%n", MIN_COSINE);
                System.exit(1);
            }
        }
    }
}
