package io.jobhook.api.auth;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the verifier needs of an incoming request: the method, the path decoded once, the decoded
 * query parameters in arrival order, and a case-insensitive header lookup.
 */
public record SignedRequest(
    String method,
    String decodedPath,
    List<Map.Entry<String, String>> queryParams,
    Function<String, String> header) {}
