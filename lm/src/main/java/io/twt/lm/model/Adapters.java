package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twt.lm.config.LoraConfig;
import io.twt.lm.io.SafetensorsFile;
import io.twt.lm.io.SafetensorsWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * PEFT LoRA adapters: {@code adapter_config.json} plus {@code adapter_model.safetensors} whose tensors are named
 * {@code base_model.model.<module>.lora_A.weight} / {@code lora_B.weight}, the layout PEFT saves and vLLM serves.
 * Modules keep the checkpoint's names, so a phi3 adapter sits on the fused {@code qkv_proj} / {@code gate_up_proj}.
 * Adapter tensors saved in bf16 or fp16 are read as float32.
 */
public final class Adapters {

    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final String PREFIX = "base_model.model.";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A Hugging Face hub repository id: owner/name, letters, digits, '-', '_', '.'. */
    private static final Pattern HUB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*");

    private Adapters() {
    }

    /** Attaches a new adapter (A Kaiming-uniform, B zero) to every targeted projection. */
    public static void init(LlamaModel model, LoraConfig lora, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (Linear linear : targets(model, lora)) {
            linear.initLora(lora.rank(), (float) lora.scaling(), (float) lora.dropout(), model.manager(), random);
            NDScope.unregister(linear.loraA(), linear.loraB());
        }
    }

    /** A PEFT adapter read for a model: per targeted projection its A (r, in) and B (out, r). */
    public record AdapterWeights(LoraConfig config, Map<Linear, NDArray[]> loraAB) implements AutoCloseable {

        /** Points every projection of the model at this adapter's tensors (the others at none); closes nothing. */
        public void select(LlamaModel model) {
            for (Linear linear : model.projections()) {
                NDArray[] ab = loraAB.get(linear);
                linear.selectLora(ab == null ? null : ab[0], ab == null ? null : ab[1], (float) config.scaling());
            }
        }

        @Override
        public void close() {
            loraAB.values().forEach(ab -> {
                ab[0].close();
                ab[1].close();
            });
        }
    }

    /** Reads a PEFT adapter into the model; every targeted module must have both tensors, with PEFT's shapes. */
    public static LoraConfig load(Path adapterDir, LlamaModel model) {
        AdapterWeights weights = read(adapterDir, model);
        weights.loraAB().forEach((linear, ab) -> linear.attachLora(ab[0], ab[1], (float) weights.config().scaling(),
                (float) weights.config().dropout()));
        return weights.config();
    }

    /** Reads a PEFT adapter for the model without attaching it; every targeted module must have both tensors. */
    public static AdapterWeights read(Path adapterDir, LlamaModel model) {
        JsonNode c;
        try {
            c = JSON.readTree(adapterDir.resolve(CONFIG).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + adapterDir.resolve(CONFIG), e);
        }
        if (!c.path("peft_type").asText("LORA").equals("LORA")) {
            throw new IllegalArgumentException(adapterDir + ": peft_type " + c.get("peft_type") + " is not supported; expected LORA");
        }
        for (String unsupported : List.of("fan_in_fan_out", "use_dora")) {
            if (c.path(unsupported).asBoolean(false)) {
                throw new IllegalArgumentException(adapterDir + ": " + unsupported + " true is not supported");
            }
        }
        if (!c.path("bias").asText("none").equals("none")) {
            throw new IllegalArgumentException(adapterDir + ": bias " + c.get("bias") + " is not supported; expected none");
        }
        int rank = c.path("r").asInt(8);
        double alpha = c.path("lora_alpha").asDouble(8);
        double dropout = c.path("lora_dropout").asDouble(0);
        List<Linear> targets = new ArrayList<>();
        Set<String> shortNames = new LinkedHashSet<>();
        JsonNode targetModules = c.path("target_modules");
        for (Linear linear : model.projections()) {
            if (matches(targetModules, linear.name())) {
                targets.add(linear);
                shortNames.add(shortName(linear.name()));
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(adapterDir + ": target_modules " + targetModules + " match no projection");
        }
        LoraConfig lora = new LoraConfig(rank, alpha, dropout, new ArrayList<>(shortNames),
                c.path("use_rslora").asBoolean(false));
        Map<Linear, NDArray[]> loraAB = new LinkedHashMap<>();
        AdapterWeights weights = new AdapterWeights(lora, loraAB);
        try (SafetensorsFile file = SafetensorsFile.open(adapterDir.resolve(WEIGHTS))) {
            Map<String, String> byModuleKey = new LinkedHashMap<>();
            for (String name : file.names()) {
                // PEFT keeps the adapter name out of saved keys; older savers left ".default" in
                byModuleKey.put(name.replace(".default.", "."), name);
            }
            Set<String> used = new HashSet<>();
            for (Linear linear : targets) {
                String a = PREFIX + linear.name() + ".lora_A.weight";
                String b = PREFIX + linear.name() + ".lora_B.weight";
                for (String key : List.of(a, b)) {
                    if (!byModuleKey.containsKey(key)) {
                        throw new IllegalArgumentException(adapterDir.resolve(WEIGHTS) + " is missing " + key);
                    }
                }
                NDArray aw = file.load(byModuleKey.get(a), model.manager());
                NDArray bw = file.load(byModuleKey.get(b), model.manager());
                NDScope.unregister(aw, bw);
                loraAB.put(linear, new NDArray[] {aw, bw});
                if (aw.getShape().get(0) != rank) {
                    throw new IllegalArgumentException(a + " has rank " + aw.getShape().get(0) + ", adapter_config.json says r=" + rank);
                }
                linear.checkLoraShapes(aw, bw);
                used.add(a);
                used.add(b);
            }
            for (String key : byModuleKey.keySet()) {
                if (!used.contains(key)) {
                    throw new IllegalArgumentException(adapterDir.resolve(WEIGHTS) + " has unexpected tensor " + key);
                }
            }
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
        return weights;
    }

    /**
     * Writes the model's adapter in PEFT layout; target_modules are the modules that carry it, under the checkpoint's
     * names.
     */
    public static void save(LlamaModel model, LoraConfig lora, String baseModel, Path dir) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Set<String> carriers = new TreeSet<>();
        for (Linear linear : model.projections()) {
            if (linear.loraA() != null) {
                tensors.put(PREFIX + linear.name() + ".lora_A.weight", linear.loraA());
                tensors.put(PREFIX + linear.name() + ".lora_B.weight", linear.loraB());
                carriers.add(shortName(linear.name()));
            }
        }
        if (tensors.isEmpty()) {
            throw new IllegalStateException("the model has no LoRA adapter to save");
        }
        ObjectNode c = JSON.createObjectNode();
        c.put("peft_type", "LORA");
        c.put("task_type", "CAUSAL_LM");
        c.put("r", lora.rank());
        c.put("lora_alpha", lora.alpha());
        c.put("lora_dropout", lora.dropout());
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("use_rslora", lora.useRslora());
        ArrayNode targets = c.putArray("target_modules");
        carriers.forEach(targets::add);
        c.put("base_model_name_or_path", baseModel);
        c.put("inference_mode", true);
        try {
            Files.createDirectories(dir);
            SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, Map.of());
            Files.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write adapter to " + dir, e);
        }
    }

    /** The projections the adapter goes on (see {@link LoraConfig#targets}). */
    static List<Linear> targets(LlamaModel model, LoraConfig lora) {
        boolean fused = LlamaModel.fused(model.config());
        List<Linear> targets = new ArrayList<>();
        for (Linear linear : model.projections()) {
            if (lora.targets(shortName(linear.name()), fused)) {
                targets.add(linear);
            }
        }
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("LoRA target_modules " + lora.targetModules() + " match no projection of "
                    + model.config().modelType());
        }
        return targets;
    }

    /**
     * The base model as adapter_config.json names it: the given hub id, else config.json's {@code _name_or_path} when
     * that is a hub id (owner/name, not a local folder), else the local folder.
     */
    public static String baseModelName(Path modelDir, String hubIdOrNull) {
        if (hubIdOrNull != null && !hubIdOrNull.isBlank()) {
            return hubIdOrNull;
        }
        Path configJson = modelDir.resolve("config.json");
        try {
            String named = JSON.readTree(configJson.toFile()).path("_name_or_path").asText("");
            if (HUB_ID.matcher(named).matches() && !Files.exists(Path.of(named))) {
                return named;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + configJson, e);
        }
        return modelDir.toAbsolutePath().toString();
    }

    /** PEFT's rule: a list matches module names ending in ".<entry>"; a string is a regex over the full name. */
    private static boolean matches(JsonNode targetModules, String moduleName) {
        if (targetModules.isTextual()) {
            return Pattern.compile(targetModules.asText()).matcher(moduleName).matches();
        }
        for (JsonNode target : targetModules) {
            if (moduleName.equals(target.asText()) || moduleName.endsWith("." + target.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String shortName(String moduleName) {
        return moduleName.substring(moduleName.lastIndexOf('.') + 1);
    }
}
