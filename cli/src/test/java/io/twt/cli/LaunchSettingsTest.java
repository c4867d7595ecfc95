package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every variable the launcher, docker-compose.yml and k8s/ set is a key a service reads (a misspelt one would be
 * silently ignored: the demo would train with the defaults), and the demo's settings reach the services they are for.
 */
class LaunchSettingsTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** What SmallRye Config reads from the environment here; API keys (a teachers file's api-key-env) are not config. */
    private static final Pattern CONFIG_VARIABLE = Pattern.compile("(TWT|KAFKA|QUARKUS|MP)_[A-Z0-9_]+");
    /** The containers compose runs that are not services of ours: the broker's image reads its own KAFKA_ variables. */
    private static final Set<String> NOT_OURS = Set.of("kafka", "kafka-init", "lab-teachers");

    private static ServiceKeys keysOf(Service service) {
        ServiceKeys own = ServiceKeys.of(ROOT.resolve(service.serviceName()));
        // trainer and eval run the student model in-process: lm's settings are theirs too
        return service == Service.TRAINER_SERVICE || service == Service.EVAL_SERVICE
                ? ServiceKeys.union(List.of(own, ServiceKeys.of(ROOT.resolve("lm")))) : own;
    }

    private static ServiceKeys anyService() {
        return ServiceKeys.union(Arrays.stream(Service.values()).map(LaunchSettingsTest::keysOf).toList());
    }

    private static Service.Launch demoLaunch() {
        return new Service.Launch("127.0.0.1:9092", Path.of("/tmp/twt"), "", "http://127.0.0.1:8090/v1", "/base",
                new LabBase(Path.of("/cache"), "smoke"), DemoSizes.quick().settings(OptionalLong.of(11)));
    }

    @Test
    void environmentNamesMapToKeysAsSmallRyeDoes() {
        ServiceKeys trainer = keysOf(Service.TRAINER_SERVICE);
        assertTrue(trainer.keys().contains("twt.trainer.training.epochs"), trainer.keys().toString());
        assertTrue(trainer.keys().contains("twt.trainer.round.min-new-queries"));
        assertTrue(trainer.reads("TWT_TRAINER_TRAINING_EPOCHS"));
        assertTrue(trainer.reads("TWT_TRAINER_ROUND_MIN_NEW_QUERIES"));
        // the names the bash launcher set, which nothing read
        assertTrue(!trainer.reads("TWT_TRAINER_EPOCHS") && !trainer.reads("TWT_TRAINER_MIN_NEW_SAMPLES"));
        assertTrue(keysOf(Service.TEACHER_GATEWAY).reads("TWT_GATEWAY_TASKS_MATH_WEIGHTS_CORRECTNESS"));
    }

    @Test
    void everySettingTheLauncherGivesAServiceIsAKeyThatServiceReads() {
        for (Service service : Service.values()) {
            ServiceKeys keys = keysOf(service);
            for (String variable : service.env(demoLaunch()).keySet()) {
                assertTrue(keys.reads(variable), service.serviceName() + " reads no key " + variable);
            }
        }
    }

    @Test
    void theDemoSettingsReachTheServicesTheyAreFor() {
        Map<String, String> trainer = Service.TRAINER_SERVICE.env(demoLaunch());
        assertEquals(String.valueOf(DemoSizes.ROUND_MIN_NEW_QUERIES), trainer.get("TWT_TRAINER_ROUND_MIN_NEW_QUERIES"));
        assertEquals("11", trainer.get("TWT_TRAINER_TRAINING_SEED"));
        assertEquals("smoke", trainer.get("TWT_TRAINER_LAB_BASE_SPEC"));
        assertEquals(String.valueOf(DemoSizes.quick().evalLimit()), Service.EVAL_SERVICE.env(demoLaunch()).get("TWT_EVAL_LIMIT"));
        assertTrue(keysOf(Service.EVAL_SERVICE).keys().contains("twt.eval.limit"));
        assertTrue(keysOf(Service.TRAINER_SERVICE).keys().contains("twt.trainer.training.seed"));
        // each service gets only its own: the gateway hears nothing of the trainer's sizes
        assertTrue(Service.TEACHER_GATEWAY.env(demoLaunch()).keySet().stream().noneMatch(v -> v.startsWith("TWT_TRAINER")));
    }

    @Test
    void everyVariableComposeSetsIsAKeySomeServiceReads() throws IOException {
        List<String> variables = new ArrayList<>();
        String container = "";
        for (String line : Files.readAllLines(ROOT.resolve("docker-compose.yml"))) {
            Matcher top = Pattern.compile("^ {0,2}([\\w-]+):").matcher(line);
            if (top.find()) {
                container = top.group(1);
            }
            Matcher variable = Pattern.compile("^\\s+(" + CONFIG_VARIABLE.pattern() + "):").matcher(line);
            if (variable.find() && !NOT_OURS.contains(container)) {
                variables.add(variable.group(1));
            }
        }
        assertTrue(variables.contains("TWT_TRAINER_EMBEDDING_URL"), variables.toString());
        assertEveryOneRead(variables, "docker-compose.yml");
    }

    @Test
    void everyVariableK8sSetsIsAKeySomeServiceReads() throws IOException {
        List<String> variables = new ArrayList<>();
        Pattern entry = Pattern.compile("^\\s+(?:- )?(?:name: )?(" + CONFIG_VARIABLE.pattern() + ")(?::|$)");
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (String line : Files.readAllLines(file)) {
                    Matcher variable = entry.matcher(line);
                    if (variable.find()) {
                        variables.add(variable.group(1));
                    }
                }
            }
        }
        assertTrue(variables.contains("TWT_TRAINER_TRAINING_DTYPE"), variables.toString());
        assertEveryOneRead(variables, "k8s/");
    }

    private static void assertEveryOneRead(List<String> variables, String where) {
        ServiceKeys keys = anyService();
        Set<String> unread = new TreeSet<>(variables.stream().filter(v -> !keys.reads(v)).toList());
        assertTrue(unread.isEmpty(), where + " sets variables no service reads: " + unread);
    }
}
