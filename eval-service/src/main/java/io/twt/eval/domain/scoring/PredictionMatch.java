package io.twt.eval.domain.scoring;

import io.twt.eval.domain.dataset.EvalItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Predictions made elsewhere matched to a dataset's examples by id: the dataset's own id ("11", a CommonsenseQA
 * hash, a GSM8K line index) or its prefixed form ("mbpp-11"). An example without a prediction answers "" and so
 * scores as wrong; what did not match is kept for the message that says so.
 *
 * @param outputs              one per example, in dataset order
 * @param unmatchedExamples    ids of examples no prediction named, in dataset order
 * @param unmatchedPredictions ids of predictions that named no example, in file order
 */
public record PredictionMatch(List<ModelOutput> outputs, int predictions, List<String> unmatchedExamples,
                              List<String> unmatchedPredictions) {

    /** One line of a predictions file: the id as written (a number or a string) and the model's output. */
    public record Prediction(String id, String output, Integer outputTokens) {
    }

    /** Ids shown in the message, from each side. */
    static final int SHOWN = 2;

    /** @param countTokens counts the tokens of an output that came without a count */
    public static PredictionMatch of(List<EvalItem> items, List<Prediction> predictions,
                                     ToIntFunction<String> countTokens) {
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            for (String id : items.get(i).acceptedIds()) {
                indexById.putIfAbsent(id, i);
            }
        }
        ModelOutput[] outputs = new ModelOutput[items.size()];
        Set<String> unmatchedPredictions = new LinkedHashSet<>();
        for (Prediction prediction : predictions) {
            Integer index = indexById.get(prediction.id().strip());
            if (index == null) {
                unmatchedPredictions.add(prediction.id());
                continue;
            }
            int tokens = prediction.outputTokens() != null ? prediction.outputTokens()
                    : countTokens.applyAsInt(prediction.output());
            outputs[index] = new ModelOutput(prediction.output(), tokens);
        }
        List<ModelOutput> inOrder = new ArrayList<>();
        List<String> unmatchedExamples = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (outputs[i] == null) {
                unmatchedExamples.add(items.get(i).id());
            }
            inOrder.add(outputs[i] != null ? outputs[i] : new ModelOutput("", 0));
        }
        return new PredictionMatch(inOrder, predictions.size(), unmatchedExamples, List.copyOf(unmatchedPredictions));
    }

    public int matched() {
        return outputs.size() - unmatchedExamples.size();
    }

    /** Whether every example has a prediction and every prediction an example. */
    public boolean complete() {
        return unmatchedExamples.isEmpty() && unmatchedPredictions.isEmpty();
    }

    /**
     * How many matched, with two unmatched ids from each side: "2 of 4 examples have a prediction (3 predictions
     * read); without one (scored as wrong): 13, 14; predictions naming no example: mbpp_13, x". Null when complete.
     */
    public String message() {
        if (complete()) {
            return null;
        }
        StringBuilder line = new StringBuilder().append(matched()).append(" of ").append(outputs.size())
                .append(" examples have a prediction (").append(predictions).append(" predictions read)");
        if (!unmatchedExamples.isEmpty()) {
            line.append("; without one (scored as wrong): ").append(shown(unmatchedExamples));
        }
        if (!unmatchedPredictions.isEmpty()) {
            line.append("; predictions naming no example: ").append(shown(unmatchedPredictions));
        }
        if (matched() == 0) {
            line.append("; ids are the dataset's own (MBPP task_id, CommonsenseQA id, GSM8K/MetaMathQA 0-based"
                    + " record index or its id/idx field), optionally prefixed as mbpp-11, csqa-<id>, gsm8k-0");
        }
        return line.toString();
    }

    private static String shown(List<String> ids) {
        String first = String.join(", ", ids.subList(0, Math.min(SHOWN, ids.size())));
        return ids.size() > SHOWN ? first + " (and " + (ids.size() - SHOWN) + " more)" : first;
    }
}
