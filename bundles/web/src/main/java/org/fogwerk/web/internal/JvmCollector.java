package org.fogwerk.web.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

import io.prometheus.client.Collector;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.GaugeMetricFamily;

/**
 * Heap, garbage collection and threads from the platform MXBeans, with the names of the
 * Prometheus JVM client; without {@code simpleclient_hotspot}, which needs {@code com.sun.management}
 * exported by the framework.
 */
final class JvmCollector extends Collector {

    @Override
    public List<MetricFamilySamples> collect() {
        List<MetricFamilySamples> out = new ArrayList<>();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        MemoryUsage nonHeap = ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage();
        List<String> area = List.of("area");
        GaugeMetricFamily used = new GaugeMetricFamily("jvm_memory_bytes_used", "Used bytes of a memory area", area);
        GaugeMetricFamily committed = new GaugeMetricFamily("jvm_memory_bytes_committed",
                "Committed bytes of a memory area", area);
        GaugeMetricFamily max = new GaugeMetricFamily("jvm_memory_bytes_max", "Max bytes of a memory area (-1 for none)",
                area);
        used.addMetric(List.of("heap"), heap.getUsed());
        used.addMetric(List.of("nonheap"), nonHeap.getUsed());
        committed.addMetric(List.of("heap"), heap.getCommitted());
        committed.addMetric(List.of("nonheap"), nonHeap.getCommitted());
        max.addMetric(List.of("heap"), heap.getMax());
        max.addMetric(List.of("nonheap"), nonHeap.getMax());
        out.add(used);
        out.add(committed);
        out.add(max);

        List<String> gc = List.of("gc");
        CounterMetricFamily collections = new CounterMetricFamily("jvm_gc_collections",
                "Collections a garbage collector ran", gc);
        CounterMetricFamily seconds = new CounterMetricFamily("jvm_gc_collection_seconds",
                "Time a garbage collector spent collecting", gc);
        for (GarbageCollectorMXBean bean : ManagementFactory.getGarbageCollectorMXBeans()) {
            collections.addMetric(List.of(bean.getName()), Math.max(0, bean.getCollectionCount()));
            seconds.addMetric(List.of(bean.getName()), Math.max(0, bean.getCollectionTime()) / 1000.0);
        }
        out.add(collections);
        out.add(seconds);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        out.add(new GaugeMetricFamily("jvm_threads_current", "Live threads", threads.getThreadCount()));
        out.add(new GaugeMetricFamily("jvm_threads_daemon", "Live daemon threads", threads.getDaemonThreadCount()));
        out.add(new GaugeMetricFamily("jvm_threads_peak", "Most live threads since start", threads.getPeakThreadCount()));
        return out;
    }
}
