package io.twt.gateway.incoming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class InFlightQueriesTest {

    private static final TopicPartition P0 = new TopicPartition("twt.queries", 0);
    private static final TopicPartition P1 = new TopicPartition("twt.queries", 1);

    @Test
    @Timeout(10)
    void revocationWaitsForTheQueriesInFlightOnThePartitionsItTakes() throws Exception {
        InFlightQueries inFlight = new InFlightQueries();
        inFlight.assigned(List.of(P0, P1));
        assertTrue(inFlight.begin(P0));
        assertTrue(inFlight.begin(P1));
        CompletableFuture<Integer> revoked = CompletableFuture.supplyAsync(() -> revoke(inFlight, P0, Duration.ofSeconds(5)));
        Thread.sleep(200);
        assertFalse(revoked.isDone(), "P0's query is still running");
        inFlight.end(P0);
        assertEquals(0, revoked.get(5, TimeUnit.SECONDS));
        // P1 was not revoked: its query ran on regardless
        assertTrue(inFlight.begin(P1));
    }

    @Test
    void aQueryOfARevokedPartitionDoesNotStart() throws InterruptedException {
        InFlightQueries inFlight = new InFlightQueries();
        inFlight.assigned(List.of(P0));
        inFlight.revokeAndAwait(List.of(P0), Duration.ZERO);
        assertFalse(inFlight.begin(P0));
        inFlight.assigned(List.of(P0));
        assertTrue(inFlight.begin(P0), "assigned again, it is ours again");
    }

    @Test
    void revocationGivesUpAfterItsWaitAndSaysHowManyAreLeft() throws InterruptedException {
        InFlightQueries inFlight = new InFlightQueries();
        inFlight.assigned(List.of(P0));
        inFlight.begin(P0);
        inFlight.begin(P0);
        assertEquals(2, inFlight.revokeAndAwait(List.of(P0), Duration.ofMillis(100)));
    }

    private static int revoke(InFlightQueries inFlight, TopicPartition partition, Duration wait) {
        try {
            return inFlight.revokeAndAwait(List.of(partition), wait);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
