package io.jobhook.process.noise;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * RIFF/WAVE decoding (PCM 8/16/24/32-bit, IEEE float 32/64, plain or WAVE_FORMAT_EXTENSIBLE, any
 * channel count and rate) and 16-bit PCM encoding.
 */
public final class WavCodec {
  private static final int FORMAT_PCM = 1;
  private static final int FORMAT_FLOAT = 3;
  private static final int FORMAT_EXTENSIBLE = 0xFFFE;
  private static final int MAX_CHANNELS = 8;

  private WavCodec() {}

  public static boolean looksLikeWav(byte[] head) {
    return head.length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
        && head[8] == 'W' && head[9] == 'A' && head[10] == 'V' && head[11] == 'E';
  }

  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    if (!looksLikeWav(data)) {
      throw AudioFormatException.unsupported("not a RIFF/WAVE file");
    }
    ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    buf.position(12);
    int format = -1;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    int blockAlign = 0;
    while (buf.remaining() >= 8) {
      String id = new String(data, buf.position(), 4, java.nio.charset.StandardCharsets.US_ASCII);
      buf.position(buf.position() + 4);
      long size = Integer.toUnsignedLong(buf.getInt());
      int start = buf.position();
      if (id.equals("fmt ")) {
        if (size < 16 || buf.remaining() < 16) {
          throw AudioFormatException.corrupt("WAV fmt chunk is truncated");
        }
        format = Short.toUnsignedInt(buf.getShort());
        channels = Short.toUnsignedInt(buf.getShort());
        rate = buf.getInt();
        buf.getInt(); // byte rate
        blockAlign = Short.toUnsignedInt(buf.getShort());
        bits = Short.toUnsignedInt(buf.getShort());
        if (format == FORMAT_EXTENSIBLE) {
          if (size < 40 || buf.remaining() < 24) {
            throw AudioFormatException.corrupt("WAV extensible fmt chunk is truncated");
          }
          buf.position(start + 24);
          format = Short.toUnsignedInt(buf.getShort()); // first two bytes of the sub-format GUID
        }
      } else if (id.equals("data")) {
        if (format < 0) {
          throw AudioFormatException.corrupt("WAV data chunk comes before its fmt chunk");
        }
        // Streaming writers leave the size as 0 or 0xFFFFFFFF; take what is there.
        long available = buf.remaining();
        long length = size == 0 || size > available ? available : size;
        return samples(data, start, (int) length, format, channels, rate, bits, blockAlign);
      }
      long next = start + size + (size & 1);
      if (next > data.length) {
        break;
      }
      buf.position((int) next);
    }
    throw AudioFormatException.corrupt("WAV file has no data chunk");
  }

  private static PcmAudio samples(byte[] data, int offset, int length, int format, int channels,
      int rate, int bits, int blockAlign) throws AudioFormatException {
    if (channels < 1 || channels > MAX_CHANNELS) {
      throw AudioFormatException.unsupported("WAV with " + channels + " channels (1 to 8 are supported)");
    }
    if (rate < 1000 || rate > 768_000) {
      throw AudioFormatException.unsupported("WAV sample rate " + rate + " Hz is out of range");
    }
    boolean pcm = format == FORMAT_PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32);
    boolean flt = format == FORMAT_FLOAT && (bits == 32 || bits == 64);
    if (!pcm && !flt) {
      throw AudioFormatException.unsupported("WAV encoding " + format + " with " + bits
          + " bits per sample (PCM 8/16/24/32-bit and float 32/64-bit are supported)");
    }
    int bytesPerSample = bits / 8;
    int frameBytes = bytesPerSample * channels;
    if (blockAlign != 0 && blockAlign != frameBytes) {
      throw AudioFormatException.corrupt("WAV block align " + blockAlign + " does not match " + frameBytes);
    }
    int frames = length / frameBytes;
    if (frames == 0) {
      throw AudioFormatException.corrupt("WAV file holds no audio samples");
    }
    float[][] out = new float[channels][frames];
    ByteBuffer buf = ByteBuffer.wrap(data, offset, frames * frameBytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < frames; f++) {
      for (int ch = 0; ch < channels; ch++) {
        out[ch][f] = switch (bits) {
          case 8 -> (Byte.toUnsignedInt(buf.get()) - 128) / 128f;
          case 16 -> buf.getShort() / 32768f;
          case 24 -> {
            int b0 = Byte.toUnsignedInt(buf.get());
            int b1 = Byte.toUnsignedInt(buf.get());
            int b2 = buf.get();
            yield ((b2 << 16) | (b1 << 8) | b0) / 8388608f;
          }
          case 32 -> flt ? buf.getFloat() : (float) (buf.getInt() / 2147483648.0);
          default -> (float) buf.getDouble();
        };
      }
    }
    return new PcmAudio(rate, out);
  }

  /** Writes 16-bit PCM WAV with TPDF dither. */
  public static void encode16(PcmAudio audio, OutputStream target) throws IOException {
    int channels = audio.channelCount();
    int frames = audio.frames();
    long dataBytes = (long) frames * channels * 2;
    if (dataBytes > 0xFFFFFFFFL - 36) {
      throw new IOException("audio too long for a WAV file");
    }
    OutputStream out = new BufferedOutputStream(target, 1 << 16);
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes))
        .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
        .putShort((short) FORMAT_PCM).putShort((short) channels).putInt(audio.sampleRate())
        .putInt(audio.sampleRate() * channels * 2).putShort((short) (channels * 2)).putShort((short) 16)
        .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
    out.write(header.array());
    java.util.SplittableRandom dither = new java.util.SplittableRandom(0x5EED);
    byte[] frame = new byte[channels * 2];
    for (int f = 0; f < frames; f++) {
      for (int ch = 0; ch < channels; ch++) {
        double v = audio.channels()[ch][f] * 32767.0 + (dither.nextDouble() - dither.nextDouble());
        int s = (int) Math.max(-32768, Math.min(32767, Math.round(v)));
        frame[ch * 2] = (byte) s;
        frame[ch * 2 + 1] = (byte) (s >> 8);
      }
      out.write(frame);
    }
    out.flush();
  }
}
