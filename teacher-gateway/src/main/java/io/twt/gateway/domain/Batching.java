package io.twt.gateway.domain;

import java.time.Duration;

/**
 * A teacher in {@code mode: batch}: its queries go through the provider's Batch API (OpenAI {@code /v1/files} +
 * {@code /v1/batches}, Azure's equivalent), 24 h window, half price.
 *
 * @param maxRequests a batch is submitted once it holds this many lines ...
 * @param maxAge      ... or once its oldest line has waited this long
 * @param poll        how often open batches are checked
 * @param priceFactor batch tokens cost this share of the teacher's prices (OpenAI and Azure: 0.5)
 */
public record Batching(int maxRequests, Duration maxAge, Duration poll, double priceFactor) {
}
