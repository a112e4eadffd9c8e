package io.jobhook.process.noise;

import java.util.Arrays;

/** A growable run of samples, reused block after block. Not thread-safe. */
final class FloatBlock {
  float[] data = new float[4096];
  int size;

  void add(float v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = v;
  }

  void addAll(float[] src, int off, int len) {
    if (size + len > data.length) {
      data = Arrays.copyOf(data, Math.max(size + len, data.length * 2));
    }
    System.arraycopy(src, off, data, size, len);
    size += len;
  }

  void clear() {
    size = 0;
  }
}
