package org.fogwerk.core.internal.authority;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write policy in force, from {@code etc/org.fogwerk.security.writes.cfg}, hot-reloaded. The
 * file is read line by line so an error names its line; a file with an error leaves the last
 * good policy in force (the default, remote sources denied, at first start).
 */
@Component(service = WritePolicyService.class, configurationPid = WritePolicyService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public final class WritePolicyService {

    static final String PID = "org.fogwerk.security.writes";
    private static final Logger LOG = LoggerFactory.getLogger(WritePolicyService.class);

    private volatile WritePolicy policy = WritePolicy.defaults();
    private volatile String error = "";
    private volatile String origin = "defaults";

    private final UnaryOperator<String> nodeProperties;

    public WritePolicyService() {
        this.nodeProperties = name -> null;
    }

    public WritePolicyService(Map<String, Object> properties) {
        this(properties, null);
    }

    @Activate
    public WritePolicyService(Map<String, Object> properties, BundleContext context) {
        this.nodeProperties = context == null ? name -> null : context::getProperty;
        load(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        load(properties);
    }

    /** The policy in force. */
    public WritePolicy policy() {
        return policy;
    }

    /** Why the last change of the file was not taken, empty when it was. */
    public String error() {
        return error;
    }

    /** The file (or configuration) the policy in force came from. */
    public String origin() {
        return origin;
    }

    /** Replaces the policy; for tests and for nodes that build it in code. */
    public void set(WritePolicy p) {
        policy = p;
        error = "";
        origin = "set by the node";
    }

    private void load(Map<String, Object> properties) {
        Object file = properties.get("felix.fileinstall.filename");
        String name = file == null ? PID + " (configuration)" : shortName(file.toString());
        try {
            WritePolicy p;
            if (file != null) {
                Path path = Path.of(URI.create(file.toString()));
                p = WritePolicy.parse(Files.readAllLines(path, StandardCharsets.UTF_8), nodeProperties);
            } else {
                p = WritePolicy.parse(properties);
            }
            policy = p;
            error = "";
            origin = name;
            LOG.info("Write policy from {}: {}", name, String.join("; ", p.describe()));
        } catch (WritePolicy.PolicyException e) {
            error = name + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage();
            LOG.error("Write policy {} not taken, the policy from {} stays in force: {}", name, origin, error);
        } catch (IOException | RuntimeException e) {
            error = name + ": cannot be read: " + e.getMessage();
            LOG.error("Write policy {} not taken, the policy from {} stays in force: {}", name, origin, error);
        }
    }

    private static String shortName(String url) {
        int etc = url.lastIndexOf("/etc/");
        return etc >= 0 ? url.substring(etc + 1) : url;
    }
}
