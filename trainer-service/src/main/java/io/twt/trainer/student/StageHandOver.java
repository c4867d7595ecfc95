package io.twt.trainer.student;

import io.twt.lm.stage.StageResult;
import io.twt.lm.stage.StageSpec;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundLedger.JobEntry;
import io.twt.trainer.domain.RoundLedger.JobState;
import io.twt.trainer.domain.StageTrainer;
import io.twt.trainer.domain.TrainableStudent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * A stage handed to an engine outside this JVM through the stage contract. The job's name goes into the round ledger
 * before the engine is asked, so a restarted trainer re-attaches to the job it finds there and never submits the stage
 * twice; a job that failed is submitted again, under a new name, only while attempts are left.
 */
public final class StageHandOver implements StageTrainer {

    private static final Logger LOG = Logger.getLogger(StageHandOver.class);

    private final RoundLedger ledger;
    private final StageEngine engine;
    private final StageContract contract;
    private final DatasetExport.Format format;
    private final int maxAttempts;

    /**
     * @param format      the dataset layout the engine reads (messages or prompt-completion)
     * @param maxAttempts jobs per stage, the first included; a failure with none left fails the round with its reason
     */
    public StageHandOver(RoundLedger ledger, StageEngine engine, StageContract contract, DatasetExport.Format format,
                         int maxAttempts) {
        if (format != DatasetExport.Format.MESSAGES && format != DatasetExport.Format.PROMPT_COMPLETION) {
            throw new IllegalArgumentException("a stage job's dataset is messages or prompt-completion, not " + format.wire());
        }
        this.ledger = ledger;
        this.engine = engine;
        this.contract = contract;
        this.format = format;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public TrainableStudent.TrainedStage train(TrainableStudent.StageJob job) {
        Optional<TrainableStudent.TrainedStage> inPlace = contract.alreadyInPlace(job);
        if (inPlace.isPresent()) {
            return inPlace.get();
        }
        StageSpec spec = contract.write(job, format);
        JobEntry entry = ledger.round(job.round()).orElseThrow().job(job.stage()).orElse(null);
        while (true) {
            if (entry == null || entry.state() == JobState.FAILED && entry.attempt() < maxAttempts) {
                entry = submit(job, spec, entry == null ? 1 : entry.attempt() + 1);
            } else if (entry.state() == JobState.FAILED) {
                throw new IllegalStateException("round " + job.round() + " stage " + job.stage() + ": " + entry.backend()
                        + " job " + entry.name() + " failed (attempt " + entry.attempt() + " of " + maxAttempts + "): "
                        + entry.failure());
            } else {
                LOG.infof("round %d stage %d: waiting for %s job %s", job.round(), job.stage(), entry.backend(), entry.name());
            }
            StageEngine.Outcome outcome = engine.await(entry.name(), entry.handle(), job.workDir());
            Optional<StageResult> result = StageResult.readIfPresent(contract.outputDir(job));
            if (result.isPresent()) {
                try {
                    TrainableStudent.TrainedStage trained = contract.finish(job, result.get());
                    record(job, entry.succeeded());
                    return trained;
                } catch (IllegalStateException e) {
                    entry = record(job, entry.failed(e.getMessage()));
                }
            } else if (outcome.ending() == StageEngine.Ending.NOT_FOUND) {
                // recorded but never started (a crash in between), or removed before it could run: same name again
                LOG.warnf("round %d stage %d: job %s is not there and left no result; submitting it again under its name",
                        job.round(), job.stage(), entry.name());
                entry = start(job, spec, entry);
                continue;
            } else {
                entry = record(job, entry.failed(outcome.ending() == StageEngine.Ending.FAILED ? outcome.reason()
                        : "the job succeeded but left no " + StageResult.FILE + " in " + contract.outputDir(job)));
            }
            LOG.errorf("round %d stage %d: job %s failed: %s", job.round(), job.stage(), entry.name(), entry.failure());
        }
    }

    private JobEntry submit(TrainableStudent.StageJob job, StageSpec spec, int attempt) {
        String name = jobName(job, attempt);
        contract.clearOutput(job); // a failed attempt's files must not pass for this one's
        JobEntry entry = record(job, new JobEntry(job.stage(), attempt, engine.backend(), name, JobState.SUBMITTED, null, null));
        LOG.infof("round %d stage %d: submitting %s job %s (attempt %d of %d)", job.round(), job.stage(), engine.backend(),
                name, attempt, maxAttempts);
        return start(job, spec, entry);
    }

    private JobEntry start(TrainableStudent.StageJob job, StageSpec spec, JobEntry entry) {
        String handle = engine.submit(entry.name(), spec, job.workDir());
        return record(job, entry.started(handle));
    }

    private JobEntry record(TrainableStudent.StageJob job, JobEntry entry) {
        ledger.record(job.round(), entry);
        return entry;
    }

    /**
     * {@code twt-<served name>-<6 hex of the stage directory>[-a<attempt>]}: a valid Kubernetes name, the same after a
     * restart, and different for two model stores that train the same round and stage in one namespace.
     */
    static String jobName(TrainableStudent.StageJob job, int attempt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(job.workDir().toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            String name = "twt-" + job.servedName() + "-" + HexFormat.of().formatHex(digest, 0, 3);
            return attempt == 1 ? name : name + "-a" + attempt;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
