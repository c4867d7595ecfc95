package io.twt.eval;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.twt.common.GenerationCap;
import io.twt.common.ModelVersion;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** eval-service settings; every key can be set by its environment variable (twt.eval.limit = TWT_EVAL_LIMIT). */
@ConfigMapping(prefix = "twt.eval")
public interface EvalSettings {

    /** Where trainer-service keeps models: relative model paths resolve here, per-example results go to its eval/. */
    @WithDefault("${twt.model-store:" + ModelVersion.DEFAULT_MODEL_STORE + "}")
    String modelStore();

    /** Task kinds evaluated for every model version. */
    @WithDefault("code,mcq,math")
    List<String> tasks();

    /** Examples per task kind in the eval set (the lab's eval split, or the first N of a dataset file). */
    @WithDefault("50")
    int limit();

    /**
     * Generation limit; the paper's preset is 2048 (temperature 0, top-p 0.95). Each batch gets less where the
     * student's context or its training completions leave less (see {@link #cap()}).
     */
    @WithDefault("2048")
    int maxNewTokens();

    /** A version generates at most this many times the longest completion its stage trained on (plus the margin). */
    @WithDefault("2.0")
    double completionCapFactor();

    /** Tokens added to that, so a stage trained on answers alone still has room to stop. */
    @WithDefault("16")
    int completionCapMargin();

    /**
     * The vanilla student's limit. Unset: the completion cap of the eval set's longest gold answer (as the
     * answer-only completion "#### y"), which suits a student that was never taught to reason; a pretrained
     * model that reasons before it answers needs a larger one (e.g. 2048).
     */
    OptionalInt vanillaMaxNewTokens();

    /** Prompts generated together. */
    @WithDefault("8")
    int batchSize();

    /** Seed of the lab's eval split, so every version is scored on the same queries. */
    @WithDefault("7")
    long seed();

    /** A benchmark file for code (MBPP JSONL) instead of the lab's eval split; the format is detected. */
    Optional<String> codeDataset();

    /** A benchmark file for multiple choice (CommonsenseQA JSONL) instead of the lab's eval split. */
    Optional<String> mcqDataset();

    /** A benchmark file for math (GSM8K JSONL, MetaMathQA JSON) instead of the lab's eval split. */
    Optional<String> mathDataset();

    /** Between publications of the teachers' rows (when new teacher outputs were scored). */
    @WithDefault("10s")
    Duration teacherReportInterval();

    /** Also evaluate the base model without adapter once per base model: the paper's vanilla student rows. */
    @WithDefault("true")
    boolean vanilla();

    /** Seconds between browser refreshes of the dashboard. */
    @WithDefault("10")
    int dashboardRefreshSeconds();

    SandboxSettings sandbox();

    StudentSettings student();

    default GenerationCap cap() {
        return new GenerationCap(maxNewTokens(), completionCapFactor(), completionCapMargin());
    }

    /** The configured benchmark file of a task kind, if any. */
    default Optional<String> dataset(io.twt.common.TaskKind task) {
        return switch (task) {
            case CODE -> codeDataset();
            case MCQ -> mcqDataset();
            case MATH -> mathDataset();
        };
    }

    /** Where model versions generate: in this JVM (the default), or at a student endpoint that serves LoRA adapters. */
    interface StudentSettings {

        /**
         * An OpenAI-compatible root serving the base model with runtime LoRA loading ({@code ./twt lm serve}, or vLLM
         * with {@code --enable-lora} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}), e.g. {@code http://gpu-1:8000/v1};
         * unset: generate in-process. Each version's adapter is registered under {@code <recipe>-r<round>-s<stage>}.
         */
        Optional<String> endpoint();

        /** Per request to the endpoint; a long generation on a busy server takes a while. */
        @WithDefault("10m")
        Duration requestTimeout();
    }

    interface SandboxSettings {

        /** The interpreter inside the sandbox; must live under /usr, the only host tree bubblewrap shows. */
        @WithDefault("/usr/bin/python3")
        String python();

        /** The bubblewrap executable: a name on PATH or a path. */
        @WithDefault("bwrap")
        String bwrap();

        /** util-linux's unshare: the private network namespace root gets where bubblewrap fails. */
        @WithDefault("unshare")
        String unshare();

        /**
         * Refuse code tasks where no namespaces work (bubblewrap missing or refused, unshare impossible); false is
         * the user's opt-in to run generated code with limits only, network and host files reachable.
         */
        @WithDefault("true")
        boolean require();

        /** CPU seconds per sample (RLIMIT_CPU): what stops runaway code, whatever the machine's load. */
        @WithDefault("10s")
        Duration cpuTime();

        /** Wall-clock ceiling per sample, for code that waits instead of computing. */
        @WithDefault("60s")
        Duration timeout();

        @WithDefault("536870912")
        long memoryBytes();

        @WithDefault("32")
        int maxProcesses();

        /** Code samples run at once. */
        @WithDefault("2")
        int parallelism();

        /** Parent of the throw-away sample directories; must be reachable by user nobody (default: java.io.tmpdir). */
        Optional<String> workDir();
    }
}
