package io.jobhook.bench;

import io.jobhook.callback.PendingCallback;
import io.jobhook.callback.http.AddressGuard;
import io.jobhook.callback.http.HttpCallbackSender;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/** Isolates the HTTP sender: N POSTs with C in flight, no database. */
public final class SenderOnlyBench {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int n = Integer.parseInt(args[1]);
    int c = Integer.parseInt(args[2]);
    try (var sender = new HttpCallbackSender(new AddressGuard(true), Duration.ofSeconds(5), Duration.ofSeconds(15));
        var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      PendingCallback cb = CallbackBench.callback(url, Instant.now());
      Semaphore inFlight = new Semaphore(c);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        inFlight.acquire();
        pool.execute(() -> {
          try {
            sender.send(cb, Map.of("webhook-id", cb.id()));
          } finally {
            inFlight.release();
          }
        });
      }
      inFlight.acquire(c);
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf("sender_only n=%d inflight=%d rate=%.0f%n", n, c, n / s);
    }
    System.exit(0);
  }
}
