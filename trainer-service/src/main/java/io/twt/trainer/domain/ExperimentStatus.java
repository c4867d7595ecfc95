package io.twt.trainer.domain;

import io.twt.common.TaskKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where an experiment stands, for {@code GET /experiments}: its pool, and per recipe its round, the stages trained
 * so far, the rows it selected from the pool and their label accuracy against gold (table 5's figure for the
 * selection methods; math and multiple choice, where gold exists).
 */
public record ExperimentStatus(String id, String snapshot, int poolQueries, int poolOutputs, String teacher,
                               String compressor, double threshold, Double rationaleWeight, Integer evalLimit,
                               Instant createdAt, boolean complete, List<RecipeStatus> recipes) {

    /**
     * @param round null until the recipe's round is opened
     */
    public record RecipeStatus(String recipe, Integer round, int stages, int stagesTrained, boolean complete,
                               int trainRows, Map<TaskKind, PoolSelection.LabelAccuracy> labelAccuracy) {
    }

    public static ExperimentStatus of(Experiments.Experiment experiment, PoolSnapshot pool, ExperimentRunner runner) {
        List<RecipeStatus> recipes = new ArrayList<>();
        for (String recipe : experiment.recipes()) {
            List<DistillRow> rows = experiment.selection(recipe).rows(pool);
            RoundLedger.RoundEntry round = runner.roundOf(experiment.id(), recipe).orElse(null);
            recipes.add(new RecipeStatus(recipe, round == null ? null : round.round(),
                    StageRecipe.named(recipe).stages().size(), round == null ? 0 : round.stages().size(),
                    round != null && round.complete(), rows.size(), PoolSelection.labelAccuracy(rows)));
        }
        return new ExperimentStatus(experiment.id(), experiment.snapshot(), pool.queries().size(), pool.outputCount(),
                experiment.teacher(), experiment.compressor(), experiment.threshold(), experiment.rationaleWeight(),
                experiment.evalLimit(), experiment.createdAt(),
                experiment.complete(), recipes);
    }
}
