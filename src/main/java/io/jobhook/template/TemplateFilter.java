package io.jobhook.template;

import java.util.List;

/**
 * Which templates a listing shows; null fields do not filter. {@code category} is CI's: {@code
 * Custom} (every template here) or {@code Official} (none).
 */
public record TemplateFilter(String tag, String category, List<String> ids, String name) {}
