package org.fogwerk.camel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

class NodeDataSourceTest {

    private static Connection connection() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> null);
    }

    private static DataSource pool(Connection c) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> method.getName().equals("getConnection") ? c : null);
    }

    @Test
    void routesKeepOneDataSourceThatHandsOutTheConnectionsOfThePoolThereIsNow() throws Exception {
        Connection first = connection();
        Connection second = connection();
        DataSource old = pool(first);
        NodeDataSource mes = new NodeDataSource("mes");
        mes.use(old);
        assertSame(first, mes.getConnection());

        // the file is saved: its old pool goes, a new one comes, and the same object serves on
        mes.gone(old);
        SQLException between = assertThrows(SQLException.class, mes::getConnection);
        assertEquals("DataSource 'mes' is not there now (etc/org.ops4j.datasource-mes.cfg is being changed, or gone)",
                between.getMessage());
        DataSource fresh = pool(second);
        mes.use(fresh);
        mes.gone(old); // the old pool's late goodbye does not take the new one away
        assertSame(second, mes.getConnection());
    }
}
