import io.twt.common.Query;
import io.twt.common.StudentPrompt;
import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Lab math queries as the student reads them, for bench/learning/answer-only.sh:
 * {@code train N SEED} prints N answer-only training rows (the gold answer, as a teacher-agreed stage-3 row would be),
 * {@code eval N SEED} prints N eval-split prompts with their gold answers.
 */
public class AnswerOnlySet {
    public static void main(String[] args) throws Exception {
        Split split = Split.fromName(args[0]);
        int count = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        ObjectMapper json = new ObjectMapper();
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        for (Query query : LabTasks.generate(TaskKind.MATH, split, count, seed)) {
            Map<String, String> row = split == Split.TRAIN
                    ? Map.of("prompt", StudentPrompt.prompt(query), "completion", StudentPrompt.completion(null, query.gold()))
                    : Map.of("id", query.id(), "prompt", StudentPrompt.prompt(query), "gold", query.gold(), "text", query.text());
            out.println(json.writeValueAsString(row));
        }
    }
}
