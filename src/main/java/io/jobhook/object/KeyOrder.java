package io.jobhook.object;

/**
 * The order COS lists keys in: by the bytes of their UTF-8, which is the order of their code points
 * (not Java's {@link String#compareTo}, which compares UTF-16 units).
 */
final class KeyOrder {
  private KeyOrder() {}

  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /**
   * The first key after every key that starts with {@code prefix}; null when there is none (an
   * empty prefix, or one of nothing but the last code point).
   */
  static String after(String prefix) {
    int[] points = prefix.codePoints().toArray();
    int n = points.length;
    while (n > 0 && points[n - 1] == Character.MAX_CODE_POINT) {
      n--;
    }
    if (n == 0) {
      return null;
    }
    int next = points[n - 1] + 1;
    // surrogates are no characters of their own: the next code point after them
    points[n - 1] = next == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : next;
    return new String(points, 0, n);
  }
}
