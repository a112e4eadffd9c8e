package io.jobhook.audio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * RIFF/WAVE decoding (PCM 8/16/24/32-bit, IEEE float 32/64, plain or WAVE_FORMAT_EXTENSIBLE, any
 * channel count and rate) and 16-bit PCM encoding, both streaming: memory does not grow with the
 * length of the audio.
 */
public final class WavCodec {
  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int MAX_CHANNELS = 8;
  private static final long UNKNOWN_SIZE = 0xFFFFFFFFL;

  private WavCodec() {}

  public static boolean looksLikeWav(byte[] head) {
    return head.length >= 12
        && head[0] == 'R'
        && head[1] == 'I'
        && head[2] == 'F'
        && head[3] == 'F'
        && head[8] == 'W'
        && head[9] == 'A'
        && head[10] == 'V'
        && head[11] == 'E';
  }

  /** Decodes a whole WAV file held in memory. */
  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    try (AudioStream stream = open(new ByteArrayInputStream(data))) {
      return readAll(stream);
    } catch (IOException e) {
      throw AudioFormatException.corrupt("WAV file cannot be read: " + e.getMessage());
    }
  }

  /** Reads a stream to its end into memory. */
  public static PcmAudio readAll(AudioStream stream) throws IOException, AudioFormatException {
    int channels = stream.channelCount();
    FloatBlock[] all = new FloatBlock[channels];
    for (int ch = 0; ch < channels; ch++) {
      all[ch] = new FloatBlock();
    }
    float[][] block = new float[channels][8192];
    int n;
    while ((n = stream.read(block, 8192)) > 0) {
      for (int ch = 0; ch < channels; ch++) {
        all[ch].addAll(block[ch], 0, n);
      }
    }
    if (all[0].size == 0) {
      throw AudioFormatException.corrupt("WAV file holds no audio samples");
    }
    float[][] out = new float[channels][];
    for (int ch = 0; ch < channels; ch++) {
      out[ch] = java.util.Arrays.copyOf(all[ch].data, all[ch].size);
    }
    return new PcmAudio(stream.sampleRate(), out);
  }

  /**
   * Opens a WAV stream: reads the header up to the {@code data} chunk and checks the format; the
   * samples are decoded as they are read. A data size of 0 or 0xFFFFFFFF (streaming writers) or
   * larger than what follows means "up to the end".
   */
  public static AudioStream open(InputStream source) throws IOException, AudioFormatException {
    InputStream in =
        source instanceof BufferedInputStream || source instanceof ByteArrayInputStream
            ? source
            : new BufferedInputStream(source, 1 << 15);
    byte[] riff = in.readNBytes(12);
    if (!looksLikeWav(riff)) {
      throw AudioFormatException.unsupported("not a RIFF/WAVE file");
    }
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    int blockAlign = 0;
    while (true) {
      byte[] chunk = in.readNBytes(8);
      if (chunk.length < 8) {
        throw AudioFormatException.corrupt("WAV file has no data chunk");
      }
      String id = new String(chunk, 0, 4, StandardCharsets.US_ASCII);
      long size =
          Integer.toUnsignedLong(
              ByteBuffer.wrap(chunk, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
      if (id.equals("fmt ")) {
        if (size < 16 || size > 1024) {
          throw AudioFormatException.corrupt("WAV fmt chunk is truncated or malformed");
        }
        byte[] fmtBytes = in.readNBytes((int) size);
        if (fmtBytes.length < size) {
          throw AudioFormatException.corrupt("WAV fmt chunk is truncated");
        }
        ByteBuffer fmt = ByteBuffer.wrap(fmtBytes).order(ByteOrder.LITTLE_ENDIAN);
        format = Short.toUnsignedInt(fmt.getShort());
        channels = Short.toUnsignedInt(fmt.getShort());
        rate = fmt.getInt();
        fmt.getInt(); // byte rate
        blockAlign = Short.toUnsignedInt(fmt.getShort());
        bits = Short.toUnsignedInt(fmt.getShort());
        if (format == FORMAT_EXTENSIBLE) {
          if (size < 40) {
            throw AudioFormatException.corrupt("WAV extensible fmt chunk is truncated");
          }
          format = Short.toUnsignedInt(fmt.getShort(24)); // first two bytes of the sub-format GUID
        }
        skipPadding(in, size);
      } else if (id.equals("data")) {
        if (format < 0) {
          throw AudioFormatException.corrupt("WAV data chunk comes before its fmt chunk");
        }
        long length = size == 0 || size == UNKNOWN_SIZE ? -1 : size;
        return new Reader(in, format, channels, rate, bits, blockAlign, length);
      } else {
        long skipped = in.skip(size);
        while (skipped < size) {
          if (in.read() < 0) {
            throw AudioFormatException.corrupt("WAV file has no data chunk");
          }
          skipped++;
        }
        skipPadding(in, size);
      }
    }
  }

  private static void skipPadding(InputStream in, long size) throws IOException {
    if ((size & 1) == 1) {
      in.read();
    }
  }

  /** The samples of a data chunk. */
  private static final class Reader implements AudioStream {
    private final InputStream in;
    private final int channels;
    private final int rate;
    private final int bits;
    private final boolean isFloat;
    private final int frameBytes;
    private final long frames;
    private long framesLeft;

    /**
     * Frames returned before the current block, for the message about a sample that is not a number
     * (so not counted on the 16-bit path, which returns early and has no such samples).
     */
    private long framesRead;

    private byte[] bytes = new byte[0];

    Reader(
        InputStream in,
        int format,
        int channels,
        int rate,
        int bits,
        int blockAlign,
        long dataBytes)
        throws AudioFormatException {
      if (channels < 1 || channels > MAX_CHANNELS) {
        throw AudioFormatException.unsupported(
            "WAV with " + channels + " channels (1 to 8 are supported)");
      }
      if (rate < 1000 || rate > 768_000) {
        throw AudioFormatException.unsupported("WAV sample rate " + rate + " Hz is out of range");
      }
      boolean pcm = format == FORMAT_PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
      boolean flt = format == FORMAT_FLOAT && (bits == 32 || bits == 64);
      if (!pcm && !flt) {
        throw AudioFormatException.unsupported(
            "WAV encoding "
                + format
                + " with "
                + bits
                + " bits per sample (PCM 8/16/24/32-bit and float 32/64-bit are supported)");
      }
      this.in = in;
      this.channels = channels;
      this.rate = rate;
      this.bits = bits;
      this.isFloat = flt;
      this.frameBytes = bits / 8 * channels;
      if (blockAlign != 0 && blockAlign != frameBytes) {
        throw AudioFormatException.corrupt(
            "WAV block align " + blockAlign + " does not match " + frameBytes);
      }
      this.frames = dataBytes < 0 ? -1 : dataBytes / frameBytes;
      this.framesLeft = dataBytes < 0 ? Long.MAX_VALUE : frames;
      if (frames == 0) {
        throw AudioFormatException.corrupt("WAV file holds no audio samples");
      }
    }

    @Override
    public int sampleRate() {
      return rate;
    }

    @Override
    public int channelCount() {
      return channels;
    }

    @Override
    public long frameCount() {
      return frames;
    }

    @Override
    public int read(float[][] dst, int max) throws IOException, AudioFormatException {
      int want = (int) Math.min(max, framesLeft);
      if (want <= 0) {
        return -1;
      }
      if (bytes.length < want * frameBytes) {
        bytes = new byte[want * frameBytes];
      }
      int got = in.readNBytes(bytes, 0, want * frameBytes);
      int n = got / frameBytes; // a partial frame at a truncated end is dropped
      if (n == 0) {
        framesLeft = 0;
        return -1;
      }
      framesLeft -= n;
      if (got < want * frameBytes) {
        framesLeft = 0; // truncated: keep what arrived, as players do
      }
      if (bits == 16) { // the common case, a channel at a time: a loop over one array runs 2-3
        // times faster than one that writes every channel's array for each frame
        for (int ch = 0; ch < channels; ch++) {
          float[] samples = dst[ch];
          for (int f = 0, p = ch * 2, stride = channels * 2; f < n; f++, p += stride) {
            samples[f] = (short) ((bytes[p] & 0xFF) | (bytes[p + 1] << 8)) * (1f / 32768);
          }
        }
        framesRead += n;
        return n;
      }
      // 8, 24 and 32-bit PCM, and float (16-bit samples took the loop above)
      ByteBuffer buf = ByteBuffer.wrap(bytes, 0, n * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
      for (int f = 0; f < n; f++) {
        for (int ch = 0; ch < channels; ch++) {
          float sample =
              switch (bits) {
                case 8 -> (Byte.toUnsignedInt(buf.get()) - 128) / 128f;
                case 24 -> {
                  int b0 = Byte.toUnsignedInt(buf.get());
                  int b1 = Byte.toUnsignedInt(buf.get());
                  int b2 = buf.get();
                  yield ((b2 << 16) | (b1 << 8) | b0) / 8388608f;
                }
                case 32 -> isFloat ? buf.getFloat() : (float) (buf.getInt() / 2147483648.0);
                default -> (float) buf.getDouble();
              };
          // Float samples can be NaN or infinite (a 64-bit one also beyond float's range): such a
          // file is corrupt, and one such sample would turn every spectrum it touches into NaN.
          if (isFloat && !Float.isFinite(sample)) {
            throw AudioFormatException.corrupt(
                "WAV sample "
                    + (framesRead + f)
                    + " of channel "
                    + (ch + 1)
                    + " is not a finite number ("
                    + sample
                    + ")");
          }
          dst[ch][f] = sample;
        }
      }
      framesRead += n;
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** Writes 16-bit PCM WAV with TPDF dither. */
  public static void encode16(PcmAudio audio, OutputStream target) throws IOException {
    Writer writer = new Writer(target, audio.sampleRate(), audio.channelCount(), audio.frames());
    writer.write(audio.channels(), 0, audio.frames());
    writer.finish();
  }

  /**
   * A 16-bit PCM WAV writer with TPDF dither for a known number of frames (the header comes first,
   * so the length must be known before the samples).
   */
  static final class Writer implements AudioSink {
    private final OutputStream out;
    private final int channels;
    private final long frames;

    /**
     * One dither per channel, so that channels can be converted in parallel and stay repeatable.
     */
    private final Dither[] dither;

    private byte[] bytes = new byte[0];
    private long written;

    Writer(OutputStream target, int rate, int channels, long frames) throws IOException {
      long dataBytes = frames * channels * 2;
      if (dataBytes > UNKNOWN_SIZE - 36) {
        throw new IOException("audio too long for a WAV file");
      }
      this.out = new BufferedOutputStream(target, (int) Math.min(1 << 16, 44 + dataBytes));
      this.channels = channels;
      this.frames = frames;
      this.dither = new Dither[channels];
      for (int ch = 0; ch < channels; ch++) {
        dither[ch] = new Dither();
      }
      ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
      header
          .put("RIFF".getBytes(StandardCharsets.US_ASCII))
          .putInt((int) (36 + dataBytes))
          .put("WAVE".getBytes(StandardCharsets.US_ASCII))
          .put("fmt ".getBytes(StandardCharsets.US_ASCII))
          .putInt(16)
          .putShort((short) FORMAT_PCM)
          .putShort((short) channels)
          .putInt(rate)
          .putInt(rate * channels * 2)
          .putShort((short) (channels * 2))
          .putShort((short) 16)
          .put("data".getBytes(StandardCharsets.US_ASCII))
          .putInt((int) dataBytes);
      out.write(header.array());
    }

    @Override
    public void write(float[][] samples, int offset, int count) throws IOException {
      if (written + count > frames) {
        throw new IOException("more audio than the WAV header announced (" + frames + " frames)");
      }
      if (bytes.length < count * channels * 2) {
        bytes = new byte[count * channels * 2];
      }
      byte[] target = bytes;
      PcmAudio.eachChannel(
          channels,
          ch -> {
            Dither d = dither[ch];
            float[] x = samples[ch];
            int stride = channels * 2;
            for (int f = 0, p = ch * 2; f < count; f++, p += stride) {
              int s = d.pcm16(x[offset + f]);
              target[p] = (byte) s;
              target[p + 1] = (byte) (s >> 8);
            }
          });
      int p = count * channels * 2;
      out.write(bytes, 0, p);
      written += count;
    }

    @Override
    public void finish() throws IOException {
      if (written != frames) {
        throw new EOFException(
            "the audio ended after " + written + " of " + frames + " announced frames");
      }
      out.flush();
    }
  }
}
