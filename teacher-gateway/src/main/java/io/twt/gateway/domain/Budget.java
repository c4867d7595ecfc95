package io.twt.gateway.domain;

import java.util.OptionalDouble;

/**
 * A teacher's spending cap in USD for this gateway process: once what was spent reaches the cap, no further
 * calls go out to that teacher and its records say so. Without a cap it only counts.
 */
public final class Budget {

    private final OptionalDouble capUsd;
    private double spentUsd;

    public Budget(OptionalDouble capUsd) {
        this.capUsd = capUsd;
    }

    public synchronized void spend(double usd) {
        spentUsd += usd;
    }

    public synchronized boolean exhausted() {
        return capUsd.isPresent() && spentUsd >= capUsd.getAsDouble();
    }

    public synchronized double spentUsd() {
        return spentUsd;
    }

    public OptionalDouble capUsd() {
        return capUsd;
    }
}
