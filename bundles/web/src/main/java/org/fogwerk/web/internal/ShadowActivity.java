package org.fogwerk.web.internal;

import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowListener;
import org.osgi.service.component.annotations.Component;

/** Counts what the shadow store accepted, for {@code /metrics}: one increment per event, nothing more. */
@Component(service = {ShadowListener.class, ShadowActivity.class}, immediate = true)
public final class ShadowActivity implements ShadowListener {

    final LongAdder updates = new LongAdder();
    final LongAdder deltas = new LongAdder();
    final LongAdder deletes = new LongAdder();

    @Override
    public void accepted(ShadowDocument previous, ShadowDocument current, String clientToken) {
        updates.increment();
    }

    @Override
    public void delta(ShadowDocument current, String clientToken) {
        deltas.increment();
    }

    @Override
    public void deleted(String thing, String shadow, long version, String clientToken) {
        deletes.increment();
    }
}
