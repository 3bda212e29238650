package org.fogwerk.core.internal.authority;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.fogwerk.api.authority.PolicyStatus;
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
    /** The file the policy is kept in, as users name it. */
    public static final String FILE_NAME = "etc/" + PID + ".cfg";
    private static final Logger LOG = LoggerFactory.getLogger(WritePolicyService.class);

    /**
     * The policy in force, why the last change of the file was not taken (empty when it was) and
     * where the policy came from, replaced together so that a reader never mixes two files.
     */
    private record State(WritePolicy policy, String error, String origin) {
    }

    private volatile State state = new State(WritePolicy.defaults(), "", "defaults");

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
        return state.policy();
    }

    /** Why the last change of the file was not taken, empty when it was. */
    public String error() {
        return state.error();
    }

    /** The file (or configuration) the policy in force came from. */
    public String origin() {
        return state.origin();
    }

    /** Origin, error and rules of the policy in force, all from the same moment. */
    public PolicyStatus status() {
        State s = state;
        return new PolicyStatus(s.origin(), s.error(), s.policy().describe());
    }

    /** Replaces the policy; for tests and for nodes that build it in code. */
    public void set(WritePolicy p) {
        state = new State(p, "", "set by the node");
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
            state = new State(p, "", name);
            LOG.info("Write policy from {}: {}", name, String.join("; ", p.describe()));
        } catch (WritePolicy.PolicyException e) {
            refuse(name, name + (e.line() > 0 ? ":" + e.line() : "") + ": " + e.getMessage());
        } catch (IOException | RuntimeException e) {
            refuse(name, name + ": cannot be read: " + e.getMessage());
        }
    }

    /** Keeps the policy in force and says why the one in {@code name} was not taken. */
    private void refuse(String name, String error) {
        State kept = state;
        state = new State(kept.policy(), error, kept.origin());
        LOG.error("Write policy {} not taken, the policy from {} stays in force: {}", name, kept.origin(), error);
    }

    private static String shortName(String url) {
        int etc = url.lastIndexOf("/etc/");
        return etc >= 0 ? url.substring(etc + 1) : url;
    }
}
