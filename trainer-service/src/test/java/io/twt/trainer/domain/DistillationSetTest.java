package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.DistillSampleSet;
import io.twt.common.QueryPurpose;
import io.twt.common.RecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistillationSetTest {

    @TempDir
    Path dir;

    @Test
    void redeliveredQueryIsNotWrittenTwice() {
        DistillationSet set = DistillationSet.open(dir.resolve("g.jsonl"));
        assertEquals(2, set.append(List.of(Samples.set("q1", "a", "b"), Samples.set("q2", "a"))));
        assertEquals(0, set.append(List.of(Samples.set("q1", "a", "b"))));
        assertEquals(2, set.size());
        assertEquals(3, set.rows(2).size());
    }

    @Test
    void reopenedSetHasWhatWasAppendedAndStillDeduplicates() throws Exception {
        Path file = dir.resolve("g.jsonl");
        DistillationSet.open(file).append(List.of(Samples.set("q1", "a"), Samples.set("q2", "b")));
        DistillationSet reopened = DistillationSet.open(file);
        assertEquals(2, reopened.size());
        assertEquals(0, reopened.append(List.of(Samples.set("q2", "b"))));
        assertEquals(1, reopened.append(List.of(Samples.set("q3", "c"))));
        assertEquals(3, Files.readAllLines(file).size());
    }

    @Test
    void lineCutShortByACrashIsDropped() throws Exception {
        Path file = dir.resolve("g.jsonl");
        DistillationSet.open(file).append(List.of(Samples.set("q1", "a")));
        Files.writeString(file, "{\"schemaVersion\":1,\"queryId\":\"q2\",\"qu", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        DistillationSet reopened = DistillationSet.open(file);
        assertEquals(1, reopened.size());
        assertEquals(1, reopened.append(List.of(Samples.set("q2", "a"))));
        assertEquals(2, DistillationSet.open(file).size());
    }

    @Test
    void snapshotIsAPrefixThatLaterArrivalsDoNotChange() {
        DistillationSet set = DistillationSet.open(dir.resolve("g.jsonl"));
        set.append(List.of(Samples.set("q1", "a"), Samples.set("q2", "a")));
        List<DistillRow> snapshot = set.rows(2);
        set.append(List.of(Samples.set("q3", "a")));
        assertEquals(snapshot, set.rows(2));
    }

    @Test
    void evalQueriesNeverEnterG() throws Exception {
        Path file = dir.resolve("g.jsonl");
        DistillationSet set = DistillationSet.open(file);
        DistillSampleSet eval = Samples.set("e1", "a", "b");
        DistillSampleSet evalQuery = new DistillSampleSet(eval.schemaVersion(), eval.queryId(),
                eval.query().withPurpose(QueryPurpose.EVAL), eval.samples(), eval.minSimilarity(), eval.keptCount(),
                eval.teacherCount());
        assertEquals(1, set.append(List.of(Samples.set("q1", "a"), evalQuery)));
        assertEquals(List.of("q1"), set.rows(1).stream().map(row -> row.query().id()).distinct().toList());
        // nor through a file written before the rule (or by hand)
        Files.writeString(file, RecordCodec.of(DistillSampleSet.class).encodeString(evalQuery) + "\n",
                StandardOpenOption.APPEND);
        assertEquals(1, DistillationSet.open(file).size());
    }
}
