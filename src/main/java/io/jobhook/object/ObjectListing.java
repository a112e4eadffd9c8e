package io.jobhook.object;

import java.util.List;

/**
 * A page of a bucket's objects in key order: the objects, and the common prefixes that stand for
 * the keys a delimiter rolled up; {@code nextMarker} (when {@code truncated}) is where the next
 * page starts after.
 */
public record ObjectListing(
    List<ObjectInfo> objects, List<String> commonPrefixes, boolean truncated, String nextMarker) {}
