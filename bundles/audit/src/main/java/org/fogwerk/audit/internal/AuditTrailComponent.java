package org.fogwerk.audit.internal;

import java.nio.file.Path;

import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's audit trail as a service, configured from its file; a changed configuration re-opens it. */
@Component(service = AuditTrail.class, immediate = true, configurationPid = "org.fogwerk.audit",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuditConfig.class)
public final class AuditTrailComponent extends AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrailComponent.class);
    private static final long MIB = 1024L * 1024;

    @Activate
    public AuditTrailComponent(AuditConfig config) {
        this(settings(LenientConfig.of(AuditConfig.class, config, "etc/org.fogwerk.audit.cfg")));
    }

    private AuditTrailComponent(AuditLog.Settings settings) {
        super(settings);
        LOG.info("Audit trail in {} (rotation at {} MiB, {}, {})", settings.dir(), settings.rotateBytes() / MIB,
                settings.keepFiles() == 0 ? "every file kept" : "newest " + settings.keepFiles() + " files kept",
                settings.syncMillis() == 0 ? "every entry forced to disk before its write"
                        : "forced to disk every " + settings.syncMillis() + " ms");
    }

    /**
     * The trail's settings. A value outside its range takes the key's default with an ERROR line:
     * a slip in this file must not stop the trail, and with it every write of the node and the
     * record of what happens meanwhile.
     */
    static AuditLog.Settings settings(AuditConfig config) {
        long rotate = within("rotate.size.mib", config.rotate_size_mib(), 1, Integer.MAX_VALUE, 16);
        long keep = within("keep.files", config.keep_files(), 0, Integer.MAX_VALUE, 0);
        long sync = within("sync.interval.ms", config.sync_interval_ms(), 0, 60_000, 100);
        long wait = within("wait.ms", config.wait_ms(), 1, Long.MAX_VALUE, 5000);
        return new AuditLog.Settings(folder(config.folder()), rotate * MIB, (int) keep, sync, wait);
    }

    private static long within(String key, long value, long min, long max, long fallback) {
        if (value >= min && value <= max) {
            return value;
        }
        LOG.error("etc/org.fogwerk.audit.cfg: {} = {} must be {}; {} is used until the file is fixed", key, value,
                max == Integer.MAX_VALUE || max == Long.MAX_VALUE ? "at least " + min : min + " to " + max, fallback);
        return fallback;
    }

    private static Path folder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured.trim());
        }
        String data = System.getProperty("karaf.data");
        return (data == null ? Path.of("data") : Path.of(data)).resolve("fogwerk").resolve("audit");
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
