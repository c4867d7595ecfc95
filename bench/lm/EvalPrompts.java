import io.twt.common.Query;
import io.twt.common.RecordCodec;
import io.twt.common.StudentPrompt;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * bench/lm/service-path.sh: the prompts eval-service renders for lab queries ({@link StudentPrompt}), as
 * {@code lm generate --prompts} reads them, so both sides generate from the same text.
 * Usage: EvalPrompts QUERIES.jsonl PROMPTS.jsonl
 */
public class EvalPrompts {
    public static void main(String[] a) throws Exception {
        RecordCodec<Query> queries = RecordCodec.of(Query.class);
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(a[0]))) {
            Query query = queries.decode(line);
            out.add(json.writeValueAsString(json.createObjectNode().put("id", query.id()).put("prompt", StudentPrompt.prompt(query))));
        }
        Files.write(Path.of(a[1]), out);
    }
}
