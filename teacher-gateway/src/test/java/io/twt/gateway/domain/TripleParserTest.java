package io.twt.gateway.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TripleParserTest {

    private static final List<String> FACTORS = List.of("correctness", "readability", "efficiency", "test_coverage");

    private static Triple parsed(String reply) {
        ParseOutcome outcome = TripleParser.parse(reply, FACTORS);
        return assertInstanceOf(ParseOutcome.Parsed.class, outcome, () -> outcome.toString()).triple();
    }

    private static String unparseable(String reply) {
        return assertInstanceOf(ParseOutcome.Unparseable.class, TripleParser.parse(reply, FACTORS)).reason();
    }

    @Test
    void readsABareJsonObject() {
        Triple t = parsed("{\"rationale\": \"add them\", \"answer\": \"5\", \"factors\": {\"correctness\": 0.9, \"readability\": 0.8}}");
        assertEquals("add them", t.rationale());
        assertEquals("5", t.answer());
        assertEquals(Map.of("correctness", 0.9, "readability", 0.8), t.factors());
        assertNull(t.score());
    }

    @Test
    void readsJsonInACodeFenceOrSurroundedByProse() {
        assertEquals("B", parsed("Sure!\n```json\n{\"rationale\": \"r\", \"answer\": \"B\", \"factors\": {}}\n```\nDone.").answer());
        assertEquals("7", parsed("Here you go: {\"rationale\": \"3+4 {not json}\", \"answer\": 7} Hope it helps.").answer());
    }

    @Test
    void forgivesSingleQuotesTrailingCommasAndFieldNameVariants() {
        Triple t = parsed("{'Reasoning': ['step one', 'step two'], 'Final Answer': 'x', 'Factors': {'Test Coverage': '85%',},}");
        assertEquals("step one\nstep two", t.rationale());
        assertEquals("x", t.answer());
        assertEquals(Map.of("test_coverage", 0.85), t.factors());
    }

    @Test
    void readsRatingsAsNumbersStringsPercentagesAndFlattenedFields() {
        Triple t = parsed("{\"rationale\": \"r\", \"answer\": \"a\", \"factors\": {\"correctness\": \"0.75\", \"readability\": 90},"
                + " \"efficiency\": 0.5, \"score\": 0.85}");
        assertEquals(0.75, t.factors().get("correctness"));
        assertEquals(0.9, t.factors().get("readability"));
        assertEquals(0.5, t.factors().get("efficiency"));
        assertEquals(0.85, t.score());
    }

    @Test
    void ratingsOutOfRangeOrNotNumbersAreLeftOutRatherThanGuessed() {
        Triple t = parsed("{\"rationale\": \"r\", \"answer\": \"a\", \"factors\": {\"correctness\": \"high\", \"readability\": 140, \"efficiency\": -1}}");
        assertTrue(t.factors().isEmpty(), t.factors().toString());
    }

    @Test
    void readsProseWithAnAnswerLineAndScoreColonStyle() {
        Triple t = parsed("Rationale: multiply then add.\nCorrectness: 0.9\nAnswer: 17\nscore: 0.85");
        assertEquals("17", t.answer());
        assertTrue(t.rationale().startsWith("multiply then add."), t.rationale());
        assertEquals(0.9, t.factors().get("correctness"));
        assertEquals(0.85, t.score());
    }

    @Test
    void missingFactorsStillParse() {
        Triple t = parsed("{\"rationale\": \"r\", \"answer\": \"a\"}");
        assertTrue(t.factors().isEmpty());
        assertNull(t.score());
    }

    @Test
    void saysWhyWhatCannotBeRead() {
        assertTrue(unparseable("").contains("empty"));
        assertTrue(unparseable("{\"rationale\": \"r\", \"answer\": \"4").contains("not closed"), unparseable("{\"rationale\": \"r\", \"answer\": \"4"));
        assertTrue(unparseable("I think it is four.").contains("no JSON object"));
        assertTrue(unparseable("{\"answer\": \"4\", \"factors\": {}}").contains("rationale"));
        assertTrue(unparseable("{\"rationale\": \"r\", \"answer\": \"  \"}").contains("empty"));
    }
}
