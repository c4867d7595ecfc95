package io.twt.trainer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.CompressedRationale;
import io.twt.common.CompressionMethod;
import io.twt.common.SchemaVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressedSetTest {

    @Test
    void missingRationalesKeepTheOriginalAndAreCountedApartFromTheServicesFallbacks() {
        var set = Samples.set("q1", "a", "b", "c");
        List<DistillRow> rows = set.samples().stream().map(s -> new DistillRow(set.query(), s)).toList();
        Map<String, CompressedRationale> received = Map.of(
                "7:q1:a", new CompressedRationale(SchemaVersion.CURRENT, 7, "q1", "a", "short", CompressionMethod.TEACHER_GUIDED, 10, 2),
                "7:q1:b", new CompressedRationale(SchemaVersion.CURRENT, 7, "q1", "b", rows.get(1).sample().rationale(),
                        CompressionMethod.FALLBACK_ORIGINAL, 10, 10));
        CompressedSet collected = CompressedSet.collect(rows, 7, received, Map.of());
        assertEquals("short", collected.rationales().get("7:q1:a"));
        assertEquals(rows.get(2).sample().rationale(), collected.rationales().get("7:q1:c"));
        assertEquals(3, collected.drafts());
        assertEquals(1, collected.teacherGuided());
        assertEquals(1, collected.fallbacks());
        assertEquals(1, collected.missing());
        assertEquals(10.0, collected.originalTokensMean());
        assertEquals(6.0, collected.compressedTokensMean());
    }
}
