package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

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
        if (all || which.contains("modbus")) {
            new ModbusBench(out, measure).run();
        }
        if (all || which.contains("opcua")) {
            new OpcUaBench(out, measure).run();
        }
        if (all || which.contains("shadow")) {
            new ShadowBench(out, measure).run();
        }
        if (all || which.contains("uplink")) {
            new UplinkBench(out, measure).run();
        }
        if (all || which.contains("batch")) {
            new BatchUplinkBench(out, measure).run();
        }
        if (all || which.contains("camel")) {
            new CamelBench(out, measure).run();
        }
        if (all || which.contains("audit")) {
            new AuditBench(out, measure).run();
        }
        if (all || which.contains("writes")) {
            new WriteBench(out, measure).run();
        }
        if (all || which.contains("web")) {
            new WebBench(out, measure).run();
        }
        out.printf("%nDone in %.0f s.%n", (System.nanoTime() - start) / 1e9);
        System.exit(0);
    }
}
