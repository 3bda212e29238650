package org.fogwerk.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** A plain text table: a header row, rows of cells, columns padded to the widest cell. */
public final class Table {

    private final String title;
    private final List<String[]> rows = new ArrayList<>();

    public Table(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    public Table row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public void print(PrintStream out) {
        int cols = 0;
        for (String[] r : rows) {
            cols = Math.max(cols, r.length);
        }
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        out.println();
        out.println(title);
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            StringBuilder sb = new StringBuilder("| ");
            for (int i = 0; i < cols; i++) {
                String c = i < r.length ? r[i] : "";
                sb.append(i == 0 ? pad(c, width[i], false) : pad(c, width[i], n > 0)).append(" | ");
            }
            out.println(sb.toString().stripTrailing());
            if (n == 0) {
                StringBuilder line = new StringBuilder("|");
                for (int i = 0; i < cols; i++) {
                    line.append("-".repeat(width[i] + 2)).append('|');
                }
                out.println(line);
            }
        }
        out.flush();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }

    public static String f0(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.0f", v);
    }

    public static String f1(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.1f", v);
    }

    public static String f2(double v) {
        return Double.isNaN(v) ? "-" : String.format("%,.2f", v);
    }
}
