package io.twt.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.twt.common.Topic;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TopicCatalogueManifestTest {

    /** Topic name to cleanup policy, as the catalogue defines them. */
    private static Map<String, String> catalogue() {
        Map<String, String> topics = new TreeMap<>();
        for (Topic topic : Topic.values()) {
            topics.put(topic.topicName(), topic.cleanup().config());
            topics.put(topic.dlq(), "delete");
        }
        return topics;
    }

    @Test
    void kubernetesTopicsAreExactlyTheCatalogue() {
        Map<String, String> declared = new TreeMap<>();
        Manifests.kubernetes().stream().filter(d -> d.kind().equals("KafkaTopic")).forEach(d ->
                declared.put(d.node().path("spec").path("topicName").asText(),
                        d.node().path("spec").path("config").path("cleanup.policy").asText()));
        assertEquals(catalogue(), declared);
    }

    @Test
    void dockerComposeCreatesExactlyTheCatalogue() throws IOException {
        String compose = Files.readString(Manifests.ROOT.resolve("docker-compose.yml"));
        Map<String, String> declared = new TreeMap<>();
        Matcher create = Pattern.compile("(?m)^\\s*create (\\S+) (delete|compact)\\s*$").matcher(compose);
        while (create.find()) {
            declared.put(create.group(1), create.group(2));
        }
        assertEquals(catalogue(), declared);
    }
}
