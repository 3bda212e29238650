package org.fogwerk.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;

/**
 * Keeps every update it is given, so tests can see what the node wrote into shadows; it keeps no
 * documents. Tests that need a store's answers to requests override those methods.
 */
public class RecordingShadowStore implements ShadowStore {

    /** One update, as it was given. */
    public record Write(String thing, String shadow, ShadowUpdate update) {
    }

    /** The updates, in order. */
    public final List<Write> writes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException {
        writes.add(new Write(thing, shadow, update));
        return new ShadowDocument(thing, shadow, Map.of(), Map.of(), Map.of(), Map.of(), writes.size(), 0);
    }

    /** The updates so far, in order. */
    public List<ShadowUpdate> updates() {
        synchronized (writes) {
            return writes.stream().map(Write::update).toList();
        }
    }

    /** The thing of each update so far, in order. */
    public List<String> updatedThings() {
        synchronized (writes) {
            return writes.stream().map(Write::thing).toList();
        }
    }

    /** The reported state after every write so far, merged one level deep. */
    public Map<String, Object> reported(String thing) {
        Map<String, Object> merged = new LinkedHashMap<>();
        synchronized (writes) {
            for (Write w : writes) {
                if (w.thing().equals(thing) && w.update().reported() != null) {
                    merged.putAll(w.update().reported());
                }
            }
        }
        return merged;
    }

    @Override
    public ShadowDocument get(String thing, String shadow) throws ShadowException {
        throw new ShadowException(404, "not kept by this test store", null);
    }

    @Override
    public byte[] update(String thing, String shadow, byte[] requestJson) throws ShadowException {
        throw new ShadowException(500, "not kept by this test store", null);
    }

    @Override
    public void delete(String thing, String shadow, Long expectedVersion) throws ShadowException {
        writes.removeIf(w -> w.thing().equals(thing));
    }

    @Override
    public Set<String> things() {
        return Set.of();
    }

    @Override
    public List<String> shadows(String thing) {
        return List.of();
    }
}
