package io.twt.eval.outgoing;

import io.quarkus.scheduler.Scheduled;
import io.twt.eval.domain.ExperimentScopes;
import io.twt.eval.domain.dashboard.Board;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes the teachers' rows (round 0, stage 0, model = teacher name) every few seconds when new teacher
 * outputs were scored, rather than one report per teacher output: on the whole eval split, and for each experiment
 * with an eval limit, on its first N eval queries.
 */
@ApplicationScoped
public class TeacherReportPublisher {

    private final Board board;
    private final ReportPublisher publisher;
    private final ExperimentScopes scopes;
    private long published = 0;
    // experiment -> the scoreboard version its rows were last published at
    private final Map<String, Long> publishedFor = new HashMap<>();

    public TeacherReportPublisher(Board board, ReportPublisher publisher, ExperimentScopes scopes) {
        this.board = board;
        this.publisher = publisher;
        this.scopes = scopes;
    }

    @Scheduled(every = "${twt.eval.teacher-report-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishTeacherRows() {
        long version = board.teachers().version();
        if (version != published) {
            board.teachers().scores().forEach((teacher, scores) -> publisher.publish(teacher, 0, 0, null, scores));
            published = version;
        }
        for (ExperimentScopes.Scope scope : scopes.all()) {
            if (publishedFor.getOrDefault(scope.experiment(), -1L) != version) {
                board.teachers().scores(scope.ids()).forEach((teacher, scores) ->
                        publisher.publish(teacher, null, null, scope, scores));
                publishedFor.put(scope.experiment(), version);
            }
        }
    }
}
