package io.twt.compression;

import io.twt.compression.domain.RationaleCompressor;
import io.twt.compression.domain.TokenCounter;
import io.twt.compression.outgoing.GatewayClient;
import io.twt.compression.outgoing.GatewayTeacherChat;
import io.twt.compression.outgoing.TokenizerCounter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/** Wires the plain domain objects from the settings. */
public class CompressionBeans {

    private static final Logger LOG = Logger.getLogger(CompressionBeans.class);

    @Produces
    @ApplicationScoped
    TokenCounter tokenCounter(CompressionSettings settings) {
        if (settings.studentModelDir().isEmpty()) {
            LOG.info("no student model directory configured: rationale lengths are counted in whitespace words");
            return TokenCounter.WORDS;
        }
        Path dir = Path.of(settings.studentModelDir().get());
        LOG.infof("rationale lengths are counted with the student tokenizer of %s", dir);
        return new TokenizerCounter(dir);
    }

    @Produces
    @ApplicationScoped
    RationaleCompressor compressor(CompressionSettings settings, TokenCounter counter, @RestClient GatewayClient gateway) {
        return new RationaleCompressor(settings.method(),
                new GatewayTeacherChat(gateway, settings.maxTokens(), settings.temperature()),
                counter, settings.attempts(), settings.fixedLengthTokens());
    }
}
