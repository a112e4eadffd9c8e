package io.jobhook.audio;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/**
 * MPEG-1/2 Layer III decoding with JLayer (pure Java, LGPL-2.1), frame by frame into raw 16-bit PCM
 * (the decoder's own precision), so that memory stays bounded whatever the length.
 */
public final class Mp3Decoder {
  private Mp3Decoder() {}

  /** What the decoded PCM is: its rate, channels and length. */
  public record Decoded(int sampleRate, int channels, long frames) {}

  /** True for an ID3v2 tag or an MPEG audio frame sync at the start. */
  public static boolean looksLikeMp3(byte[] head) {
    if (head.length >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3') {
      return true;
    }
    return head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0;
  }

  /** Decodes a whole MP3 held in memory. */
  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    ByteArrayOutputStream pcm = new ByteArrayOutputStream();
    try {
      Decoded d = decodeTo(new ByteArrayInputStream(data), pcm);
      try (AudioStream stream = rawPcm16(new ByteArrayInputStream(pcm.toByteArray()), d)) {
        return WavCodec.readAll(stream);
      }
    } catch (IOException e) {
      throw AudioFormatException.corrupt("MP3 stream cannot be decoded: " + e.getMessage());
    }
  }

  /**
   * Decodes the MP3 into interleaved little-endian 16-bit samples written to {@code pcm}. A damaged
   * tail after good frames is dropped, as players do; a stream with no decodable frame fails.
   */
  public static Decoded decodeTo(InputStream mp3, OutputStream pcm)
      throws IOException, AudioFormatException {
    Bitstream stream = new Bitstream(new BufferedInputStream(mp3, 1 << 16));
    Decoder decoder = new Decoder();
    OutputStream out = new BufferedOutputStream(pcm, 1 << 16);
    int rate = 0;
    int channels = 0;
    long frames = 0;
    byte[] bytes = new byte[0];
    try {
      Header header;
      while ((header = stream.readFrame()) != null) {
        if (header.layer() != 3) {
          throw AudioFormatException.unsupported(
              "MPEG audio layer " + header.layer() + " (only layer III is supported)");
        }
        SampleBuffer decoded = (SampleBuffer) decoder.decodeFrame(header, stream);
        if (channels == 0) {
          rate = decoded.getSampleFrequency();
          channels = decoded.getChannelCount();
        }
        short[] samples = decoded.getBuffer();
        int n = decoded.getBufferLength() / channels * channels;
        if (bytes.length < n * 2) {
          bytes = new byte[n * 2];
        }
        for (int i = 0; i < n; i++) {
          bytes[2 * i] = (byte) samples[i];
          bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        out.write(bytes, 0, n * 2);
        frames += n / channels;
        stream.closeFrame();
      }
    } catch (BitstreamException | DecoderException | ArrayIndexOutOfBoundsException e) {
      if (frames == 0) {
        throw AudioFormatException.corrupt("MP3 stream cannot be decoded: " + e.getMessage());
      }
    }
    out.flush();
    if (frames == 0) {
      throw AudioFormatException.corrupt("MP3 stream holds no decodable frames");
    }
    return new Decoded(rate, channels, frames);
  }

  /** Reads the raw PCM {@link #decodeTo} wrote. */
  public static AudioStream rawPcm16(InputStream pcm, Decoded format) {
    InputStream in = new BufferedInputStream(pcm, 1 << 16);
    int channels = format.channels();
    return new AudioStream() {
      private long left = format.frames();
      private byte[] bytes = new byte[0];

      @Override
      public int sampleRate() {
        return format.sampleRate();
      }

      @Override
      public int channelCount() {
        return channels;
      }

      @Override
      public long frameCount() {
        return format.frames();
      }

      @Override
      public int read(float[][] dst, int max) throws IOException {
        int want = (int) Math.min(max, left);
        if (want <= 0) {
          return -1;
        }
        if (bytes.length < want * channels * 2) {
          bytes = new byte[want * channels * 2];
        }
        int got = in.readNBytes(bytes, 0, want * channels * 2) / (channels * 2);
        if (got == 0) {
          throw new IOException("decoded audio ended early");
        }
        int p = 0;
        for (int f = 0; f < got; f++) {
          for (int ch = 0; ch < channels; ch++) {
            dst[ch][f] = (short) ((bytes[p] & 0xFF) | (bytes[p + 1] << 8)) / 32768f;
            p += 2;
          }
        }
        left -= got;
        return got;
      }

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
