package io.twt.eval;

import io.twt.common.BuiltInQueries;
import io.twt.common.EvalReport;
import io.twt.common.QueryPurpose;
import io.twt.common.TaskKind;
import io.twt.common.selection.QualityCriterion;
import io.twt.eval.domain.ReportLedger;
import io.twt.eval.domain.ExperimentScopes;
import io.twt.eval.domain.dashboard.Board;
import io.twt.eval.domain.dashboard.DcrsStats;
import io.twt.eval.domain.dashboard.TeacherScoreboard;
import io.twt.eval.domain.dataset.DatasetReader;
import io.twt.eval.domain.dataset.EvalItem;
import io.twt.eval.domain.sandbox.Isolation;
import io.twt.eval.domain.sandbox.Sandbox;
import io.twt.eval.domain.sandbox.SandboxLimits;
import io.twt.eval.domain.sandbox.SandboxSetup;
import io.twt.eval.domain.scoring.Evaluator;
import io.twt.eval.domain.scoring.Scorer;
import io.twt.eval.domain.scoring.TaskScore;
import io.twt.eval.domain.model.LmModelLoader;
import io.twt.eval.domain.model.ModelLoader;
import io.twt.eval.domain.model.VersionEvaluator;
import io.twt.eval.outgoing.EndpointModelLoader;
import io.twt.eval.outgoing.ExampleStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Builds the plain-Java domain objects from the settings, once per application. */
public class EvalBeans {

    private static final Logger LOG = Logger.getLogger(EvalBeans.class);

    @Produces
    @ApplicationScoped
    Sandbox sandbox(EvalSettings settings) {
        EvalSettings.SandboxSettings config = settings.sandbox();
        SandboxLimits defaults = SandboxLimits.defaults();
        SandboxLimits limits = new SandboxLimits(config.cpuTime(), config.timeout(), config.memoryBytes(),
                config.maxProcesses(), defaults.maxFileBytes(), defaults.maxOutputChars());
        Path work = Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir"))).resolve("twt-eval-sandbox");
        Sandbox sandbox = Sandbox.create(new SandboxSetup(Path.of(config.python()), config.bwrap(), config.unshare(),
                limits, work, config.require()));
        if (sandbox.refusesCode()) {
            LOG.errorf("code tasks are not evaluated: %s", sandbox.refusal());
        } else if (sandbox.isolation() != Isolation.BUBBLEWRAP) {
            LOG.warnf("code sandbox: %s", sandbox.summary());
        }
        LOG.infof("code sandbox: %s isolation, %s CPU, %s wall clock, %d MiB, %d processes", sandbox.isolation(),
                limits.cpuTime(), limits.wallTimeout(), limits.memoryBytes() >> 20, limits.maxProcesses());
        return sandbox;
    }

    @Produces
    @ApplicationScoped
    Evaluator evaluator(Sandbox sandbox, EvalSettings settings) {
        return new Evaluator(new Scorer(sandbox), settings.sandbox().parallelism());
    }

    @Produces
    @ApplicationScoped
    ExperimentScopes experimentScopes() {
        return new ExperimentScopes();
    }

    @Produces
    @ApplicationScoped
    Board board(Sandbox sandbox, ReportLedger ledger, ExampleStore store,
                @ConfigProperty(name = QualityCriterion.THRESHOLD_KEY, defaultValue = "" + QualityCriterion.PAPER_THRESHOLD)
                double qualityThreshold) {
        TeacherScoreboard teachers = new TeacherScoreboard(new Scorer(sandbox));
        // the teachers' rows resume from their committed per-example results: no output is scored (no code run) twice
        int restored = 0;
        for (EvalReport report : ledger.teacherReports()) {
            TaskScore score = report.perExampleUri() == null ? null : store.read(report.perExampleUri());
            if (score != null) {
                teachers.restore(report.model(), report.task(), score.examples());
                restored += score.examples().size();
            }
        }
        LOG.infof("teacher rows: %d scored outputs restored from %d committed reports", restored,
                ledger.teacherReports().size());
        return new Board(teachers, new DcrsStats(qualityThreshold), sandbox.reportedLevel(), sandbox.summary());
    }

    @Produces
    @ApplicationScoped
    VersionEvaluator versionEvaluator(Evaluator evaluator, EvalSettings settings, Sandbox sandbox) {
        ModelLoader loader = settings.student().endpoint()
                .<ModelLoader>map(url -> new EndpointModelLoader(url, settings.student().requestTimeout(), settings.batchSize()))
                .orElseGet(LmModelLoader::new);
        LOG.infof("students generate %s", settings.student().endpoint().map(url -> "at " + url).orElse("in-process"));
        return new VersionEvaluator(evalSets(settings, sandbox), loader, evaluator, settings.batchSize(), settings.cap());
    }

    /**
     * Per task kind: the configured benchmark file, else the built-in eval queries
     * ({@link BuiltInQueries}: the lab's eval split, gold labels, disjoint from training);
     * no code set where the sandbox refuses code, so code rows are "not run" rather than scored 0.
     */
    static Map<TaskKind, List<EvalItem>> evalSets(EvalSettings settings, Sandbox sandbox) {
        Map<TaskKind, List<EvalItem>> sets = new EnumMap<>(TaskKind.class);
        BuiltInQueries builtIn = null; // looked up only where a task has no dataset file
        for (String name : settings.tasks()) {
            TaskKind task = TaskKind.fromWire(name.strip());
            if (task == TaskKind.CODE && sandbox.refusesCode()) {
                LOG.warn("eval set code: not run (no sandbox)");
                continue;
            }
            String file = settings.dataset(task).orElse(null);
            if (file == null && builtIn == null) {
                builtIn = BuiltInQueries.onClassPath();
            }
            List<EvalItem> items = file != null
                    ? DatasetReader.read(Path.of(file), null).stream().filter(item -> item.task() == task).toList()
                    : builtIn.generate(task, QueryPurpose.EVAL, settings.limit(), settings.seed()).stream().map(EvalItem::of).toList();
            List<EvalItem> limited = items.subList(0, Math.min(items.size(), settings.limit()));
            sets.put(task, limited);
            LOG.infof("eval set %s: %d examples from %s", task.wire(), limited.size(), file != null ? file : builtIn.source());
        }
        return sets;
    }
}
