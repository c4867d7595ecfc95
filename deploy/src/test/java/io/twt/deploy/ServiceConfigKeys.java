package io.twt.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys a service understands, as environment-variable names: the keys of its
 * application.properties, the keys its {@code @ConfigMapping} interfaces declare (nested groups included), its
 * {@code @ConfigProperty} names and the names its {@code ${...}} expressions read.
 */
final class ServiceConfigKeys {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface\\s+(\\w+)");
    private static final Pattern METHOD = Pattern.compile("^\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*([\\w.<>, ?]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([\\w.-]+)");
    private static final Pattern LM_SETTING = Pattern.compile("setting\\(\"(twt\\.lm\\.[\\w.-]+)\"");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\"([^\"]*)\"");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)");
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");

    private ServiceConfigKeys() {
    }

    static Set<String> of(String service) {
        Path module = Manifests.ROOT.resolve(service);
        Set<String> keys = new HashSet<>();
        Path properties = module.resolve("src/main/resources/application.properties");
        if (Files.exists(properties)) {
            Properties loaded = new Properties();
            try (var reader = Files.newBufferedReader(properties)) {
                loaded.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            loaded.stringPropertyNames().forEach(key -> {
                keys.add(envName(key.replaceFirst("^%[\\w-]+\\.", "")));
                // a value like ${twt.gateway.url:...} or ${TWT_TEACHERS_FILE:} reads that name too
                Matcher reference = REFERENCE.matcher(loaded.getProperty(key));
                while (reference.find()) {
                    keys.add(envName(reference.group(1)));
                }
            });
        }
        try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                String text = Files.readString(source);
                // @ConfigProperty(name = "twt.model-store"), @WithDefault("${twt.model-store:.twt/models}")
                for (Pattern read : List.of(CONFIG_PROPERTY, REFERENCE)) {
                    Matcher name = read.matcher(text);
                    while (name.find()) {
                        keys.add(envName(name.group(1)));
                    }
                }
                Matcher mapping = MAPPING.matcher(text);
                if (mapping.find()) {
                    mappingKeys(text, mapping.group(1)).forEach(key -> keys.add(envName(key)));
                    // a default like ${twt.model-store:...} reads that name too
                    Matcher withDefault = WITH_DEFAULT.matcher(text);
                    while (withDefault.find()) {
                        Matcher reference = REFERENCE.matcher(withDefault.group(1));
                        while (reference.find()) {
                            keys.add(envName(reference.group(1)));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.addAll(studentKeys(module));
        return keys;
    }

    /**
     * The settings the lm module reads itself (system property or its environment variable, in
     * {@code NativeKernels.setting("twt.lm...")}), which every service that runs the student understands.
     */
    private static Set<String> studentKeys(Path module) {
        Set<String> keys = new HashSet<>();
        try {
            if (!Files.readString(module.resolve("pom.xml")).contains("<artifactId>lm</artifactId>")) {
                return keys;
            }
            try (Stream<Path> sources = Files.walk(Manifests.ROOT.resolve("lm/src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher setting = LM_SETTING.matcher(Files.readString(source));
                    while (setting.find()) {
                        keys.add(envName(setting.group(1)));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** Walks the interfaces of one mapping file: a method returning a nested interface opens a group. */
    static List<String> mappingKeys(String source, String prefix) {
        Map<String, Map<String, String>> methodsByInterface = new HashMap<>();
        Deque<String> open = new ArrayDeque<>();
        Deque<Integer> openedAtDepth = new ArrayDeque<>();
        int depth = 0;
        String pendingName = null;
        for (String line : source.split("\n")) {
            Matcher declared = INTERFACE.matcher(line);
            if (declared.find()) {
                open.push(declared.group(1));
                openedAtDepth.push(depth);
                methodsByInterface.putIfAbsent(declared.group(1), new HashMap<>());
            }
            Matcher named = WITH_NAME.matcher(line);
            if (named.find()) {
                pendingName = named.group(1);
            }
            Matcher method = METHOD.matcher(line);
            if (method.find() && !open.isEmpty()) {
                String name = pendingName != null ? pendingName : kebab(method.group(2));
                methodsByInterface.get(open.peek()).put(name, method.group(1).replaceAll("<.*", "").trim());
                pendingName = null;
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!openedAtDepth.isEmpty() && depth == openedAtDepth.peek()) {
                        open.pop();
                        openedAtDepth.pop();
                    }
                }
            }
        }
        String root = methodsByInterface.keySet().stream().filter(name -> source.contains("interface " + name + " {")
                && source.indexOf("interface " + name) == source.indexOf("interface ")).findFirst().orElseThrow();
        List<String> keys = new java.util.ArrayList<>();
        collect(methodsByInterface, root, prefix, keys);
        return keys;
    }

    private static void collect(Map<String, Map<String, String>> methods, String type, String path, List<String> keys) {
        methods.get(type).forEach((name, returned) -> {
            String key = path + "." + name;
            String nested = returned.contains(".") ? returned.substring(returned.lastIndexOf('.') + 1) : returned;
            if (methods.containsKey(nested) && !nested.equals(type)) {
                collect(methods, nested, key, keys);
            } else {
                keys.add(key);
            }
        });
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }
}
