package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The GPU trainer never runs beside its old pod, and the model store names the ReadWriteMany class it needs. */
class RolloutAndStorageTest {

    @Test
    void trainerReplacesItsPodInsteadOfRollingBesideIt() {
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            JsonNode trainer = rendered.workload("trainer-service");
            boolean statefulSet = trainer.path("kind").asText().equals("StatefulSet");
            boolean recreate = trainer.at("/spec/strategy/type").asText().equals("Recreate");
            assertTrue(statefulSet || recreate, rendered.describe(trainer)
                    + ": a rolling update starts a second trainer (a second GPU, a second writer of drafts) beside the old one");
            assertEquals(1, trainer.at("/spec/replicas").asInt(1), rendered.describe(trainer) + ": one trainer");
        }
    }

    @Test
    void modelStoreIsReadWriteManyOnTheClassOfTheKustomizeSetting() throws IOException {
        JsonNode settings = Manifests.read(Manifests.ROOT.resolve("k8s/base/settings.yaml")).get(0).node();
        String settingsText = Files.readString(Manifests.ROOT.resolve("k8s/base/settings.yaml"));
        assertTrue(settingsText.contains("ReadWriteMany"), "k8s/base/settings.yaml must say the class needs ReadWriteMany");
        String configured = settings.at("/data/model-store-class").asText();
        assertFalse(configured.isBlank(), "k8s/base/settings.yaml: model-store-class");
        for (Kustomize.Rendered rendered : Kustomize.renderAll()) {
            JsonNode claim = rendered.one("PersistentVolumeClaim", "twt-model-store");
            assertEquals(List.of("ReadWriteMany"), Manifests.JSON.convertValue(claim.at("/spec/accessModes"), List.class),
                    rendered.describe(claim) + ": trainer-service writes and eval-service reads, on different nodes");
            assertEquals(configured, claim.at("/spec/storageClassName").asText(), rendered.describe(claim)
                    + ": the cluster's default class is rarely ReadWriteMany; the class comes from settings.yaml");
        }
    }
}
