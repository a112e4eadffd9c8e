package io.jobhook.object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorsRuleTest {
  static CorsRule rule(List<String> origins, List<String> methods, List<String> headers) {
    return new CorsRule("r", origins, methods, headers, List.of("ETag"), 600);
  }

  @Test
  void an_origin_matches_exactly_or_through_its_one_wildcard() {
    CorsRule rule =
        rule(List.of("https://app.example.com", "http://*.example.net"), List.of("PUT"), List.of());
    assertThat(rule.allows("https://app.example.com", "PUT", List.of())).isTrue();
    assertThat(rule.allows("http://a.b.example.net", "PUT", List.of())).isTrue();
    assertThat(rule.allows("https://app.example.com:8443", "PUT", List.of())).isFalse();
    assertThat(rule.allows("http://example.net", "PUT", List.of()))
        .as("the wildcard stands between the dot and the scheme")
        .isFalse();
    assertThat(rule.allows("https://app.example.com", "GET", List.of()))
        .as("a method the rule does not list")
        .isFalse();
  }

  @Test
  void every_requested_header_must_match_an_allowed_one_whatever_its_case() {
    CorsRule rule = rule(List.of("*"), List.of("PUT"), List.of("Content-Type", "x-cos-meta-*"));
    assertThat(rule.allows("http://any", "PUT", List.of("content-type", "X-Cos-Meta-Owner")))
        .isTrue();
    assertThat(rule.allows("http://any", "PUT", List.of("content-type", "authorization")))
        .isFalse();
    assertThat(
            rule(List.of("*"), List.of("PUT"), List.of("*"))
                .allows("http://any", "PUT", List.of("authorization", "x-cos-security-token")))
        .isTrue();
  }

  @Test
  void the_first_rule_that_allows_a_call_answers_it() {
    CorsRule reads = rule(List.of("*"), List.of("GET", "HEAD"), List.of());
    CorsRule writes = rule(List.of("https://app.example.com"), List.of("PUT", "GET"), List.of("*"));
    assertThat(CorsRule.first(List.of(reads, writes), "https://app.example.com", "PUT", List.of()))
        .containsSame(writes);
    assertThat(CorsRule.first(List.of(reads, writes), "https://app.example.com", "GET", List.of()))
        .containsSame(reads);
    assertThat(CorsRule.first(List.of(reads, writes), "https://evil.example", "PUT", List.of()))
        .isEmpty();
  }

  @Test
  void a_rule_without_origin_or_method_or_with_unknown_methods_or_two_wildcards_is_refused() {
    assertThatThrownBy(() -> rule(List.of(), List.of("GET"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rule(List.of("*"), List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rule(List.of("*"), List.of("PATCH"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> rule(List.of("http://*.*.example"), List.of("GET"), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new CorsRule("", List.of("*"), List.of("GET"), List.of(), List.of(), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
