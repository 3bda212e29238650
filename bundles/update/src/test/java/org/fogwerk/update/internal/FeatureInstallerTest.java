package org.fogwerk.update.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.junit.jupiter.api.Test;

class FeatureInstallerTest {

    private final List<String> calls = new ArrayList<>();
    private final List<URI> known = new ArrayList<>();

    private static Feature feature(String name, String version) {
        return (Feature) Proxy.newProxyInstance(Feature.class.getClassLoader(), new Class<?>[] {Feature.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getName" -> name;
                    case "getVersion" -> version;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Karaf's features service, which offers a version once the repository named after it is known. */
    private FeaturesService features() {
        return (FeaturesService) Proxy.newProxyInstance(FeaturesService.class.getClassLoader(),
                new Class<?>[] {FeaturesService.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getFeature":
                            return known.stream().anyMatch(u -> u.toString().contains((String) args[1]))
                                    ? feature((String) args[0], (String) args[1]) : null;
                        case "addRepository":
                            known.add((URI) args[0]);
                            calls.add("add " + args[0]);
                            return null;
                        case "removeRepository":
                            known.remove((URI) args[0]);
                            calls.add("remove " + args[0] + " " + args[1]);
                            return null;
                        case "installFeature":
                            calls.add("install " + args[0] + " " + args[1]);
                            return null;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    @Test
    void theRepositoryOfAVersionThatFailedIsLetGoSoKarafNeverPicksItByItself() throws Exception {
        FeatureInstaller installer = new FeatureInstaller(features(), null, "file:/repo/features-{version}.xml");
        installer.install("fogwerk-connector-modbus", "1.4.1");
        installer.forget("1.4.1");
        installer.forget("1.4.1"); // once is enough
        installer.forget(null); // a removal brings no repository
        assertEquals(List.of("add file:/repo/features-1.4.1.xml", "install fogwerk-connector-modbus 1.4.1",
                "remove file:/repo/features-1.4.1.xml false"), calls);
    }
}
