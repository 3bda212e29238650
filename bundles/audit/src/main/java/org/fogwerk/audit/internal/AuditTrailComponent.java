package org.fogwerk.audit.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's audit trail as a service; a changed configuration re-opens it. */
@Component(service = AuditTrail.class, immediate = true, configurationPid = "org.fogwerk.audit",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AuditConfig.class)
public final class AuditTrailComponent implements AuditTrail {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrailComponent.class);
    private static final long MIB = 1024L * 1024;

    private final AuditLog log;

    @Activate
    public AuditTrailComponent(AuditConfig config) {
        config = LenientConfig.of(AuditConfig.class, config, "etc/org.fogwerk.audit.cfg");
        AuditLog.Settings settings = settings(config);
        this.log = new AuditLog(settings);
        LOG.info("Audit trail in {} (rotation at {} MiB, {}, {})", settings.dir(), config.rotate_size_mib(),
                settings.keepFiles() == 0 ? "every file kept" : "newest " + settings.keepFiles() + " files kept",
                settings.syncMillis() == 0 ? "every entry forced to disk before its write"
                        : "forced to disk every " + settings.syncMillis() + " ms");
    }

    static AuditLog.Settings settings(AuditConfig config) {
        if (config.rotate_size_mib() < 1) {
            throw new IllegalArgumentException("org.fogwerk.audit: rotate.size.mib must be at least 1, not "
                    + config.rotate_size_mib());
        }
        if (config.keep_files() < 0) {
            throw new IllegalArgumentException("org.fogwerk.audit: keep.files must be 0 (keep all) or more, not "
                    + config.keep_files());
        }
        if (config.sync_interval_ms() < 0 || config.sync_interval_ms() > 60_000) {
            throw new IllegalArgumentException("org.fogwerk.audit: sync.interval.ms must be 0 (force every entry) to "
                    + "60000, not " + config.sync_interval_ms());
        }
        if (config.wait_ms() < 1) {
            throw new IllegalArgumentException("org.fogwerk.audit: wait.ms must be at least 1, not "
                    + config.wait_ms());
        }
        return new AuditLog.Settings(folder(config.folder()), config.rotate_size_mib() * MIB, config.keep_files(),
                config.sync_interval_ms(), config.wait_ms());
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
        log.close();
    }

    @Override
    public CompletionStage<AuditEntry> append(AuditEvent event) {
        return log.append(event);
    }

    @Override
    public CompletionStage<Void> journal(AuditEvent event) {
        return log.journal(event);
    }

    @Override
    public void record(AuditEvent event) {
        log.record(event);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public long unwritten() {
        return log.unwritten();
    }

    @Override
    public List<AuditEntry> query(AuditQuery query) {
        return log.query(query);
    }

    @Override
    public AuditVerification verify() {
        return log.verify();
    }
}
