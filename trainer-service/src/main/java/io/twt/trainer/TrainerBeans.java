package io.twt.trainer;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.twt.lab.student.LabBase;
import io.twt.lab.student.LabBaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.twt.trainer.domain.DatasetExport;
import io.twt.trainer.domain.DistillationSet;
import io.twt.trainer.domain.ExperimentRunner;
import io.twt.trainer.domain.Experiments;
import io.twt.trainer.domain.RoundLedger;
import io.twt.trainer.domain.RoundRunner;
import io.twt.trainer.domain.StageTrainer;
import io.twt.trainer.outgoing.CommandEngine;
import io.twt.trainer.outgoing.EmbeddingClient;
import io.twt.trainer.outgoing.JobTemplate;
import io.twt.trainer.outgoing.KafkaDraftExchange;
import io.twt.trainer.outgoing.KafkaPool;
import io.twt.trainer.outgoing.KafkaVersionBoard;
import io.twt.trainer.outgoing.KubernetesEngine;
import io.twt.trainer.student.LmStageTrainer;
import io.twt.trainer.student.LmTrainableStudent;
import io.twt.trainer.student.StageContract;
import io.twt.trainer.student.StageEngine;
import io.twt.trainer.student.StageHandOver;
import io.twt.trainer.student.TrainingPresets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the plain domain objects and their Kafka and lm adapters from the settings. */
@ApplicationScoped
public class TrainerBeans {

    private KafkaDraftExchange exchange;
    private KafkaVersionBoard versions;
    private KubernetesClient kubernetes;

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
    KafkaPool pool(TrainerSettings settings, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        return new KafkaPool(bootstrapServers, new EmbeddingClient(settings.embeddingUrl()));
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
        StageContract contract = TrainingPresets.contract(settings.training(), labStudent);
        LmTrainableStudent student = new LmTrainableStudent(settings.baseModel().map(dir -> Path.of(dir).toAbsolutePath()).orElse(null),
                () -> LabBase.ensure(labCache, spec, metrics), stageTrainer(settings, ledger, contract, metrics),
                settings.drafts().cap(), settings.drafts().batchSize(),
                settings.drafts().endpoint().map(url -> new LmTrainableStudent.DraftEndpoint(url, settings.drafts().requestTimeout())).orElse(null));
        exchange = new KafkaDraftExchange(bootstrapServers, settings.transactionalId());
        versions = new KafkaVersionBoard(bootstrapServers);
        return new RoundRunner(set, experiments, ledger, student, exchange, versions, metrics, store,
                settings.compressionDeadline());
    }

    /** The backend that trains each stage ({@code twt.trainer.backend}). */
    private StageTrainer stageTrainer(TrainerSettings settings, RoundLedger ledger, StageContract contract, TrainerMetrics metrics) {
        return switch (settings.backend()) {
            case "lm" -> new LmStageTrainer(contract, metrics);
            case "command" -> handOver(settings, ledger, contract, new CommandEngine(
                    List.of(settings.command().line().strip().split("\\s+")),
                    Path.of(settings.command().directory().orElse(".")).toAbsolutePath()));
            case "kubernetes" -> {
                JobTemplate template = JobTemplate.read(Path.of(settings.kubernetes().template().orElseThrow(() ->
                        new IllegalArgumentException("twt.trainer.backend=kubernetes needs twt.trainer.kubernetes.template"))));
                kubernetes = new KubernetesClientBuilder().build();
                String namespace = settings.kubernetes().namespace().orElse(kubernetes.getNamespace());
                yield handOver(settings, ledger, contract,
                        new KubernetesEngine(kubernetes, namespace, template, settings.kubernetes().ttl(), Clock.systemUTC()));
            }
            default -> throw new IllegalArgumentException("twt.trainer.backend must be lm, command or kubernetes, got "
                    + settings.backend());
        };
    }

    private static StageHandOver handOver(TrainerSettings settings, RoundLedger ledger, StageContract contract,
                                          StageEngine engine) {
        return new StageHandOver(ledger, engine, contract, DatasetExport.Format.of(settings.stageJob().datasetFormat()),
                settings.stageJob().maxAttempts());
    }

    void close(@Observes ShutdownEvent event) {
        if (kubernetes != null) {
            kubernetes.close();
        }
        if (exchange != null) {
            exchange.close();
        }
        if (versions != null) {
            versions.close();
        }
    }
}
