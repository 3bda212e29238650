package org.fogwerk.support.shadow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ShadowRequestsTest {

    @Test
    void aRequestThatFindsTheQueueFullIsRefusedAtOnce() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ShadowRequests requests = new ShadowRequests("test-shadow-requests", 1)) {
            assertTrue(requests.offer(() -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(started.await(5, TimeUnit.SECONDS));
            assertTrue(requests.offer(() -> { }), "one may wait");
            assertFalse(requests.offer(() -> { }), "the next is refused");
            release.countDown();
        }
    }

    @Test
    void aClosedQueueRefusesEverything() {
        ShadowRequests requests = new ShadowRequests("test-shadow-requests", 10);
        requests.close();
        assertFalse(requests.offer(() -> { }));
    }

    @Test
    void theErrorDocumentIsTheShadowServicesWithTheClientTokenOnlyWhenThereIsOne() {
        String with = new String(ShadowRequests.error(404, "no shadow", "t1"), StandardCharsets.UTF_8);
        assertTrue(with.matches("\\{\"code\":404,\"message\":\"no shadow\",\"timestamp\":\\d+,\"clientToken\":\"t1\"}"),
                with);
        String without = new String(ShadowRequests.error(429, null, null), StandardCharsets.UTF_8);
        assertTrue(without.matches("\\{\"code\":429,\"message\":\"\",\"timestamp\":\\d+}"), without);
    }
}
