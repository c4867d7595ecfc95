package io.twt.common;

import java.util.List;

/**
 * A request, carried by a {@link Query} on {@code twt.queries}, to ask some teachers again ({@code ./twt redrive}):
 * the gateway asks only {@code teachers} and writes their outputs with this {@code number}; the sampler replaces
 * their earlier outputs with these and decides the query once more from the complete set.
 *
 * @param number  1 for the first re-drive of a query, then 2, ...; outputs of a lower number are stale
 * @param teachers the teachers to ask again
 */
public record Redrive(int number, List<String> teachers) {

    public void validate() {
        if (number < 1) {
            throw new InvalidRecordException("field 'redrive.number' must be at least 1: " + number);
        }
        Check.nonEmpty("redrive.teachers", teachers);
        for (int i = 0; i < teachers.size(); i++) {
            Check.text("redrive.teachers[" + i + "]", teachers.get(i));
        }
    }
}
