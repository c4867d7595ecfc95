package io.twt.lab.skills;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.twt.common.TaskKind;
import io.twt.lab.LabTasks;
import io.twt.lab.Split;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SkillCorpusTest {

    private static final List<SkillCorpus.SkillExample> CORPUS = SkillCorpus.generate(20_000, 1);

    @Test
    void theSameSeedGivesTheSameCorpus() {
        assertEquals(texts(SkillCorpus.generate(500, 7)), texts(SkillCorpus.generate(500, 7)));
        assertNotEquals(texts(SkillCorpus.generate(500, 7)), texts(SkillCorpus.generate(500, 8)));
    }

    private static List<String> texts(List<SkillCorpus.SkillExample> examples) {
        return examples.stream().map(e -> e.prompt() + e.completion(true)).toList();
    }

    @Test
    void noSkillExampleIsALabTaskOfEitherSplit() {
        Set<String> lab = new HashSet<>();
        for (TaskKind kind : TaskKind.values()) {
            for (Split split : Split.values()) {
                LabTasks.generate(kind, split, kind == TaskKind.CODE ? 90 : 1_500, 42).forEach(q -> lab.add(q.text()));
            }
        }
        for (SkillCorpus.SkillExample example : CORPUS) {
            assertFalse(lab.contains(example.query().text()), example.query().text());
        }
    }

    @Test
    void skillsUseNeitherTheLabsNamesNorItsRelationsNorItsWordProblems() {
        Pattern labSurface = Pattern.compile("\\b(Ann|Bea|Cal|Dan|Eve|Fay|Gus|Hal|Ivy|Jon|Kim|Lou|older|younger|taller|"
                + "shorter|faster|slower|Sam|Mia|Ben|Ana|Leo|Zoe|Tom|Eva|pens|apples|cards|stickers|shells|beads|"
                + "box|boxes|buys|gives|coins|earns|spends|cart|km|friends|share|expression)\\b");
        for (SkillCorpus.SkillExample example : CORPUS) {
            assertFalse(labSurface.matcher(example.query().text()).find(), example.query().text());
        }
    }

    @Test
    void everyExampleEndsInItsAnswerWithOrWithoutWorking() {
        for (SkillCorpus.SkillExample example : CORPUS.subList(0, 2_000)) {
            assertTrue(example.completion(true).contains(example.working()), example.completion(true));
            assertTrue(example.completion(true).strip().endsWith(example.answer()), example.completion(true));
            assertTrue(example.completion(false).strip().endsWith(example.answer()), example.completion(false));
            assertFalse(example.completion(false).contains(example.working()), example.completion(false));
        }
    }

    @Test
    void arithmeticAnswersAreRight() {
        Pattern bare = Pattern.compile("Compute (\\d+) \\* (\\d+) - (\\d+)\\.");
        int checked = 0;
        for (SkillCorpus.SkillExample example : CORPUS) {
            var m = bare.matcher(example.query().text());
            if (m.matches()) {
                long expected = Long.parseLong(m.group(1)) * Long.parseLong(m.group(2)) - Long.parseLong(m.group(3));
                assertEquals(String.valueOf(expected), example.answer(), example.query().text());
                checked++;
            }
        }
        assertTrue(checked > 100, checked + " checked");
    }

    @Test
    void choiceAnswersAreSpreadOverTheLetters() {
        int[] letters = new int[5];
        CORPUS.stream().filter(e -> e.query().task() == TaskKind.MCQ)
                .forEach(e -> letters[e.answer().charAt(0) - 'A']++);
        int total = java.util.Arrays.stream(letters).sum();
        for (int count : letters) {
            assertTrue(count > total / 10, java.util.Arrays.toString(letters));
        }
    }
}
