package io.twt.gateway.domain;

/** A teacher reply is either a triple or text we could not read, with the reason (used in the re-ask). */
public sealed interface ParseOutcome {

    record Parsed(Triple triple) implements ParseOutcome {
    }

    record Unparseable(String reason) implements ParseOutcome {
    }
}
