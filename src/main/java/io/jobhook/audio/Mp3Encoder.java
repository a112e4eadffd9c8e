package io.jobhook.audio;

import de.sciss.jump3r.lowlevel.LameEncoder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Set;
import javax.sound.sampled.AudioFormat;

/** MP3 output through LAME's Java port (jump3r): 16-bit dithered PCM in, CBR MP3 out. */
final class Mp3Encoder implements AudioSink {
  static final Set<Integer> SAMPLE_RATES =
      Set.of(8000, 11025, 12000, 16000, 22050, 24000, 32000, 44100, 48000);

  private final OutputStream out;
  private final int channels;
  private final LameEncoder encoder;
  private final int chunkBytes;
  private final byte[] mp3;
  private final Dither dither = new Dither();
  private byte[] pcm = new byte[0];

  Mp3Encoder(OutputStream target, int sampleRate, int channels) throws AudioFormatException {
    if (!SAMPLE_RATES.contains(sampleRate) || channels < 1 || channels > 2) {
      throw new AudioFormatException(
          "InvalidParameter",
          "MP3 output needs 1 or 2 channels at 8, 11.025, 12, 16, "
              + "22.05, 24, 32, 44.1 or 48 kHz; the audio has "
              + channels
              + " channel(s) at "
              + sampleRate
              + " Hz (set SampleRate, or use Format wav)");
    }
    this.out = new BufferedOutputStream(target, 1 << 16);
    this.channels = channels;
    AudioFormat source = new AudioFormat(sampleRate, 16, channels, true, false);
    int bitrate =
        channels == 1
            ? 96
            : 192; // kbit/s: transparent enough for speech, a quarter of WAV's size or less
    this.encoder =
        new LameEncoder(
            source,
            bitrate,
            channels == 1 ? LameEncoder.CHANNEL_MODE_MONO : LameEncoder.CHANNEL_MODE_JOINT_STEREO,
            LameEncoder.QUALITY_MIDDLE,
            false);
    this.chunkBytes = encoder.getPCMBufferSize() / (2 * channels) * (2 * channels);
    this.mp3 = new byte[Math.max(encoder.getMP3BufferSize(), 8192)];
  }

  @Override
  public void write(float[][] samples, int offset, int count) throws IOException {
    if (pcm.length < count * channels * 2) {
      pcm = new byte[count * channels * 2];
    }
    int p = 0;
    for (int f = offset; f < offset + count; f++) {
      for (int ch = 0; ch < channels; ch++) {
        int s = dither.pcm16(samples[ch][f]);
        pcm[p++] = (byte) s;
        pcm[p++] = (byte) (s >> 8);
      }
    }
    for (int from = 0; from < p; from += chunkBytes) {
      int n = encoder.encodeBuffer(pcm, from, Math.min(chunkBytes, p - from), mp3);
      if (n < 0) {
        throw new IOException("the MP3 encoder failed (" + n + ")");
      }
      out.write(mp3, 0, n);
    }
  }

  @Override
  public void finish() throws IOException {
    int n = encoder.encodeFinish(mp3);
    if (n > 0) {
      out.write(mp3, 0, n);
    }
    encoder.close();
    out.flush();
  }
}
