package io.twt.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.twt.common.Query;
import io.twt.common.TaskKind;
import io.twt.common.TeacherOutput;
import io.twt.common.TeacherStatus;
import io.twt.testsupport.LocalKafkaResource;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import io.twt.lab.teacher.FaultSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With 30% of lab calls failing (429 with Retry-After, 500, hangs past the timeout, truncated JSON), every
 * query still ends with exactly one record per teacher: OK after retries or re-asks, or FAILED with the reason.
 */
@QuarkusTest
@QuarkusTestResource(LocalKafkaResource.class)
@QuarkusTestResource(LabTeachersResource.class)
class FaultToleranceTest {

    private static final Logger LOG = Logger.getLogger(FaultToleranceTest.class);
    private static final int TEACHERS = 3;

    @Test
    @Timeout(300)
    void thirtyPercentInjectedFaultsStillGiveExactlyKRecordsPerQuery() throws Exception {
        GatewayTopics topics = new GatewayTopics(LocalKafkaResource.broker().bootstrapServers());
        List<Query> queries = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            queries.addAll(LabTasks.generate(kind, Split.TRAIN, 20, 404));
        }
        Set<String> ids = queries.stream().map(Query::id).collect(Collectors.toSet());
        long faultsBefore = LabTeachersResource.server().faultsInjected();
        LabTeachersResource.server().faults(FaultSettings.none().withFaults(0.30, Duration.ofMillis(2500)));
        List<TeacherOutput> all;
        try {
            var offsets = topics.push(queries);
            topics.awaitOutputs(ids, TEACHERS * queries.size(), Duration.ofSeconds(240));
            topics.awaitCommittedPast(offsets, Duration.ofSeconds(60));
            all = topics.allOutputs(ids);
        } finally {
            LabTeachersResource.server().faults(FaultSettings.none());
        }

        assertEquals(TEACHERS * queries.size(), all.size(), "no record missing, none duplicated");
        Map<String, List<TeacherOutput>> byQuery = all.stream().collect(Collectors.groupingBy(TeacherOutput::queryId));
        for (var entry : byQuery.entrySet()) {
            assertEquals(TEACHERS, entry.getValue().stream().map(TeacherOutput::teacher).distinct().count(), entry.getKey());
        }
        Map<TeacherStatus, Long> statuses = all.stream().collect(Collectors.groupingBy(TeacherOutput::status, Collectors.counting()));
        long faults = LabTeachersResource.server().faultsInjected() - faultsBefore;
        LOG.infof("fault test: %d faults injected; records by status %s; attempts total %d", faults, statuses,
                all.stream().mapToInt(TeacherOutput::attempts).sum());
        assertTrue(faults >= queries.size() * TEACHERS / 10, "faults were injected: " + faults);
        assertTrue(all.stream().anyMatch(o -> o.attempts() > 1), "some records needed retries");
        for (TeacherOutput out : all) {
            if (out.status() != TeacherStatus.OK) {
                assertTrue(out.error() != null && !out.error().isBlank(), "a failure says why: " + out);
            }
        }
        assertTrue(statuses.getOrDefault(TeacherStatus.OK, 0L) > all.size() * 0.9, "retries recover most: " + statuses);
    }
}
