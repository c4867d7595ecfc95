package io.twt.eval.outgoing;

import io.quarkus.scheduler.Scheduled;
import io.twt.eval.domain.dashboard.Board;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes the teachers' rows (round 0, stage 0, model = teacher name) every few seconds when new teacher
 * outputs were scored, rather than one report per teacher output.
 */
@ApplicationScoped
public class TeacherReportPublisher {

    private final Board board;
    private final ReportPublisher publisher;
    private long published = 0;

    public TeacherReportPublisher(Board board, ReportPublisher publisher) {
        this.board = board;
        this.publisher = publisher;
    }

    @Scheduled(every = "${twt.eval.teacher-report-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishTeacherRows() {
        long version = board.teachers().version();
        if (version == published) {
            return;
        }
        board.teachers().scores().forEach((teacher, scores) -> publisher.publish(teacher, 0, 0, null, scores));
        published = version;
    }
}
