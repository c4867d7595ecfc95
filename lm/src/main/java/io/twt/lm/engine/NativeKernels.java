package io.twt.lm.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The native settings libtorch reads once, when it loads, so they are applied here before it does: OpenMP's wait
 * policy, and on non-Intel x86-64 CPUs the oneMKL dispatch fix (lm/src/main/c), loaded into the process's global
 * symbol scope so that libtorch's oneMKL binds to it, where a self-check (two child JVMs, cached per CPU and
 * libtorch) shows it faster and equal.
 *
 * <p>Settings, each a system property or its environment variable: {@code twt.lm.kernels} /
 * {@code TWT_LM_KERNELS} = auto (default) | mkl-intel-path (check even on Intel) | mkl-default (off);
 * {@code twt.lm.omp-wait-policy} / {@code TWT_LM_OMP_WAIT_POLICY} = passive (default) | active, which a set
 * {@code OMP_WAIT_POLICY} overrides; {@code twt.lm.omp-spin-count} / {@code TWT_LM_OMP_SPIN_COUNT} = how long a
 * passive thread spins before it sleeps (libgomp's GOMP_SPINCOUNT, which overrides it; default 10000, 0 sleeps at
 * once); {@code twt.lm.kernel-cache} / {@code TWT_LM_KERNEL_CACHE} = where verdicts
 * are kept (default ~/.cache/twt/kernels).
 */
public final class NativeKernels {

    private static final Logger LOG = LoggerFactory.getLogger(NativeKernels.class);
    private static final String FIX = "linux-x86_64/libtwt_mkl_intel_cpu.so";
    private static final int RTLD_LAZY_GLOBAL = 0x101;
    private static final int PROBE_ROUNDS = 2;
    private static final long DEFAULT_SPIN_COUNT = 10_000; // libgomp counts 100000 spins a millisecond: about 0.1 ms

    /** libc's setenv, through JNA (a DJL dependency): the JVM itself cannot change its environment. */
    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    private static KernelChoice choice;
    private static volatile ai.djl.Device gpu;

    private NativeKernels() {
    }

    /** Decides and applies the kernels, once per process; must run before libtorch loads. */
    public static synchronized KernelChoice prepare() {
        if (choice == null) {
            OmpWaiting waiting = ompWaiting();
            CpuInfo cpu = CpuInfo.current();
            Optional<Path> fix = extractFix();
            KernelChoice decided = KernelChoice.beforeCheck(setting("twt.lm.kernels", "auto"), cpu, fix.isPresent())
                    .orElseGet(() -> checkedOnce(cpu, fix.orElseThrow(), waiting.policy()));
            if (decided.path() == KernelPath.MKL_INTEL_PATH) {
                if (libtorchLoaded()) {
                    // oneMKL has bound its dispatch check already: the fix would be reported but never run
                    decided = new KernelChoice(KernelPath.MKL_DEFAULT,
                            "libtorch was loaded before the kernels were decided, so the dispatch fix cannot reach it");
                } else {
                    loadGlobal(fix.orElseThrow());
                }
            }
            LOG.info("lm kernels: {} on {}, OpenMP threads wait {}: {}", decided.path(), cpu.describe(), waiting.described(),
                    decided.reason());
            choice = decided;
        }
        return choice;
    }

    /** Called as a student loads: a GPU it loads onto is what health reports from then on. */
    public static void loadedOn(ai.djl.Device device) {
        if (device.isGpu()) {
            gpu = device;
        }
    }

    /**
     * The kernels this process runs: CUDA once a student has loaded onto a GPU, else the CPU's. Loads no libtorch,
     * so a health check can ask at start (a libtorch loaded by one class loader cannot be loaded by another).
     */
    public static KernelChoice current() {
        KernelChoice cpu = prepare();
        ai.djl.Device device = gpu;
        return device == null ? cpu : new KernelChoice(KernelPath.CUDA, "a student runs on " + device);
    }

    private static boolean libtorchLoaded() {
        try {
            return Files.readString(Path.of("/proc/self/maps")).contains("libtorch_cpu.so");
        } catch (IOException e) {
            return false;
        }
    }

    static void loadGlobal(Path library) {
        NativeLibrary.getInstance(library.toString(), Map.of(Library.OPTION_OPEN_FLAGS, RTLD_LAZY_GLOBAL));
    }

    /** A system property, else its environment variable (twt.lm.kernels: TWT_LM_KERNELS), else the fallback. */
    static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.replace('.', '_').replace('-', '_').toUpperCase());
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /**
     * Passive by default, with a brief spin before a waiting thread sleeps. Spinning without end on a shared 2-core
     * machine made training 25x slower (1,149 vs 47 tokens/s for the tiny model at load 12); sleeping at once makes
     * every short op pay for waking a thread (idle, tiny training at about 0.65x of spinning); 10,000 spins keep the
     * threads awake across the gaps between one step's ops and trained as fast as sleeping beside 12 busy loops,
     * where 100,000 spins were slower than spinning without end (bench/lm/omp-wait.sh, lm/README.md). A node the
     * service owns can spin without end (active).
     */
    private static OmpWaiting ompWaiting() {
        String given = System.getenv("OMP_WAIT_POLICY");
        if (given != null) {
            return new OmpWaiting(given.toLowerCase(), given.toLowerCase() + " (OMP_WAIT_POLICY)");
        }
        String policy = setting("twt.lm.omp-wait-policy", "passive").toLowerCase();
        if (!policy.equals("passive") && !policy.equals("active")) {
            throw new IllegalArgumentException("twt.lm.omp-wait-policy: '" + policy + "' is neither passive nor active");
        }
        LibC libc = Native.load("c", LibC.class);
        libc.setenv("OMP_WAIT_POLICY", policy.toUpperCase(), 0);
        if (policy.equals("active")) {
            return new OmpWaiting(policy, policy);
        }
        String spins = System.getenv("GOMP_SPINCOUNT");
        if (spins == null) {
            spins = Long.toString(spinCount(setting("twt.lm.omp-spin-count", Long.toString(DEFAULT_SPIN_COUNT))));
            libc.setenv("GOMP_SPINCOUNT", spins, 0);
        }
        return new OmpWaiting(policy, "passive after " + spins + " spins");
    }

    /** The wait policy libgomp gets (part of a verdict's key) and how it is described in the log. */
    private record OmpWaiting(String policy, String described) {
    }

    /** twt.lm.omp-spin-count: libgomp's GOMP_SPINCOUNT for a passive thread, 0 to sleep at once. */
    static long spinCount(String value) {
        return count("twt.lm.omp-spin-count", value, Long.MAX_VALUE, "a count of spins (0 or more)");
    }

    /** A setting's value that must be a whole number from 0 to max; anything else is refused, naming the setting. */
    static long count(String property, String value, long max, String what) {
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(property + ": '" + value + "' is not " + what);
        }
        return n;
    }

    /** The fix from the jar, in a file that dlopen can read; empty when this build has none for this platform. */
    static Optional<Path> extractFix() {
        try (InputStream in = NativeKernels.class.getResourceAsStream(FIX)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            Path file = cacheDir().resolve("libtwt_mkl_intel_cpu-" + sha256(bytes).substring(0, 16) + ".so");
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Path partial = Files.createTempFile(file.getParent(), "fix", ".partial");
                Files.write(partial, bytes);
                Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return Optional.of(file);
        } catch (IOException e) {
            LOG.warn("lm kernels: cannot extract the dispatch fix: {}", e.toString());
            return Optional.empty();
        }
    }

    /** The verdict for this CPU, libtorch and fix, measured once and kept, so a start costs seconds only once. */
    static KernelChoice checkedOnce(CpuInfo cpu, Path fix, String policy) {
        ObjectMapper json = new ObjectMapper();
        Path verdict;
        try {
            verdict = cacheDir().resolve("verdict-" + sha256((cpu.describe() + new TreeSet<>(cpu.flags()) + libtorchVersion()
                    + fix.getFileName() + policy + setting("twt.lm.kernels", "auto")).getBytes(StandardCharsets.UTF_8)).substring(0, 16) + ".json");
            if (Files.exists(verdict)) {
                return json.readValue(verdict.toFile(), KernelChoice.class);
            }
        } catch (IOException e) {
            return new KernelChoice(KernelPath.MKL_DEFAULT, "kernel verdict cache unreadable: " + e);
        }
        LOG.info("lm kernels: self-check of the oneMKL dispatch fix on {} (once per CPU and libtorch; verdict kept in {})",
                cpu.describe(), verdict);
        KernelChoice decided;
        try {
            // alternating rounds, each side's best: other work on the machine moves between one probe and the next
            KernelProbe.Result plain = null;
            KernelProbe.Result fixed = null;
            for (int round = 0; round < PROBE_ROUNDS; round++) {
                plain = KernelProbe.Result.best(plain, probe(null));
                fixed = KernelProbe.Result.best(fixed, probe(fix));
            }
            decided = KernelChoice.afterCheck(plain, fixed);
        } catch (IOException | RuntimeException e) {
            return new KernelChoice(KernelPath.MKL_DEFAULT, "self-check failed, staying on oneMKL's default path: " + e.getMessage());
        }
        try {
            Path partial = Files.createTempFile(verdict.getParent(), "verdict", ".partial");
            json.writeValue(partial.toFile(), decided);
            Files.move(partial, verdict, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("lm kernels: verdict not kept: {}", e.toString());
        }
        return decided;
    }

    private static KernelProbe.Result probe(Path fixOrNull) throws IOException {
        Path out = Files.createTempFile("twt-kernel-probe", ".bin");
        Path log = Files.createTempFile("twt-kernel-probe", ".log");
        try {
            List<String> command = new ArrayList<>(List.of(javaBinary(), "-Dai.djl.offline=true",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "--enable-native-access=ALL-UNNAMED",
                    "-cp", probeClassPath(), KernelProbe.class.getName(), out.toString()));
            if (fixOrNull != null) {
                command.add(fixOrNull.toString());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("the kernel probe did not finish in 180 s");
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(log);
                throw new IOException("the kernel probe exited with " + process.exitValue()
                        + (lines.isEmpty() ? "" : ": " + lines.getLast()));
            }
            return KernelProbe.Result.read(out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during the kernel probe", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /**
     * The jars the probe needs, found where this process loaded them: a Quarkus application's class path names only
     * its runner jar, so java.class.path would not do.
     */
    private static String probeClassPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String type : List.of("io.twt.lm.engine.KernelProbe", "ai.djl.ndarray.NDManager", "ai.djl.pytorch.engine.PtEngine",
                "ai.djl.pytorch.jni.PyTorchLibrary", "com.sun.jna.Native", "com.google.gson.Gson", "org.slf4j.LoggerFactory",
                "org.slf4j.simple.SimpleLogger", "com.fasterxml.jackson.databind.ObjectMapper",
                "com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.annotation.JsonProperty",
                "org.apache.commons.compress.archivers.ArchiveEntry")) {
            try {
                Class<?> loaded = Class.forName(type, false, NativeKernels.class.getClassLoader());
                entries.add(Path.of(loaded.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | URISyntaxException | NullPointerException e) {
                // an optional piece (another slf4j binding, say): the probe runs without it
            }
        }
        URL natives = NativeKernels.class.getClassLoader().getResource("native/lib/pytorch.properties");
        if (natives != null && natives.getProtocol().equals("jar")) {
            String jar = natives.getPath().substring("file:".length(), natives.getPath().indexOf("!/"));
            entries.add(Path.of(jar).toString());
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static String libtorchVersion() throws IOException {
        try (InputStream in = NativeKernels.class.getClassLoader().getResourceAsStream("native/lib/pytorch.properties")) {
            return in == null ? "libtorch unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Path cacheDir() {
        String configured = setting("twt.lm.kernel-cache", "");
        return configured.isEmpty() ? Path.of(System.getProperty("user.home"), ".cache", "twt", "kernels") : Path.of(configured);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
