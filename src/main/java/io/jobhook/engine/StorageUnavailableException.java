package io.jobhook.engine;

/**
 * Storage could not do the work asked of it (a failed statement, a lost connection, a full disk):
 * nothing of that work was confirmed, and trying again later may succeed. Thrown by the storage
 * edge behind every port; the API answers it with {@code 503}.
 */
public class StorageUnavailableException extends RuntimeException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
