package io.twt.embedding;

import io.quarkus.runtime.StartupEvent;
import io.twt.embedding.domain.SentenceEncoder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/** The one sentence encoder of the service, loaded at startup so the first batch does not wait for it. */
@ApplicationScoped
public class EncoderProducer {

    private static final Logger LOG = Logger.getLogger(EncoderProducer.class);

    @Produces
    @Singleton
    SentenceEncoder encoder(EmbeddingSettings config) {
        System.setProperty("ai.djl.offline", Boolean.toString(config.offline()));
        long start = System.nanoTime();
        SentenceEncoder encoder = SentenceEncoder.load(config.settings());
        LOG.infof("embedding model %s loaded on %s in %d ms", config.modelName(), config.engine(),
                (System.nanoTime() - start) / 1_000_000);
        return encoder;
    }

    void close(@Disposes SentenceEncoder encoder) {
        encoder.close();
    }

    void loadAtStartup(@Observes StartupEvent event, SentenceEncoder encoder) {
        LOG.debugf("encoder %s ready", encoder.modelName());
    }
}
