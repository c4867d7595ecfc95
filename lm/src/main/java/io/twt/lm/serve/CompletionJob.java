package io.twt.lm.serve;

import io.twt.lm.Generation;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.MultiLoraModel;
import io.twt.lm.StudentModel;
import io.twt.lm.generate.Generator;
import io.twt.lm.generate.Sampler;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One request on its way through a batch: it checks the stop strings as tokens arrive, and for a streamed request
 * hands out the text that can no longer change (a possible start of a stop string, or half a UTF-8 character, is
 * held back), so the streamed pieces add up to exactly the text of the unstreamed answer.
 */
final class CompletionJob {

    /** What the HTTP thread waits for: pieces of text (streamed requests only), then the end or a failure. */
    sealed interface Event permits Delta, Done, Failed {
    }

    record Delta(String text) implements Event {
    }

    record Done(Generation generation, int promptTokens) implements Event {
    }

    record Failed(OpenAiError error) implements Event {
    }

    final String adapter; // null for the base model
    final long[] promptIds;
    final GenerationConfig config;
    final boolean stream;
    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private int emitted; // characters handed out so far (streamed requests)

    CompletionJob(String adapter, long[] promptIds, GenerationConfig config, boolean stream) {
        this.adapter = adapter;
        this.promptIds = promptIds;
        this.config = config;
        this.stream = stream;
    }

    /** This request as a row of a batch; its own sampler, so its seed alone decides its sample. */
    Generator.Row row(MultiLoraModel student) {
        return new Generator.Row(promptIds, config.maxNewTokens(), Sampler.of(config), generated -> onTokens(student, generated));
    }

    private boolean onTokens(MultiLoraModel student, long[] generated) {
        if (!stream && config.stop().isEmpty()) {
            return false;
        }
        String text = student.decode(generated);
        boolean stopped = StudentModel.stopIndex(text, config.stop()) >= 0;
        if (stream && !stopped) {
            emit(text, text.length() - heldBack(text));
        }
        return stopped;
    }

    void finish(MultiLoraModel student, Generator.Output output) {
        Generation generation = student.generation(output, config.stop());
        if (stream) {
            emit(generation.text(), generation.text().length());
        }
        events.add(new Done(generation, promptIds.length));
    }

    void fail(OpenAiError error) {
        events.add(new Failed(error));
    }

    private void emit(String text, int upTo) {
        if (upTo > emitted) {
            events.add(new Delta(text.substring(emitted, upTo)));
            emitted = upTo;
        }
    }

    /** Characters at the end that may still change: a replacement character (an unfinished UTF-8 sequence) or a stop string's start. */
    private int heldBack(String text) {
        int held = 0;
        while (held < text.length() && text.charAt(text.length() - 1 - held) == '\uFFFD') {
            held++;
        }
        for (String stop : config.stop()) {
            for (int k = Math.min(stop.length() - 1, text.length()); k > held; k--) {
                if (text.endsWith(stop.substring(0, k))) {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }
}
