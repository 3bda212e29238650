package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.ConfigurationFile;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that warns about keys no component reads: for every {@code org.fogwerk.*}
 * configuration, when it is created or changed (and at start for those already there), its keys
 * are compared with the attributes of the component's metatype (what {@code config:meta} lists),
 * leaving out the keys the framework adds and the prefixes the component declares open with
 * {@link ConfigurationNames#OPEN_KEYS_PROPERTY}. Each unknown key gives one WARN line with the
 * file, the key and the nearest known key.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class UnknownKeyWarning implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(UnknownKeyWarning.class);

    private final ConfigurationAdmin configurations;
    private final Function<String, Optional<Set<String>>> attributes;
    private final Function<String, List<String>> openPrefixes;
    private final ExecutorService checks = Executors.newSingleThreadExecutor(
            DaemonThreads.named("fogwerk-config-keys"));

    @Activate
    public UnknownKeyWarning(BundleContext context, @Reference MetaTypeService metatype,
            @Reference ConfigurationAdmin configurations, @Reference ServiceComponentRuntime components) {
        this(configurations, pid -> attributes(context, metatype, pid), pid -> openPrefixes(components, pid));
        submit(this::checkAll);
    }

    /** Without OSGi (tests): where the known keys and the open prefixes of a PID come from. */
    UnknownKeyWarning(ConfigurationAdmin configurations, Function<String, Optional<Set<String>>> attributes,
            Function<String, List<String>> openPrefixes) {
        this.configurations = configurations;
        this.attributes = attributes;
        this.openPrefixes = openPrefixes;
    }

    @Deactivate
    void deactivate() {
        checks.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getType() == ConfigurationEvent.CM_UPDATED && FogwerkConfigurations.ours(event.getPid())) {
            submit(() -> check(event.getPid()));
        }
    }

    private void submit(Runnable check) {
        try {
            checks.execute(check);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void checkAll() {
        FogwerkConfigurations.all(configurations).forEach(this::check);
    }

    private void check(String pid) {
        FogwerkConfigurations.byPid(configurations, pid).forEach(this::check);
    }

    private void check(Configuration c) {
        warningsFor(c).forEach(LOG::warn);
    }

    /** One line per key of the configuration that its component does not know. */
    List<String> warningsFor(Configuration c) {
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            return List.of();
        }
        String ocdPid = c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid();
        Optional<Set<String>> known = attributes.apply(ocdPid);
        if (known.isEmpty()) {
            return List.of(); // no metatype: nothing says which keys are right
        }
        if (ConfigurationFile.notText(Collections.singletonMap(ConfigurationNames.FILE_PROPERTY,
                props.get(ConfigurationNames.FILE_PROPERTY))).isPresent()) {
            return List.of(); // keys made of garbage: the component refuses the file and says so once
        }
        Object file = props.get(ConfigurationNames.FILE_PROPERTY);
        String source = file != null ? file.toString().replaceFirst("^file:", "") : c.getPid();
        return UnknownKeys.warnings(source, ocdPid, Collections.list(props.keys()), known.get(),
                openPrefixes.apply(ocdPid));
    }

    /** The attribute ids of the metatype that describes a PID or factory PID. */
    private static Optional<Set<String>> attributes(BundleContext context, MetaTypeService metatype, String pid) {
        for (Bundle b : context.getBundles()) {
            MetaTypeInformation info = metatype.getMetaTypeInformation(b);
            if (info == null || !(Arrays.asList(info.getPids()).contains(pid)
                    || Arrays.asList(info.getFactoryPids()).contains(pid))) {
                continue;
            }
            ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
            AttributeDefinition[] attributes = ocd == null ? null
                    : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
            Set<String> ids = new TreeSet<>();
            if (attributes != null) {
                Arrays.stream(attributes).forEach(a -> ids.add(a.getID()));
            }
            return Optional.of(ids);
        }
        return Optional.empty();
    }

    /** The open key prefixes the components configured by a PID declare. */
    private static List<String> openPrefixes(ServiceComponentRuntime components, String pid) {
        List<String> open = new ArrayList<>();
        for (ComponentDescriptionDTO d : components.getComponentDescriptionDTOs()) {
            if (d.configurationPid == null || !Arrays.asList(d.configurationPid).contains(pid)) {
                continue;
            }
            Object value = d.properties == null ? null : d.properties.get(ConfigurationNames.OPEN_KEYS_PROPERTY);
            if (value instanceof String[]) {
                open.addAll(Arrays.asList((String[]) value));
            } else if (value != null) {
                open.addAll(Arrays.asList(value.toString().split(",")));
            }
        }
        return open;
    }
}
