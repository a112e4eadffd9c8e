package io.jobhook.process.noise;

import java.io.ByteArrayInputStream;
import javazoom.jl.decoder.Bitstream;
import javazoom.jl.decoder.BitstreamException;
import javazoom.jl.decoder.Decoder;
import javazoom.jl.decoder.DecoderException;
import javazoom.jl.decoder.Header;
import javazoom.jl.decoder.SampleBuffer;

/** MPEG-1/2 Layer III decoding with JLayer (pure Java, LGPL-2.1). */
public final class Mp3Decoder {
  private Mp3Decoder() {}

  /** True for an ID3v2 tag or an MPEG audio frame sync at the start. */
  public static boolean looksLikeMp3(byte[] head) {
    if (head.length >= 3 && head[0] == 'I' && head[1] == 'D' && head[2] == '3') {
      return true;
    }
    return head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0;
  }

  public static PcmAudio decode(byte[] data) throws AudioFormatException {
    Bitstream stream = new Bitstream(new ByteArrayInputStream(data));
    Decoder decoder = new Decoder();
    int rate = 0;
    int channels = 0;
    FloatBuffers pcm = null;
    try {
      Header header;
      while ((header = stream.readFrame()) != null) {
        if (header.layer() != 3) {
          throw AudioFormatException.unsupported("MPEG audio layer " + header.layer() + " (only layer III is supported)");
        }
        SampleBuffer out = (SampleBuffer) decoder.decodeFrame(header, stream);
        if (pcm == null) {
          rate = out.getSampleFrequency();
          channels = out.getChannelCount();
          pcm = new FloatBuffers(channels);
        }
        short[] samples = out.getBuffer();
        int n = out.getBufferLength();
        for (int i = 0; i + channels - 1 < n; i += channels) {
          for (int ch = 0; ch < channels; ch++) {
            pcm.add(ch, samples[i + ch] / 32768f);
          }
        }
        stream.closeFrame();
      }
    } catch (BitstreamException | DecoderException | ArrayIndexOutOfBoundsException e) {
      if (pcm == null || pcm.size() == 0) {
        throw AudioFormatException.corrupt("MP3 stream cannot be decoded: " + e.getMessage());
      }
      // A damaged tail after good frames: keep what decoded, as players do.
    }
    if (pcm == null || pcm.size() == 0) {
      throw AudioFormatException.corrupt("MP3 stream holds no decodable frames");
    }
    return new PcmAudio(rate, pcm.toArrays());
  }

  /** Growable per-channel float storage. */
  private static final class FloatBuffers {
    private float[][] data;
    private int size;

    FloatBuffers(int channels) {
      data = new float[channels][1 << 16];
    }

    void add(int ch, float v) {
      if (ch == 0 && size == data[0].length) {
        for (int c = 0; c < data.length; c++) {
          data[c] = java.util.Arrays.copyOf(data[c], size * 2);
        }
      }
      data[ch][size] = v;
      if (ch == data.length - 1) {
        size++;
      }
    }

    int size() {
      return size;
    }

    float[][] toArrays() {
      float[][] out = new float[data.length][];
      for (int c = 0; c < data.length; c++) {
        out[c] = java.util.Arrays.copyOf(data[c], size);
      }
      return out;
    }
  }
}
