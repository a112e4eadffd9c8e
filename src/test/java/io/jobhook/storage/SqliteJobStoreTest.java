package io.jobhook.storage;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobStoreTest extends JobStoreContract {
  @TempDir Path dir;

  @Override
  Database openEmpty() {
    return Database.open("jdbc:sqlite:" + dir.resolve("contract.db"), null, null);
  }
}
