/**
 * Answer extraction rules, in one place: eval-service scores with them, the lab teachers and
 * compression-service compare answers with them. Every rule takes a raw model output and returns
 * a canonical answer (or null when there is none), so "is this right" and "are these the same"
 * mean the same thing everywhere.
 */
package io.twt.common.answer;
