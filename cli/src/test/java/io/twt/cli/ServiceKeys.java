package io.twt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The configuration keys a module reads, from its sources: its {@code @ConfigMapping} interfaces (prefix, then each
 * method in kebab case, groups nested, a map's key as {@code *}), its {@code @ConfigProperty} names, the keys of its
 * {@code application.properties}, the names its {@code ${...}} expressions read (there and in {@code @WithDefault}), and lm's {@code setting("...")}.
 * An environment variable sets a key as SmallRye Config maps it: every character that is not a letter or digit becomes
 * '_', all upper case ({@code TWT_TRAINER_TRAINING_EPOCHS} = {@code twt.trainer.training.epochs}).
 */
record ServiceKeys(Set<String> keys) {

    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix\\s*=\\s*\"([^\"]+)\"\\)");
    private static final Pattern PROPERTY = Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern SETTING = Pattern.compile("setting\\(\"([\\w.-]+)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([\\w.\\-\"<>]+)[:}]");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)[^{]*\\{");
    private static final Pattern METHOD = Pattern.compile("([\\w.]+(?:<[\\w., <>?]+>)?)\\s+(\\w+)\\(\\)\\s*;");
    private static final Pattern MAP = Pattern.compile("Map<String,\\s*(\\w+)>");

    static ServiceKeys of(Path module) {
        Set<String> keys = new TreeSet<>();
        Path properties = module.resolve("src/main/resources/application.properties");
        if (Files.exists(properties)) {
            String text = read(properties);
            for (String line : text.replaceAll("\\\\\\n", "").lines().toList()) {
                int equals = line.indexOf('=');
                if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                    keys.add(line.substring(0, equals).strip().replaceFirst("^%[\\w-]+\\.", ""));
                }
            }
            keys.addAll(all(EXPRESSION, text));
        }
        for (Path source : javaSources(module)) {
            String text = read(source).replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
            keys.addAll(all(PROPERTY, text));
            keys.addAll(all(SETTING, text));
            keys.addAll(all(EXPRESSION, text));
            Matcher mapping = MAPPING.matcher(text);
            if (mapping.find()) {
                Map<String, List<String[]>> interfaces = interfaces(text);
                String root = interfaces.keySet().iterator().next();
                expand(mapping.group(1), root, interfaces, keys);
            }
        }
        return new ServiceKeys(keys);
    }

    static ServiceKeys union(List<ServiceKeys> modules) {
        Set<String> keys = new TreeSet<>();
        modules.forEach(m -> keys.addAll(m.keys()));
        return new ServiceKeys(keys);
    }

    /** Whether the variable sets one of these keys. */
    boolean reads(String variable) {
        return keys.stream().anyMatch(key -> Pattern.matches(
                Pattern.quote(envName(key)).replace("*", "\\E[A-Z0-9_]+\\Q"), variable));
    }

    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9*]", "_").toUpperCase();
    }

    /** Each interface's abstract methods as (return type, name), in source order; the first is the outermost. */
    private static Map<String, List<String[]>> interfaces(String text) {
        Map<String, List<String[]>> interfaces = new LinkedHashMap<>();
        Matcher declaration = INTERFACE.matcher(text);
        while (declaration.find()) {
            String body = withoutBlocks(text.substring(declaration.end(), end(text, declaration.end())))
                    .replaceAll("default[^;]*;", "");
            List<String[]> methods = new ArrayList<>();
            Matcher method = METHOD.matcher(body);
            while (method.find()) {
                methods.add(new String[] {method.group(1), method.group(2)});
            }
            interfaces.put(declaration.group(1), methods);
        }
        return interfaces;
    }

    private static void expand(String path, String type, Map<String, List<String[]>> interfaces, Set<String> keys) {
        for (String[] method : interfaces.get(type)) {
            String key = path + "." + method[1].replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
            Matcher map = MAP.matcher(method[0]);
            if (interfaces.containsKey(method[0])) {
                expand(key, method[0], interfaces, keys);
            } else if (map.matches() && interfaces.containsKey(map.group(1))) {
                expand(key + ".*", map.group(1), interfaces, keys);
            } else {
                keys.add(map.matches() ? key + ".*" : key);
            }
        }
    }

    /** The index of the brace that closes the block opened just before {@code start}. */
    private static int end(String text, int start) {
        int depth = 1;
        for (int i = start; i < text.length(); i++) {
            depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    /** The body with every nested block (nested interfaces, default methods) left out. */
    private static String withoutBlocks(String body) {
        StringBuilder top = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            depth += c == '{' ? 1 : 0;
            if (depth == 0) {
                top.append(c);
            }
            depth -= c == '}' ? 1 : 0;
            if (depth == 0 && c == '}') {
                top.append(';');
            }
        }
        return top.toString();
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    private static List<Path> javaSources(Path module) {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
