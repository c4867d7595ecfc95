package io.twt.trainer.student;

import io.twt.lm.SftExample;
import io.twt.lm.TrainingListener;
import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageRun;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.domain.StageTrainer;
import io.twt.trainer.domain.TrainableStudent;
import java.util.List;

/**
 * The {@code lm} backend, the default: the stage trained in this JVM by the same {@link StageRun} that
 * {@code lm train --job} runs, from the examples in memory. An interrupted stage resumes from its newest checkpoint.
 */
public final class LmStageTrainer implements StageTrainer {

    private final StageContract contract;
    private final TrainingListener progress;

    public LmStageTrainer(StageContract contract, TrainingListener progress) {
        this.contract = contract;
        this.progress = progress;
    }

    @Override
    public TrainableStudent.TrainedStage train(TrainableStudent.StageJob job) {
        // in memory: the stage's train.jsonl already holds these examples
        StageSpec spec = contract.spec(job, new StageSpec.Dataset(job.workDir().resolve("train.jsonl").toString(),
                "prompt-completion", job.examples().size()));
        List<SftExample> examples = job.examples().stream().map(e -> e.task() == null
                ? new SftExample(e.prompt(), e.completion())
                : new SftExample(e.prompt(), e.completion(), e.task(), e.taskWeight())).toList();
        StageResult result = StageRun.run(spec, examples, progress);
        return contract.finish(job, result);
    }
}
