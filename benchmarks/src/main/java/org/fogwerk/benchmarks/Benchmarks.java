package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks named on the command line (modbus, opcua, shadow, uplink, camel, audit, writes, web; default
 * all) and prints
 * their figures as tables. Not a test: it asserts nothing, it measures.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        List<String> which = Arrays.asList(args.length == 0 ? new String[] {"all"} : args);
        boolean all = which.contains("all");
        long measure = Long.getLong("bench.seconds", 10) * 1000;
        Runtime rt = Runtime.getRuntime();
        out.printf("Fogwerk benchmarks: %s %s (%s), %s %s; %d cores; max heap %s; GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor"), System.getProperty("os.name"), System.getProperty("os.arch"),
                rt.availableProcessors(), Stats.mb(rt.maxMemory()),
                ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        long start = System.nanoTime();
        Map<String, Run> benchmarks = new LinkedHashMap<>();
        benchmarks.put("modbus", () -> new ModbusBench(out, measure).run());
        benchmarks.put("opcua", () -> new OpcUaBench(out, measure).run());
        benchmarks.put("shadow", () -> new ShadowBench(out, measure).run());
        benchmarks.put("uplink", () -> new UplinkBench(out, measure).run());
        benchmarks.put("batch", () -> new BatchUplinkBench(out, measure).run());
        benchmarks.put("camel", () -> new CamelBench(out, measure).run());
        benchmarks.put("audit", () -> new AuditBench(out, measure).run());
        benchmarks.put("writes", () -> new WriteBench(out, measure).run());
        benchmarks.put("web", () -> new WebBench(out, measure).run());
        for (Map.Entry<String, Run> b : benchmarks.entrySet()) {
            if (all || which.contains(b.getKey())) {
                b.getValue().run();
            }
        }
        out.printf("%nDone in %.0f s.%n", (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }

    /** One benchmark's run. */
    private interface Run {
        void run() throws Exception;
    }
}
