package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The demo's settings reach the services they are for, under the keys those services read (that every variable the
 * table sets is such a key is deploy's {@code ServiceConfigKeysTest}, beside compose's and k8s').
 */
class LaunchSettingsTest {

    private static Service.Launch demoLaunch() {
        return new Service.Launch("127.0.0.1:9092", Path.of("/tmp/twt"), "", "http://127.0.0.1:8090/v1", "/base",
                new LabBase(Path.of("/cache"), "smoke"), DemoSizes.quick().settings(OptionalLong.of(11)));
    }

    @Test
    void theDemoSettingsReachTheServicesTheyAreFor() {
        Map<String, String> trainer = Service.TRAINER_SERVICE.env(demoLaunch());
        // twt.trainer.round.min-new-queries and twt.trainer.training.seed (the bash launcher's TWT_TRAINER_MIN_NEW_SAMPLES
        // reached no key)
        assertEquals(String.valueOf(DemoSizes.ROUND_MIN_NEW_QUERIES), trainer.get("TWT_TRAINER_ROUND_MIN_NEW_QUERIES"));
        assertEquals("11", trainer.get("TWT_TRAINER_TRAINING_SEED"));
        assertEquals("smoke", trainer.get("TWT_TRAINER_LAB_BASE_SPEC"));
        assertEquals(String.valueOf(DemoSizes.quick().evalLimit()), Service.EVAL_SERVICE.env(demoLaunch()).get("TWT_EVAL_LIMIT"));
        // each service gets only its own: the gateway hears nothing of the trainer's sizes
        assertTrue(Service.TEACHER_GATEWAY.env(demoLaunch()).keySet().stream().noneMatch(v -> v.startsWith("TWT_TRAINER")));
    }
}
