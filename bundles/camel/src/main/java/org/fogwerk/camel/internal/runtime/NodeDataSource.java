package org.fogwerk.camel.internal.runtime;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The DataSource routes know by name ({@code jdbc:mes}): one object for the life of the Camel
 * context, handing out the connections of the pool the node has for that name now. A change of
 * {@code etc/org.ops4j.datasource-<name>.cfg} closes the old pool and makes a new one; Camel keeps
 * the endpoints it made, and with them the DataSource they were given, so a route holding the old
 * pool itself would fail with "Pool not open" until the context started again.
 */
final class NodeDataSource implements DataSource {

    private final String name;
    private volatile DataSource pool;

    NodeDataSource(String name) {
        this.name = name;
    }

    void use(DataSource current) {
        pool = current;
    }

    /** The pool goes; a later one of the same name takes its place. */
    void gone(DataSource old) {
        if (pool == old) {
            pool = null;
        }
    }

    private DataSource pool() throws SQLException {
        DataSource p = pool;
        if (p == null) {
            throw new SQLException("DataSource '" + name + "' is not there now (etc/org.ops4j.datasource-" + name
                    + ".cfg is being changed, or gone)");
        }
        return p;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool().getConnection(username, password);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : pool().unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool().isWrapperFor(type);
    }
}
