package io.twt.lm.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights of a Hugging Face model folder: {@code model.safetensors}, or the shards named by
 * {@code model.safetensors.index.json} (its weight_map says which file holds each tensor).
 */
public final class SafetensorsShards implements AutoCloseable {

    public static final String SINGLE = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";

    private final List<SafetensorsFile> files;
    private final Map<String, SafetensorsFile> byName;

    private SafetensorsShards(List<SafetensorsFile> files, Map<String, SafetensorsFile> byName) {
        this.files = files;
        this.byName = byName;
    }

    public static SafetensorsShards open(Path modelDir) {
        Path single = modelDir.resolve(SINGLE);
        Path index = modelDir.resolve(INDEX);
        List<SafetensorsFile> files = new ArrayList<>();
        Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
        if (Files.exists(index)) {
            JsonNode weightMap;
            try {
                weightMap = new ObjectMapper().readTree(index.toFile()).path("weight_map");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + index, e);
            }
            Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
            weightMap.fields().forEachRemaining(entry -> {
                SafetensorsFile shard = shards.computeIfAbsent(entry.getValue().asText(), f -> {
                    SafetensorsFile opened = SafetensorsFile.open(modelDir.resolve(f));
                    files.add(opened);
                    return opened;
                });
                if (!shard.names().contains(entry.getKey())) {
                    throw new IllegalArgumentException(index + " places " + entry.getKey() + " in "
                            + entry.getValue().asText() + ", which does not hold it");
                }
                byName.put(entry.getKey(), shard);
            });
        } else if (Files.exists(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            files.add(file);
            file.names().forEach(name -> byName.put(name, file));
        } else {
            throw new IllegalArgumentException(modelDir + " has neither " + SINGLE + " nor " + INDEX);
        }
        return new SafetensorsShards(files, byName);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(byName.keySet());
    }

    public long[] shape(String name) {
        return file(name).info(name).shape();
    }

    public NDArray load(String name, NDManager manager) {
        return file(name).load(name, manager);
    }

    private SafetensorsFile file(String name) {
        SafetensorsFile file = byName.get(name);
        if (file == null) {
            throw new IllegalArgumentException("checkpoint has no tensor " + name);
        }
        return file;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
