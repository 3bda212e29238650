package org.fogwerk.support.table;

import java.io.PrintStream;

import org.apache.karaf.shell.support.table.ShellTable;

/** A status shown one property a line: its name on the left, its value on the right, without a header. */
public final class PropertyTable {

    private final ShellTable table = new ShellTable();

    public PropertyTable() {
        table.noHeaders();
        table.column("Key");
        table.column("Value");
    }

    /** Adds a line. */
    public PropertyTable add(String name, Object value) {
        table.addRow().addContent(name, value);
        return this;
    }

    /** Adds a line of text, shown as {@code -} when there is none. */
    public PropertyTable text(String name, String text) {
        return add(name, text.isEmpty() ? "-" : text);
    }

    public void print(PrintStream out) {
        table.print(out);
    }
}
