package io.twt.trainer.domain;

import io.twt.common.DistillSample;
import io.twt.common.DistillSampleSet;
import io.twt.common.InvalidRecordException;
import io.twt.common.RecordCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The distillation set G, durable: an append-only JSONL file of {@link DistillSampleSet}s, one line per query,
 * in arrival order. A batch is appended and forced to disk before its Kafka offsets are committed, so a
 * restart loses nothing; a redelivered query is recognised by its id and not written twice. A round's
 * snapshot is a prefix of the file (its first n queries), so it stays the same however much arrives later.
 * Eval queries ({@link io.twt.common.Query#forEvaluation()}) never enter: students are scored on them.
 */
public final class DistillationSet {

    private static final RecordCodec<DistillSampleSet> CODEC = RecordCodec.of(DistillSampleSet.class);

    private final Path file;
    private final List<DistillSampleSet> sets = new ArrayList<>();
    private final Set<String> queryIds = new HashSet<>();

    private DistillationSet(Path file) {
        this.file = file;
    }

    /** Reads the file if it exists; a last line cut short by a crash (never forced, so never committed) is dropped. */
    public static DistillationSet open(Path file) {
        return load(file, true);
    }

    /** Reads the file as it is now, changing nothing: for readers beside the running trainer (an export). */
    public static DistillationSet read(Path file) {
        return load(file, false);
    }

    /** @param repair truncate a last line cut short by a crash, which only the file's one writer may do */
    private static DistillationSet load(Path file, boolean repair) {
        DistillationSet set = new DistillationSet(file);
        try {
            if (repair) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            if (!Files.exists(file)) {
                return set;
            }
            byte[] bytes = Files.readAllBytes(file);
            int start = 0;
            int complete = 0;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == '\n') {
                    set.remember(CODEC.decode(new String(bytes, start, i - start, StandardCharsets.UTF_8)));
                    start = i + 1;
                    complete = start;
                }
            }
            if (repair && complete < bytes.length) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    channel.truncate(complete);
                }
            }
            return set;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the distillation set " + file, e);
        } catch (InvalidRecordException e) {
            throw new IllegalStateException("the distillation set " + file + " holds a bad line: " + e.reason(), e);
        }
    }

    /** Appends the sets whose query is new and for distillation, and forces them to disk; returns how many were. */
    public synchronized int append(List<DistillSampleSet> batch) {
        StringBuilder lines = new StringBuilder();
        int added = 0;
        for (DistillSampleSet sampleSet : batch) {
            if (remember(sampleSet)) {
                lines.append(CODEC.encodeString(sampleSet)).append('\n');
                added++;
            }
        }
        if (added > 0) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buffer = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot append to the distillation set " + file, e);
            }
        }
        return added;
    }

    private boolean remember(DistillSampleSet sampleSet) {
        if (sampleSet.query().forEvaluation() || !queryIds.add(sampleSet.queryId())) {
            return false;
        }
        sets.add(sampleSet);
        return true;
    }

    /** Queries in G. */
    public synchronized int size() {
        return sets.size();
    }

    /** The (query, teacher sample) rows of G's first {@code queries} queries: a round's snapshot. */
    public synchronized List<DistillRow> rows(int queries) {
        if (queries > sets.size()) {
            throw new IllegalArgumentException("G holds " + sets.size() + " queries, a snapshot of " + queries + " was asked for");
        }
        List<DistillRow> rows = new ArrayList<>();
        for (DistillSampleSet sampleSet : sets.subList(0, queries)) {
            for (DistillSample sample : sampleSet.samples()) {
                rows.add(new DistillRow(sampleSet.query(), sample));
            }
        }
        return rows;
    }
}
