package io.twt.common;

/** The sentence embedding of one kept rationale on {@code twt.rationale-embeddings}; L2-normalised. */
public record RationaleEmbedding(int schemaVersion, String queryId, String teacher, String model, float[] vector)
        implements Validated {

    @Override
    public void validate() {
        Check.schemaVersion(schemaVersion);
        Check.text("queryId", queryId);
        Check.text("teacher", teacher);
        Check.text("model", model);
        Check.present("vector", vector);
        if (vector.length == 0) {
            throw new InvalidRecordException("field 'vector' is empty");
        }
    }
}
