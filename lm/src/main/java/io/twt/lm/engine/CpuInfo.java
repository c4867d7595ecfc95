package io.twt.lm.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The facts about the CPU that decide oneMKL's dispatch, read from /proc/cpuinfo (first processor). */
public record CpuInfo(String architecture, String vendor, String modelName, Set<String> flags) {

    public static CpuInfo current() {
        String architecture = System.getProperty("os.arch");
        try {
            return parse(architecture, Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException e) {
            return new CpuInfo(architecture, "unknown", "unknown", Set.of());
        }
    }

    static CpuInfo parse(String architecture, String cpuinfo) {
        String vendor = "unknown";
        String model = "unknown";
        Set<String> flags = Set.of();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "model name" -> model = value;
                case "flags" -> flags = Arrays.stream(value.split("\\s+")).collect(Collectors.toUnmodifiableSet());
                default -> {
                }
            }
        }
        return new CpuInfo(architecture, vendor, model, flags);
    }

    public boolean x86_64() {
        return architecture.equals("amd64") || architecture.equals("x86_64");
    }

    public boolean intel() {
        return vendor.equals("GenuineIntel");
    }

    public boolean avx512() {
        return flags.contains("avx512f");
    }

    /** What a kernel decision depends on, for the cache key and the log line. */
    String describe() {
        return "%s %s (%s, %s)".formatted(vendor, modelName, architecture, avx512() ? "AVX-512" : flags.contains("avx2") ? "AVX2" : "no AVX2");
    }
}
