package io.twt.lab.student;

import io.twt.common.TaskKind;
import io.twt.lab.skills.SkillCorpus.SkillExample;
import io.twt.lm.Generation;
import io.twt.lm.config.GenerationConfig;
import io.twt.lm.StudentModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a base student does the skills it was pretrained on, on skill examples it never saw (another seed):
 * exact answer after {@code ####}, greedy, per skill shape (task kind and the question's opening words).
 */
public final class SkillScore {

    /** Right and asked, per skill shape. */
    public record Tally(int right, int asked) {
        public double accuracy() {
            return asked == 0 ? 0 : (double) right / asked;
        }
    }

    private SkillScore() {
    }

    public static Map<String, Tally> score(Path model, List<SkillExample> examples, int maxNewTokens) {
        Map<String, int[]> counts = new TreeMap<>();
        try (StudentModel student = StudentModel.load(model, null)) {
            GenerationConfig greedy = GenerationConfig.greedy(maxNewTokens);
            for (int from = 0; from < examples.size(); from += 16) {
                List<SkillExample> batch = examples.subList(from, Math.min(examples.size(), from + 16));
                List<Generation> out = student.generate(batch.stream().map(SkillExample::prompt).toList(), greedy);
                for (int i = 0; i < batch.size(); i++) {
                    int[] c = counts.computeIfAbsent(shape(batch.get(i)), k -> new int[2]);
                    c[0] += answer(out.get(i).text()).equals(batch.get(i).answer().strip()) ? 1 : 0;
                    c[1]++;
                }
            }
        }
        Map<String, Tally> tallies = new TreeMap<>();
        counts.forEach((k, c) -> tallies.put(k, new Tally(c[0], c[1])));
        return tallies;
    }

    static String answer(String completion) {
        int mark = completion.indexOf("####");
        return mark < 0 ? "" : completion.substring(mark + 4).strip();
    }

    /**
     * "math Compute N * N - N.", "math story: picks", "mcq Which choice is", "mcq ordering": numbers, names and
     * things do not split a skill.
     */
    static String shape(SkillExample example) {
        String text = example.query().text();
        if (text.contains(" than ")) {
            return example.query().task().wire() + " ordering";
        }
        String[] words = text.replaceAll("[0-9]+", "N").split(" ");
        if (example.query().task() == TaskKind.MATH && !text.startsWith("Compute") && !text.startsWith("What")) {
            return "math story: " + words[1];
        }
        int keep = text.startsWith("Compute") ? words.length : Math.min(4, words.length);
        return example.query().task().wire() + " " + String.join(" ", List.of(words).subList(0, keep));
    }
}
