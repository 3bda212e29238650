package org.fogwerk.shell.internal;

import java.util.Collection;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.support.shell.NameCompleter;

/** Completes uplink names. */
@Service
public class UplinkNameCompleter extends NameCompleter {

    @Reference(optional = true)
    List<Uplink> uplinks;

    @Override
    protected Collection<String> names() {
        return uplinks == null ? List.of() : uplinks.stream().map(Uplink::name).toList();
    }
}
