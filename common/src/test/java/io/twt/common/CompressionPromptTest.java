package io.twt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CompressionPromptTest {

    @Test
    void labTeachersCanReadBackEverySection() {
        Query query = Query.of("q", TaskKind.MATH, "Tom has 3 apples and buys 4. How many?", null, null, "t", null);
        var messages = CompressionPrompt.messages(query, "First 3. Then 4 more. 3 + 4 = 7.", "3 + 4 = 7\n#### 7", "7");
        CompressionPrompt.Sections sections = CompressionPrompt.parse(messages.get(1).content());
        assertEquals("Tom has 3 apples and buys 4. How many?", sections.question());
        assertEquals("First 3. Then 4 more. 3 + 4 = 7.", sections.originalRationale());
        assertEquals("3 + 4 = 7\n#### 7", sections.studentOutput());
        assertEquals("7", sections.answer());
    }

    @Test
    void otherPromptsAreNotCompressionRequests() {
        assertNull(CompressionPrompt.parse("Solve: 2 + 2"));
    }
}
