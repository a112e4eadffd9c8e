package io.jobhook.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources opened one after another, closed in reverse order; a failing close is logged and the
 * rest still close. Not thread-safe: used while wiring and at shutdown.
 */
public final class Closer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Closer.class);

  /**
   * How long closing lets work under way finish before interrupting it (a background loop's step, a
   * runner's items): long enough for a commit or a callback's answer, short enough for a restart.
   */
  public static final Duration GRACE = Duration.ofSeconds(5);

  private final List<AutoCloseable> resources = new ArrayList<>();

  public <T extends AutoCloseable> T track(T resource) {
    resources.add(resource);
    return resource;
  }

  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.warn("closing {} failed", resources.get(i).getClass().getSimpleName(), e);
      }
    }
    resources.clear();
  }
}
