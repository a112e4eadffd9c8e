package io.jobhook.audio;

import java.util.Arrays;

/** A growable run of samples, reused block after block. Not thread-safe. */
public final class FloatBlock {
  float[] data;
  int size;

  /** Room for {@code capacity} samples at first; it grows as samples are added. */
  public FloatBlock(int capacity) {
    data = new float[Math.max(1, capacity)];
  }

  public FloatBlock() {
    this(4096);
  }

  public void add(float v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = v;
  }

  public void addAll(float[] src, int off, int len) {
    roomFor(len);
    System.arraycopy(src, off, data, size, len);
    size += len;
  }

  /** Adds {@code len} samples of {@code src} from {@code off}, each rounded to a float. */
  public void addAll(double[] src, int off, int len) {
    roomFor(len);
    for (int i = 0; i < len; i++) {
      data[size + i] = (float) src[off + i];
    }
    size += len;
  }

  private void roomFor(int len) {
    if (size + len > data.length) {
      data = Arrays.copyOf(data, Math.max(size + len, data.length * 2));
    }
  }

  /** The samples, valid up to {@link #size()}; the array is replaced when it grows. */
  public float[] data() {
    return data;
  }

  public int size() {
    return size;
  }

  public void clear() {
    size = 0;
  }
}
