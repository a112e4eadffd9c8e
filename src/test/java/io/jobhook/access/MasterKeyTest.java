package io.jobhook.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
  @TempDir Path dir;

  @Test
  void a_sealed_secret_opens_only_under_its_master_key_and_for_its_own_key() throws Exception {
    MasterKey key = MasterKey.load(dir, Map.of());
    String sealed = key.seal("AKIDone", "the secret");
    assertThat(sealed).doesNotContain("the secret");
    assertThat(key.seal("AKIDone", "the secret"))
        .as("a fresh nonce each time")
        .isNotEqualTo(sealed);
    assertThat(key.open("AKIDone", sealed)).isEqualTo("the secret");
    assertThatThrownBy(() -> key.open("AKIDtwo", sealed))
        .hasMessageContaining("another master key");
    MasterKey other = new MasterKey(new byte[32]);
    assertThatThrownBy(() -> other.open("AKIDone", sealed))
        .hasMessageContaining("JOBHOOK_MASTER_KEY must be the same on every node");
  }

  @Test
  void the_generated_key_is_kept_with_mode_600_and_the_environment_s_wins() throws Exception {
    MasterKey first = MasterKey.load(dir, Map.of());
    Path file = dir.resolve(MasterKey.FILE);
    assertThat(Files.getPosixFilePermissions(file))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String sealed = first.seal("AKIDx", "s");
    assertThat(MasterKey.load(dir, Map.of()).open("AKIDx", sealed)).isEqualTo("s");

    byte[] raw = new byte[32];
    raw[0] = 7;
    MasterKey fromEnv =
        MasterKey.load(dir, Map.of("JOBHOOK_MASTER_KEY", Base64.getEncoder().encodeToString(raw)));
    assertThatThrownBy(() -> fromEnv.open("AKIDx", sealed))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fromEnv.open("AKIDy", fromEnv.seal("AKIDy", "t"))).isEqualTo("t");
    assertThat(fromEnv.toString()).doesNotContain(Base64.getEncoder().encodeToString(raw));
    assertThatThrownBy(() -> MasterKey.load(dir, Map.of("JOBHOOK_MASTER_KEY", "c2hvcnQ=")))
        .hasMessageContaining("32 bytes");
  }
}
