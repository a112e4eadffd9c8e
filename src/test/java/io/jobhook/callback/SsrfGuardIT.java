package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.RawHttp;
import io.jobhook.support.TestNode;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --allow-private-callbacks, callbacks never reach loopback, by address or by name. */
class SsrfGuardIT {
  @TempDir Path dataDir;

  @Test
  void private_callbacks_are_refused_at_submit_or_given_up_at_delivery() throws Exception {
    try (TestNode node = TestNode.start(dataDir, RetryPolicy.parse("0s,50ms"), false);
        CallbackReceiver receiver = CallbackReceiver.start()) {
      var literal = submit(node, "http://127.0.0.1:" + receiver.port() + "/cb");
      assertThat(literal.status()).isEqualTo(400);
      assertThat(literal.text())
          .contains("<Code>InvalidArgument</Code>")
          .contains("--allow-private-callbacks");
      assertThat(submit(node, "http://[::1]:" + receiver.port() + "/cb").status()).isEqualTo(400);
      for (String disguised :
          new String[] {
            "http://0177.0.0.1:" + receiver.port() + "/cb",
            "http://2130706433:" + receiver.port() + "/cb",
            "http://[64:ff9b::7f00:1]:" + receiver.port() + "/cb",
            "http://[2002:7f00:1::1]:" + receiver.port() + "/cb",
            "http://8.8.8.8@127.0.0.1/cb"
          }) {
        var refused = submit(node, disguised);
        assertThat(refused.status()).as(disguised).isEqualTo(400);
        assertThat(refused.text()).contains("<Code>InvalidArgument</Code>").contains("CallBack");
      }
      var overlong = submit(node, "http://example.com/" + "a".repeat(100_000));
      assertThat(overlong.status()).isEqualTo(400);
      assertThat(overlong.text()).contains("at most " + CallbackUrl.MAX_LENGTH);

      var byName = submit(node, "http://localhost:" + receiver.port() + "/cb");
      assertThat(byName.status()).as(byName.text()).isEqualTo(200);
      String jdbc = "jdbc:sqlite:" + dataDir.resolve("jobhook.db");
      CallbackReceiver.await(
          Duration.ofSeconds(20),
          "the callback to be given up",
          () -> {
            try (var c = DriverManager.getConnection(jdbc);
                var rs =
                    c.createStatement().executeQuery("SELECT state, last_error FROM callbacks")) {
              return rs.next()
                  && rs.getString(1).equals("Failed")
                  && rs.getString(2).contains("refused");
            } catch (java.sql.SQLException e) {
              return false;
            }
          });
      assertThat(receiver.received()).isEmpty();
    }
  }

  private static RawHttp.Response submit(TestNode node, String callback) throws Exception {
    return RawHttp.signed(
        node.port(), "POST", RawHttp.CI_HOST, "/jobs", RawHttp.missingInputJob(callback, null));
  }
}
