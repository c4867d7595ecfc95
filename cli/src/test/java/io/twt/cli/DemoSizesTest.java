package io.twt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DemoSizesTest {

    @Test
    void moreQueriesGetProportionallyLongerTimeoutsAndFewerKeepTheDefaults() {
        DemoSizes full = DemoSizes.full();
        DemoSizes four = full.withQueries(full.queries() * 4);
        assertEquals(full.queries() * 4, four.queries());
        assertEquals(full.roundTimeout().multipliedBy(4), four.roundTimeout());
        assertEquals(full.decisionTimeout().multipliedBy(4), four.decisionTimeout());
        DemoSizes fewer = full.withQueries(90);
        assertEquals(full.roundTimeout(), fewer.roundTimeout());
        assertEquals(Duration.ofMinutes(10), fewer.decisionTimeout());
        assertEquals(full.evalLimit(), fewer.evalLimit());
    }
}
