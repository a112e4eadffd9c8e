package io.jobhook.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** One parsed parameter map serves the signature check and the handlers alike. */
class RequestTargetTest {

  @Test
  void a_handler_reads_a_parameter_by_the_key_the_signature_uses() {
    RequestTarget target = RequestTarget.of("/jobs", "%20size=7&OrderByTime=Asc");
    assertThat(target.param("size")).isEqualTo("7");
    assertThat(target.param("orderByTime")).isEqualTo("Asc");
    assertThat(target.params()).containsOnlyKeys("size", "orderbytime");
  }

  @Test
  void values_are_read_as_signed_trimmed() {
    assertThat(RequestTarget.of("/queue", "pageSize=%2010%09").param("pageSize")).isEqualTo("10");
  }

  @Test
  void names_that_differ_only_by_whitespace_or_case_are_refused() {
    for (String query :
        new String[] {
          "%20size=1&size=100",
          "size=1&%09size=100",
          "size%20=1&size=100",
          "Size=1&size=100",
          "size=1&size=100",
          "graceSeconds=86400&GRACESECONDS=0"
        }) {
      assertThatThrownBy(() -> RequestTarget.of("/jobs", query))
          .as(query)
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.status).isEqualTo(400);
                assertThat(e.code).isEqualTo("InvalidArgument");
                assertThat(e.getMessage()).contains("more than once");
              });
    }
  }

  @Test
  void own_endpoints_refuse_a_parameter_the_signature_does_not_cover() {
    RequestTarget target = RequestTarget.of("/callbacksecret/rotate", "graceSeconds=0");
    target
        .requireAllSigned(); // unsigned requests (--allow-anonymous) count every parameter as given
    assertThatThrownBy(() -> target.signedBy(Set.of()).requireAllSigned())
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status).isEqualTo(400);
              assertThat(e.getMessage()).contains("graceSeconds").contains("not covered");
            });
    target.signedBy(Set.of("graceseconds")).requireAllSigned();
  }

  @Test
  void malformed_percent_encoding_is_a_bad_uri() {
    assertThatThrownBy(() -> RequestTarget.of("/jobs", "size=%zz"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.code).isEqualTo("InvalidURI"));
  }
}
