package io.twt.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.twt.lab.student.LabBase;
import io.twt.lab.student.LabBaseSpec;
import io.twt.trainer.domain.DistillationSet;
import io.twt.trainer.domain.ExperimentRunner;
import io.twt.trainer.domain.Experiments;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundRunner;
import io.twt.trainer.outgoing.KafkaDraftExchange;
import io.twt.trainer.outgoing.KafkaPool;
import io.twt.trainer.outgoing.KafkaVersionBoard;
import io.twt.trainer.student.LmStudent;
import io.twt.trainer.student.TrainingPresets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain domain objects and their Kafka and lm adapters from the settings. */
@ApplicationScoped
public class TrainerBeans {

    private KafkaDraftExchange exchange;
    private KafkaVersionBoard versions;

    @Produces
    @ApplicationScoped
    DistillationSet distillationSet(TrainerSettings settings) {
        return DistillationSet.open(Path.of(settings.modelStore(), "distillation-set.jsonl"));
    }

    @Produces
    @ApplicationScoped
    RoundLedger ledger(TrainerSettings settings) {
        return RoundLedger.open(Path.of(settings.modelStore(), "rounds.json"));
    }

    @Produces
    @ApplicationScoped
    Experiments experiments(TrainerSettings settings) {
        return Experiments.open(Path.of(settings.modelStore(), Experiments.DIR));
    }

    @Produces
    @ApplicationScoped
    ExperimentRunner experimentRunner(Experiments experiments, RoundLedger ledger, RoundRunner rounds) {
        return new ExperimentRunner(experiments, ledger, rounds);
    }

    @Produces
    @ApplicationScoped
    KafkaPool pool(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        return new KafkaPool(bootstrapServers);
    }

    @Produces
    @ApplicationScoped
    RoundRunner runner(TrainerSettings settings, DistillationSet set, Experiments experiments, RoundLedger ledger,
                       TrainerMetrics metrics,
                       @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        // absolute, because model versions carry these paths to eval-service, which runs elsewhere
        Path store = Path.of(settings.modelStore()).toAbsolutePath();
        boolean labStudent = settings.baseModel().isEmpty();
        LabBaseSpec spec = switch (settings.labBase().spec()) {
            case "standard" -> LabBaseSpec.standard();
            case "smoke" -> LabBaseSpec.smoke();
            default -> throw new IllegalArgumentException("twt.trainer.lab-base.spec must be standard or smoke, got "
                    + settings.labBase().spec());
        };
        Path labCache = Path.of(settings.labBase().cache()).toAbsolutePath();
        LmStudent student = new LmStudent(settings.baseModel().map(dir -> Path.of(dir).toAbsolutePath()).orElse(null),
                () -> LabBase.ensure(labCache, spec, metrics),
                TrainingPresets.resolve(settings.training(), labStudent), settings.training().checkpointEvery(),
                settings.drafts().cap(),
                settings.drafts().batchSize(), metrics,
                settings.drafts().endpoint().map(url -> new LmStudent.DraftEndpoint(url, settings.drafts().requestTimeout())).orElse(null));
        exchange = new KafkaDraftExchange(bootstrapServers, settings.transactionalId());
        versions = new KafkaVersionBoard(bootstrapServers);
        return new RoundRunner(set, experiments, ledger, student, exchange, versions, metrics, store,
                settings.compressionDeadline());
    }

    void close(@Observes ShutdownEvent event) {
        if (exchange != null) {
            exchange.close();
        }
        if (versions != null) {
            versions.close();
        }
    }
}
