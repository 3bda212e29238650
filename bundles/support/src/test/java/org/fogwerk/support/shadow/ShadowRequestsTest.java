package org.fogwerk.support.shadow;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ShadowRequestsTest {

    @Test
    void aRequestThatFindsTheQueueFullIsRefusedAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ShadowRequests requests = new ShadowRequests("test-shadow-requests", 1)) {
            busy(requests, release);
            assertTrue(requests.offer(() -> { }), "one may wait");
            assertFalse(requests.offer(() -> { }), "the next is refused");
            release.countDown();
        }
    }

    @Test
    void requestsRefusedForAFullQueueAreRecordedOnceThereIsRoomAlikeOnesAsOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Map<String, Long> recorded = new ConcurrentHashMap<>();
        List<String> order = new CopyOnWriteArrayList<>();
        try (ShadowRequests requests = new ShadowRequests("test-shadow-requests", 1)) {
            busy(requests, release);
            assertTrue(requests.offer(() -> order.add("waited"), "press01/update", n -> fail("not refused")));
            for (int i = 0; i < 3; i++) {
                assertFalse(requests.offer(() -> fail("refused, never run"), "press01/update",
                        n -> recorded.merge("press01/update", n, Long::sum)));
            }
            assertFalse(requests.offer(() -> fail("refused, never run"), "press02/delete",
                    n -> recorded.merge("press02/delete", n, Long::sum)));
            assertEquals(Map.of(), recorded, "nothing is recorded on the caller's thread");
            release.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> recorded.size() == 2);
            assertEquals(Map.of("press01/update", 3L, "press02/delete", 1L), recorded);
            await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 1);
        }
    }

    /** Keeps the worker on a request until {@code release}. */
    private static void busy(ShadowRequests requests, CountDownLatch release) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        assertTrue(requests.offer(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertTrue(started.await(5, TimeUnit.SECONDS));
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
