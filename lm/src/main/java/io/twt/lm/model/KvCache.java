package io.twt.lm.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;

/**
 * Keys and values of every layer for the positions seen so far (llama3.java's State.keyCache / valueCache):
 * generation feeds one new token per step and attends to the cached ones instead of recomputing them.
 */
public final class KvCache implements AutoCloseable {

    private final NDArray[] keys; // per layer (B, n_kv_heads, S, head_dim)
    private final NDArray[] values; // per layer (B, n_kv_heads, S, head_dim)

    public KvCache(int layers) {
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Appends this step's keys and values (B, n_kv, T, hd) of a layer; returns all of them (B, n_kv, S + T, hd). */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        NDArray allK = keys[layer] == null ? k : keys[layer].concat(k, 2);
        NDArray allV = values[layer] == null ? v : values[layer].concat(v, 2);
        // the cache outlives the step's scope; the previous step's tensors are no longer needed
        NDScope.unregister(allK, allV);
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        keys[layer] = allK;
        values[layer] = allV;
        return new NDArray[] {allK, allV};
    }

    /** Positions cached so far. */
    public long length() {
        return keys[0] == null ? 0 : keys[0].getShape().get(2);
    }

    @Override
    public void close() {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                keys[i].close();
                values[i].close();
                keys[i] = null;
                values[i] = null;
            }
        }
    }
}
