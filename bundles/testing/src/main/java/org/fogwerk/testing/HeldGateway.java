package org.fogwerk.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.authority.WriteGateway;

/**
 * A write gateway that holds the first shadow update it gets until the test lets it go, so that
 * the requests behind it queue up; everything else goes to the real gateway.
 */
public final class HeldGateway {

    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final WriteGateway gateway;

    public HeldGateway(WriteGateway real) {
        this.gateway = (WriteGateway) Proxy.newProxyInstance(HeldGateway.class.getClassLoader(),
                new Class<?>[] {WriteGateway.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateShadow") && holding.getCount() > 0) {
                        holding.countDown();
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the test never let the update go");
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    public WriteGateway gateway() {
        return gateway;
    }

    /** Waits until the first update is held. */
    public boolean holding() throws InterruptedException {
        return holding.await(10, TimeUnit.SECONDS);
    }

    /** Lets the held update, and all after it, go on. */
    public void release() {
        release.countDown();
    }
}
