#!/usr/bin/env bash
# NoiseReduction against SoX noisered and FFmpeg afftdn, on speech from espeak-ng with noises from
# SoX mixed at exactly 0, 5 and 10 dB SNR, at 16 kHz and 44.1 kHz; then jobhook's speed.
#   bench/denoise.sh
source "$(dirname "$0")/lib.sh"
need espeak-ng espeak-ng
need sox sox
need ffmpeg ffmpeg
build_classpath
WORK=$(mktemp -d)
TEXT="The quick brown fox jumps over the lazy dog. A stitch in time saves nine. \
Please call Stella and ask her to bring these things with her from the store. \
Six spoons of fresh snow peas, five thick slabs of blue cheese, and maybe a snack for her brother Bob."
espeak-ng -v en-us -s 150 -w "$WORK/speech-raw.wav" "$TEXT"
for rate in 16000 44100; do
  sox "$WORK/speech-raw.wav" -r "$rate" -b 16 "$WORK/speech-$rate.wav" pad 1 0 norm -3
  len=$(soxi -D "$WORK/speech-$rate.wav")
  sox -n -r "$rate" -b 16 "$WORK/noise-white-$rate.wav" synth "$len" whitenoise vol 0.5
  sox -n -r "$rate" -b 16 "$WORK/noise-pink-$rate.wav" synth "$len" pinknoise vol 0.5
  sox -n -r "$rate" -b 16 "$WORK/noise-brown-$rate.wav" synth "$len" brownnoise vol 0.5
  sox -n -r "$rate" -b 16 "$WORK/hum-$rate.wav" synth "$len" sine 50 sine 150 sine 250 vol 0.3
  sox -n -r "$rate" -b 16 "$WORK/floor-$rate.wav" synth "$len" whitenoise vol 0.03
  sox -m "$WORK/hum-$rate.wav" "$WORK/floor-$rate.wav" "$WORK/noise-hum-$rate.wav"
  sox -n -r "$rate" -b 16 "$WORK/noise-modpink-$rate.wav" synth "$len" pinknoise vol 0.5 tremolo 0.3 60
done
java -cp "$CP" io.jobhook.bench.DenoiseBench "$WORK" 2>&1 | grep -v WARNING | tee "$WORK/results.txt"
echo "(all lines: $WORK/results.txt)"
