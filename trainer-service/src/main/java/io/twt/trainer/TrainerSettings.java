package io.twt.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.twt.common.GenerationCap;
import io.twt.common.ModelVersion;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** The trainer's own settings, {@code twt.trainer.*} (env {@code TWT_TRAINER_*}). */
@ConfigMapping(prefix = "twt.trainer")
public interface TrainerSettings {

    /** Where G, the round ledger, checkpoints and every stage's weights live (a volume on Kubernetes). */
    @WithDefault("${twt.model-store:" + ModelVersion.DEFAULT_MODEL_STORE + "}")
    String modelStore();

    /**
     * A Hugging Face model directory (config.json, model.safetensors, tokenizer.json) to distil into; without
     * one the lab's base student is used: a small Llama pretrained once on the lab's skill corpus (lab/README.md).
     */
    Optional<String> baseModel();

    LabBase labBase();

    /** twt (the paper's three stages), twt-4stage, standard-kd or step-by-step. */
    @WithDefault("twt")
    String recipe();

    /**
     * Fixed per instance (a StatefulSet pod name on Kubernetes): the draft producer's transactional id, so a
     * restarted trainer fences the crashed one and aborts its open draft transaction at once.
     */
    @WithDefault("trainer-service-0")
    String transactionalId();

    Round round();

    Training training();

    /**
     * Where each stage is trained: {@code lm} (in this JVM), {@code command} (a process, through the stage contract) or
     * {@code kubernetes} (a Job or a Kubeflow TrainJob, through the same contract); trainer-service/README.md, "Backends".
     */
    @WithDefault("lm")
    String backend();

    StageJob stageJob();

    Command command();

    Kubernetes kubernetes();

    Drafts drafts();

    /**
     * embedding-service's root, for the rationale embeddings of a pool snapshot that DCRS did not compute live
     * (outputs below its confidence threshold, which table 5's other selections may keep).
     */
    @WithDefault("http://127.0.0.1:8083")
    String embeddingUrl();

    /** How long a compression pass waits for compressed rationales before training on the originals of the rest. */
    @WithDefault("10m")
    Duration compressionDeadline();

    /** The lab's pretrained base student, used when no base model is configured. */
    interface LabBase {
        /**
         * Where it is cached under a content hash; {@code ./twt} pretrains it there before the services start,
         * so the trainer finds it made. Outside the launcher the first round pretrains it (minutes, in the log).
         */
        @WithDefault("${user.home}/.cache/twt")
        String cache();

        /** standard (the one that learns the lab) or smoke (a tiny one made in seconds, for tests). */
        @WithDefault("standard")
        String spec();
    }

    interface Round {
        /** New queries in G that start a round by themselves; POST /rounds starts one with fewer. */
        @WithDefault("100")
        int minNewQueries();

        /** How often the trigger is checked. */
        @WithDefault("5s")
        Duration checkInterval();
    }

    /**
     * Unset values come from the preset: the paper's (LoRA rank 8, lr 1e-5, batch 8, 4 epochs, context 4096)
     * for a configured base model; the lab's (full fine-tuning, lr 1e-3, batch 8, 3 epochs and 12 answer-only, context
     * 512) for the lab's small base student, which a few hundred examples at the paper's LoRA rate would not move.
     */
    interface Training {
        /** Full fine-tuning instead of LoRA; stages then hand over full weights. */
        Optional<Boolean> fullFineTuning();

        OptionalInt loraRank();

        OptionalDouble loraAlpha();

        OptionalDouble learningRate();

        OptionalInt batchSize();

        OptionalInt epochs();

        /**
         * Epochs of a stage whose completions are the answer alone (HaRD's last stage, Standard KD): a few tokens an
         * example carry less signal an epoch than a rationale does. Unset: the preset's (the lab's 12), else epochs.
         */
        OptionalInt answerOnlyEpochs();

        OptionalInt maxLength();

        /** Storage of the base weights: float32, or float16 (LoRA only; lm computes in fp32, see lm/README.md). */
        Optional<String> dtype();

        /** Query rows per attention block, so (T x T) scores per head are never held at once; 0: all T. */
        OptionalInt attentionChunk();

        /** Activation recomputation per decoder layer: the memory that lets a 7B stage at 4096 fit one GPU. */
        Optional<Boolean> recompute();

        /** Optimizer steps between checkpoints; an interrupted stage resumes from the newest. */
        @WithDefault("20")
        int checkpointEvery();

        @WithDefault("42")
        long seed();
    }

    /** A stage handed to an engine outside this JVM (backends command and kubernetes). */
    interface StageJob {
        /** The dataset layout written for the engine: prompt-completion or messages (the export's, TRL's). */
        @WithDefault("prompt-completion")
        String datasetFormat();

        /** Jobs per stage, the first included; a stage whose last attempt failed fails the round with its reason. */
        @WithDefault("1")
        int maxAttempts();
    }

    /** The command backend. */
    interface Command {
        /** The command line (split at spaces, no shell); the stage directory is appended as its last argument. */
        @WithDefault("./twt lm train --job")
        String line();

        /** Its working directory; unset: the trainer's (the checkout, when ./twt started it). */
        Optional<String> directory();
    }

    /** The kubernetes backend: the cluster from the pod's service account or ~/.kube/config. */
    interface Kubernetes {
        /**
         * The job template, a batch/v1 Job or a Kubeflow trainer.kubeflow.org/v1alpha1 TrainJob with the placeholders
         * ${JOB_NAME}, ${STAGE_DIR}, ${ROUND}, ${STAGE} (k8s/overlays/trl/). Required with this backend.
         */
        Optional<String> template();

        /** Unset: the client's namespace (in a pod, its own). */
        Optional<String> namespace();

        /** How long a finished job (and its pods' logs) stays before the trainer deletes it. */
        @WithDefault("1h")
        Duration ttl();

        /** The longest a stage's job may run before the trainer gives up waiting and fails the stage. */
        @WithDefault("168h")
        Duration timeout();
    }

    interface Drafts {
        /** Output budget of one student draft, lowered by the context and by the stage's training completions. */
        @WithDefault("256")
        int maxNewTokens();

        /** A draft runs to at most this many times the longest completion its stage trained on (plus the margin). */
        @WithDefault("2.0")
        double completionCapFactor();

        /** Tokens added to that, so a stage trained on short completions still has room to stop. */
        @WithDefault("16")
        int completionCapMargin();

        default GenerationCap cap() {
            return new GenerationCap(maxNewTokens(), completionCapFactor(), completionCapMargin());
        }

        /** Prompts generated together (requests in flight at once at an endpoint). */
        @WithDefault("8")
        int batchSize();

        /**
         * A student endpoint serving the base model with runtime LoRA loading ({@code ./twt lm serve}, or vLLM with
         * {@code --enable-lora} and {@code VLLM_ALLOW_RUNTIME_LORA_UPDATING=True}), e.g. {@code http://gpu-1:8000/v1}:
         * the stage's adapter is registered as {@code <recipe>-r<round>-s<stage>} and the drafts are generated there.
         * Unset: in this JVM. Full fine-tuning hands over full weights, which an endpoint cannot load at run time.
         */
        Optional<String> endpoint();

        /** Per request to the endpoint. */
        @WithDefault("10m")
        Duration requestTimeout();
    }
}
