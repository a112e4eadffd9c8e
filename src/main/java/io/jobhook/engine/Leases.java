package io.jobhook.engine;

import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a stopping node does with the work it still holds leases on. */
public final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);

  private Leases() {}

  /**
   * Hands back what this node still holds leased and did not finish ({@code release} frees the
   * leases and says how many), so that the other nodes take it now rather than when the leases run
   * out. A failure is logged, not thrown: the leases then run out as if the node had died.
   */
  public static void handBack(String unfinished, IntSupplier release) {
    try {
      int released = release.getAsInt();
      if (released > 0) {
        log.info("stopping: {} unfinished {} handed back", released, unfinished);
      }
    } catch (RuntimeException e) {
      log.warn(
          "stopping: could not hand back unfinished {}; their leases will run out", unfinished, e);
    }
  }
}
