package org.fogwerk.update.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

class HealthCheckTest {

    private static Bundle bundle() {
        return (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] {Bundle.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getHeaders" -> new Hashtable<String, String>();
                    case "getState" -> Bundle.ACTIVE;
                    case "getSymbolicName" -> "org.fogwerk.connector.modbus";
                    case "getVersion" -> new Version(1, 4, 0);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The runtime of one immediate component whose one configuration is in {@code state}. */
    private static ServiceComponentRuntime scr(int state) {
        ComponentDescriptionDTO d = new ComponentDescriptionDTO();
        d.name = "org.fogwerk.connector.modbus";
        d.immediate = true;
        ComponentConfigurationDTO c = new ComponentConfigurationDTO();
        c.state = state;
        return (ServiceComponentRuntime) Proxy.newProxyInstance(ServiceComponentRuntime.class.getClassLoader(),
                new Class<?>[] {ServiceComponentRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getComponentDescriptionDTOs" -> List.of(d);
                    case "getComponentConfigurationDTOs" -> List.of(c);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aComponentThatShouldRunAndDoesNotIsAProblemAsOneThatFailed() {
        assertEquals(List.of(), new HealthCheck(scr(ComponentConfigurationDTO.ACTIVE)).problems(List.of(bundle())));
        // its class could not be loaded: SCR leaves it satisfied and only logs it
        List<String> problems = new HealthCheck(scr(ComponentConfigurationDTO.SATISFIED)).problems(List.of(bundle()));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("org.fogwerk.connector.modbus 1.4.0: component org.fogwerk.connector.modbus"
                + " is not running"), problems.get(0));
    }
}
