package io.twt.cli;

import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.Rejection;
import io.twt.common.TeacherOutput;
import io.twt.common.Topic;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code ./twt redrive [--teacher NAME] [--since TIME] [--status FAILED|ALL_FAILED]}: asks the teachers whose
 * outputs failed again, by pushing each such query to {@code twt.queries} with a re-drive request
 * ({@link RedrivePlan}). The sampler then decides the query once more from the complete set, the revised
 * decision replacing the first on its compacted topic. {@code --since} takes an instant
 * ({@code 2026-12-06T03:00:00Z}) or an age ({@code 30m}, {@code 2h}, {@code 1d}).
 */
@Command(name = "redrive", mixinStandardHelpOptions = true,
        description = "Asks the teachers whose outputs failed again (re-drive requests on twt.queries).")
final class RedriveCommand implements Callable<Integer> {

    private static final RecordCodec<TeacherOutput> OUTPUTS = Topic.TEACHER_OUTPUTS.codec(TeacherOutput.class);
    private static final Pattern AGE = Pattern.compile("(\\d+)([mhd])");

    @ParentCommand
    Twt twt;

    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", paramLabel = "NAME", description = "only this teacher's failed outputs")
    String teacher;

    @Option(names = "--since", paramLabel = "TIME", description = "only outputs since an instant (2026-12-06T03:00:00Z) or an age (30m, 2h, 1d)")
    String since;

    @Option(names = "--status", paramLabel = "FAILED|ALL_FAILED", description = "failed outputs of any query (FAILED, the default) or of queries every teacher failed (ALL_FAILED)")
    String status;

    @Override
    public Integer call() throws Exception {
        RedrivePlan.Filter filter;
        try {
            filter = filter(teacher, since, status, Instant.now());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Query> redrives = redrive(twt.workspace.kafkaBootstrap(), filter);
        long asks = redrives.stream().mapToLong(q -> q.redrive().teachers().size()).sum();
        System.out.printf("re-drove %d queries (%d teacher asks) to %s%n", redrives.size(), asks, Topic.QUERIES.topicName());
        return Twt.OK;
    }

    /** Plans the re-drives from the topics as they are now and pushes them; returns what it pushed. */
    static List<Query> redrive(String bootstrap, RedrivePlan.Filter filter) throws Exception {
        List<RedrivePlan.Written> outputs = new ArrayList<>();
        Map<String, Rejection> rejections;
        try (KafkaView view = new KafkaView(bootstrap)) {
            view.readAll(Topic.TEACHER_OUTPUTS, record -> {
                try {
                    outputs.add(new RedrivePlan.Written(OUTPUTS.decode(record.value()), Instant.ofEpochMilli(record.timestamp())));
                } catch (RuntimeException malformed) {
                    // the sampler sends it to twt.teacher-outputs.dlq; nothing to re-ask
                }
            });
            rejections = view.latestByKey(Topic.REJECTED_QUERIES, Rejection.class);
        }
        List<Query> redrives = RedrivePlan.plan(outputs, rejections, filter);
        PushCommand.send(bootstrap, redrives);
        return redrives;
    }

    /** The filter from the options as given (null: not given). */
    static RedrivePlan.Filter filter(String teacher, String since, String status, Instant now) {
        RedrivePlan.Status wanted = RedrivePlan.Status.FAILED;
        if (status != null) {
            try {
                wanted = RedrivePlan.Status.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--status must be FAILED or ALL_FAILED, got " + status);
            }
        }
        return new RedrivePlan.Filter(wanted, Optional.ofNullable(teacher),
                Optional.ofNullable(since).map(value -> since(value, now)));
    }

    private static Instant since(String value, Instant now) {
        Matcher age = AGE.matcher(value);
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            return now.minus(switch (age.group(2)) {
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since takes an instant (2026-12-06T03:00:00Z) or an age (30m, 2h, 1d), got " + value);
        }
    }
}
