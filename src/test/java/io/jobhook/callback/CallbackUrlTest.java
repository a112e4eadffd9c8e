package io.jobhook.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One parse of a callback URL, refusing what two parsers could read differently. */
class CallbackUrlTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://0177.0.0.1/",
        "http://017.0.0.1/cb",
        "http://0x7f.0.0.1/",
        "http://0x7f000001/",
        "http://2130706433/",
        "http://127.1/",
        "http://127.0.1/",
        "http://1.2.3.256/",
        "http://1.2.3.4.5/",
        "http://127.0.0.01/",
        "http://0/"
      })
  void ipv4_literals_not_in_canonical_form_are_refused(String url) {
    assertThatThrownBy(() -> CallbackUrl.parse(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void a_canonical_ipv4_literal_is_a_literal_and_names_are_not() {
    assertThat(CallbackUrl.parse("http://8.8.8.8:8080/cb?x=1").isLiteral()).isTrue();
    assertThat(CallbackUrl.parse("http://[2001:db8::1]/cb").isLiteral()).isTrue();
    assertThat(CallbackUrl.parse("https://hooks.example.com/cb").isLiteral()).isFalse();
    assertThat(CallbackUrl.parse("https://10x.example.org/cb").isLiteral()).isFalse();
  }

  @Test
  void the_parts_a_request_needs_come_from_one_parse() {
    CallbackUrl url = CallbackUrl.parse("HTTPS://Hooks.Example.com/a%20b/cb?token=x%2By");
    assertThat(url.scheme()).isEqualTo("https");
    assertThat(url.host()).isEqualTo("hooks.example.com");
    assertThat(url.port()).isEqualTo(443);
    assertThat(url.requestPath()).isEqualTo("/a%20b/cb?token=x%2By");
    assertThat(url.hostHeader()).isEqualTo("hooks.example.com");
    assertThat(url.destination()).isEqualTo("https://hooks.example.com:443");
    CallbackUrl v6 = CallbackUrl.parse("http://[2001:DB8::1]:9000");
    assertThat(v6.host()).isEqualTo("2001:db8::1");
    assertThat(v6.hostHeader()).isEqualTo("[2001:db8::1]:9000");
    assertThat(v6.destination()).isEqualTo("http://[2001:db8::1]:9000");
    assertThat(v6.requestPath()).isEqualTo("/");
  }

  @Test
  void user_info_zones_other_schemes_and_overlong_urls_are_refused() {
    for (String url :
        new String[] {
          "http://user@8.8.8.8/",
          "http://8.8.8.8@evil.example.com/",
          "ftp://example.com/",
          "/relative",
          "http://[fe80::1%25eth0]/",
          "http://example.com/" + "a".repeat(CallbackUrl.MAX_LENGTH)
        }) {
      assertThatThrownBy(() -> CallbackUrl.parse(url))
          .as(url)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(CallbackUrl.destinationOf("not a url")).isEqualTo("invalid://invalid:0");
  }
}
