package io.twt.eval.incoming;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.common.annotation.Blocking;
import io.twt.common.DistillSampleSet;
import io.twt.common.EvalReport;
import io.twt.common.RecordCodec;
import io.twt.common.Rejection;
import io.twt.common.TeacherSpend;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import io.twt.eval.domain.dashboard.Board;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Feeds the dashboard from the pipeline's topics, each read from its beginning by this instance alone
 * (so a restart rebuilds the same picture). Records that fail validation are skipped here: the topic's
 * own consumer sends them to its dead-letter topic.
 */
@ApplicationScoped
public class PipelineConsumers {

    private static final RecordCodec<TeacherOutput> OUTPUTS = Topic.TEACHER_OUTPUTS.codec(TeacherOutput.class);
    private static final RecordCodec<DistillSampleSet> PAIRS = Topic.DIVERSE_PAIRS.codec(DistillSampleSet.class);
    private static final RecordCodec<Rejection> REJECTIONS = Topic.REJECTED_QUERIES.codec(Rejection.class);
    private static final RecordCodec<EvalReport> REPORTS = Topic.EVAL_REPORTS.codec(EvalReport.class);
    private static final RecordCodec<TeacherSpend> SPEND = Topic.TEACHER_SPEND.codec(TeacherSpend.class);

    private final Board board;
    private final MeterRegistry registry;

    public PipelineConsumers(Board board, MeterRegistry registry) {
        this.board = board;
        this.registry = registry;
    }

    /**
     * Teacher rows (eval queries with a gold label; code runs in the sandbox, once per output even across restarts)
     * and confidences; {@code twt_eval_teacher_outputs_total{outcome}} counts what was scored.
     */
    @Incoming("teacher-outputs")
    @Blocking
    public void teacherOutput(byte[] value) {
        TeacherOutput output = OUTPUTS.decode(value);
        board.dcrs().record(output);
        boolean scored = board.teachers().record(output);
        registry.counter("twt.eval.teacher.outputs", "outcome", scored ? "scored" : "not_scored").increment();
    }

    @Incoming("diverse-pairs")
    public void diversePair(byte[] value) {
        if (value == null) {
            // a tombstone: a re-drive turned this query's decision the other way
            return;
        }
        board.dcrs().record(PAIRS.decode(value));
    }

    @Incoming("rejected-queries")
    public void rejection(byte[] value) {
        if (value == null) {
            // a tombstone: a re-drive turned this query's decision the other way
            return;
        }
        board.dcrs().record(REJECTIONS.decode(value));
    }

    /** The gateway replicas' spend per teacher and day, for the dashboard's spend table. */
    @Incoming("teacher-spend")
    public void spend(byte[] value) {
        if (value != null) {
            board.record(SPEND.decode(value));
        }
    }

    @Incoming("eval-reports")
    public void report(byte[] value) {
        board.record(REPORTS.decode(value));
    }
}
