package org.fogwerk.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.prometheus.client.Collector.MetricFamilySamples;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

/**
 * Metric families about one kind of thing the node has (connections, uplinks, bus listeners,
 * routes): one row a thing, each family taking its samples from every row, labelled with the
 * row's label values. The families are made afresh at each scrape, in the order they were named.
 */
final class MetricRows<T> {

    /** Takes one sample of a family. */
    interface Samples {
        void add(List<String> labelValues, double value);
    }

    /** What one family takes from a row whose label values are {@code labelValues}. */
    private interface Fill<T> {
        void fill(T row, List<String> labelValues, Samples samples);
    }

    private record Family<T>(String name, String help, List<String> labels, boolean counter, Fill<T> fill) {
    }

    private final List<String> labels;
    private final Function<T, List<String>> labelValues;
    private final List<Family<T>> families = new ArrayList<>();

    /** Rows labelled {@code labels}, with the values {@code labelValues} gives for a row. */
    MetricRows(List<String> labels, Function<T, List<String>> labelValues) {
        this.labels = labels;
        this.labelValues = labelValues;
    }

    /** A counter with one sample a row. */
    MetricRows<T> counter(String name, String help, ToDoubleFunction<T> value) {
        return add(name, help, labels, true, (row, l, samples) -> samples.add(l, value.applyAsDouble(row)));
    }

    /** A gauge with one sample a row. */
    MetricRows<T> gauge(String name, String help, ToDoubleFunction<T> value) {
        return add(name, help, labels, false, (row, l, samples) -> samples.add(l, value.applyAsDouble(row)));
    }

    /** A counter labelled {@code labels} of its own, to which each row adds what samples it has. */
    MetricRows<T> counter(String name, String help, List<String> labels, BiConsumer<T, Samples> samples) {
        return add(name, help, labels, true, (row, l, s) -> samples.accept(row, s));
    }

    /**
     * A gauge labelled with the row's labels and {@code state}: 1 for the state the row is in,
     * 0 for the others.
     */
    <S extends Enum<S>> MetricRows<T> states(String name, String help, S[] states, Function<T, S> state) {
        return add(name, help, with(labels, "state"), false, (row, l, samples) -> {
            S current = state.apply(row);
            for (S s : states) {
                samples.add(with(l, s.name()), current == s ? 1 : 0);
            }
        });
    }

    /** Adds the families, with a sample of every row in each, to {@code out}. */
    void collect(Iterable<? extends T> rows, List<MetricFamilySamples> out) {
        List<MetricFamilySamples> made = new ArrayList<>();
        List<Samples> samples = new ArrayList<>();
        for (Family<T> f : families) {
            if (f.counter()) {
                CounterMetricFamily c = new CounterMetricFamily(f.name(), f.help(), f.labels());
                made.add(c);
                samples.add(c::addMetric);
            } else {
                GaugeMetricFamily g = new GaugeMetricFamily(f.name(), f.help(), f.labels());
                made.add(g);
                samples.add(g::addMetric);
            }
        }
        for (T row : rows) {
            List<String> l = labelValues.apply(row);
            for (int i = 0; i < families.size(); i++) {
                families.get(i).fill().fill(row, l, samples.get(i));
            }
        }
        out.addAll(made);
    }

    private MetricRows<T> add(String name, String help, List<String> labels, boolean counter, Fill<T> fill) {
        families.add(new Family<>(name, help, labels, counter, fill));
        return this;
    }

    private static List<String> with(List<String> list, String last) {
        List<String> result = new ArrayList<>(list);
        result.add(last);
        return result;
    }
}
