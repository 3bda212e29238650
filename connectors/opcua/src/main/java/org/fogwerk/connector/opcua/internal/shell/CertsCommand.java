package org.fogwerk.connector.opcua.internal.shell;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.fogwerk.connector.opcua.internal.OpcUaConnection;
import org.fogwerk.connector.opcua.internal.Pki;
import org.osgi.framework.BundleContext;

@Service
@Command(scope = "fogwerk", name = "opcua-certs", description = "Lists trusted and rejected OPC UA server certificates")
public class CertsCommand implements Action {

    @Reference
    BundleContext bundleContext;

    static Set<Path> pkiDirs(BundleContext context) {
        Set<Path> dirs = new LinkedHashSet<>();
        Connections.all(context).forEach(c -> dirs.add(c.pkiDir()));
        if (dirs.isEmpty()) {
            String data = System.getProperty("karaf.data");
            dirs.add(data == null ? Path.of("data", "fogwerk", "pki") : Path.of(data, "fogwerk", "pki"));
        }
        return dirs;
    }

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("List");
        table.column("Thumbprint (SHA-1)");
        table.column("Subject");
        table.column("Valid Until");
        table.column("PKI Dir");
        for (Path dir : pkiDirs(bundleContext)) {
            for (Pki.CertEntry e : Pki.list(dir)) {
                table.addRow().addContent(e.list(), e.thumbprint(), e.subject(), e.notAfter(), dir);
            }
        }
        table.print(System.out);
        return null;
    }

    /** Moves a certificate in every PKI dir that has it, then lets failed connections retry. */
    static String apply(BundleContext context, String thumbprint, String toList) throws Exception {
        StringBuilder out = new StringBuilder();
        IllegalArgumentException last = null;
        for (Path dir : pkiDirs(context)) {
            try {
                out.append(Pki.move(dir, thumbprint, toList)).append(" in ").append(dir).append('\n');
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        if (out.length() == 0) {
            throw last != null ? last : new IllegalArgumentException("no certificate " + thumbprint);
        }
        Connections.all(context).forEach(OpcUaConnection::retrySoon);
        return out.toString().trim();
    }
}
