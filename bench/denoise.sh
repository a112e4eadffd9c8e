#!/usr/bin/env bash
# NoiseReduction against SoX noisered and FFmpeg afftdn, on speech from espeak-ng with noises made
# here (SoX, espeak-ng) mixed at exactly 0, 5 and 10 dB SNR, at 16 kHz and 44.1 kHz; then the speed
# of all three on the same five-minute files; then, per mixture, what jobhook's noise estimate costs
# (the same denoiser told the noise).
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
VOICES=("en-gb+f2 -p 70 -s 160" "en-us+m3 -p 35 -s 140" "en-gb-scotland+f4 -p 60 -s 170"
  "en-029+m1 -p 45 -s 150" "en-gb-x-rp+f1 -p 80 -s 145" "en-us+m7 -p 30 -s 165")
SENTENCES=("The birch canoe slid on the smooth planks. Glue the sheet to the dark blue background."
  "It's easy to tell the depth of a well. These days a chicken leg is a rare dish."
  "Rice is often served in round bowls. The juice of lemons makes fine punch."
  "The box was thrown beside the parked truck. The hogs were fed chopped corn and garbage."
  "Four hours of steady work faced us. A large size in stockings is hard to sell."
  "The boy was there when the sun rose. A rod is used to catch pink salmon.")
for t in "${!VOICES[@]}"; do
  # shellcheck disable=SC2086 # the voice's options are words
  espeak-ng -v ${VOICES[$t]} -w "$WORK/talker-$t-raw.wav" "${SENTENCES[$t]}"
done
for rate in 16000 44100; do
  sox "$WORK/speech-raw.wav" -r "$rate" -b 16 "$WORK/speech-$rate.wav" pad 1 0 norm -3
  len=$(soxi -D "$WORK/speech-$rate.wav")
  sox -n -r "$rate" -b 16 "$WORK/noise-white-$rate.wav" synth "$len" whitenoise vol 0.5
  sox -n -r "$rate" -b 16 "$WORK/noise-pink-$rate.wav" synth "$len" pinknoise vol 0.5
  sox -n -r "$rate" -b 16 "$WORK/noise-brown-$rate.wav" synth "$len" brownnoise vol 0.5
  sox -n -r "$rate" -b 16 -c 1 "$WORK/hum-$rate.wav" synth "$len" sine 50 sine 150 sine 250 vol 0.3
  sox -n -r "$rate" -b 16 "$WORK/floor-$rate.wav" synth "$len" whitenoise vol 0.03
  sox -m "$WORK/hum-$rate.wav" "$WORK/floor-$rate.wav" "$WORK/noise-hum-$rate.wav"
  sox -n -r "$rate" -b 16 "$WORK/noise-modpink-$rate.wav" synth "$len" pinknoise vol 0.5 tremolo 0.3 60
  # babble: six other talkers, each looped to the length, mixed under the voice
  talkers=()
  for t in "${!VOICES[@]}"; do
    sox "$WORK/talker-$t-raw.wav" -r "$rate" -b 16 "$WORK/talker-$t-$rate.wav" repeat 4 trim 0 "$len" norm -3
    talkers+=("$WORK/talker-$t-$rate.wav")
  done
  sox -m "${talkers[@]}" "$WORK/noise-babble-$rate.wav" norm -3
  # a fan: broadband rumble with the blade-pass tone and its harmonics, and a whine from the motor
  sox -n -r "$rate" -b 16 "$WORK/fan-bed-$rate.wav" synth "$len" brownnoise lowpass 2500 vol 0.5
  sox -n -r "$rate" -b 16 -c 1 "$WORK/fan-tones-$rate.wav" synth "$len" \
    sine 118 sine 236 sine 354 sine 472 sine 1180 vol 0.15
  sox -m "$WORK/fan-bed-$rate.wav" "$WORK/fan-tones-$rate.wav" "$WORK/noise-fan-$rate.wav"
  # reverberant room tone: the room's air, and distant voices smeared by its reverberation
  sox -n -r "$rate" -b 16 "$WORK/room-air-$rate.wav" synth "$len" pinknoise lowpass 3000 vol 0.4
  sox "$WORK/noise-babble-$rate.wav" "$WORK/room-voices-$rate.wav" \
    lowpass 2500 reverb -w 95 60 100 vol 0.5 trim 0 "$len"
  sox -m "$WORK/room-air-$rate.wav" "$WORK/room-voices-$rate.wav" "$WORK/noise-room-$rate.wav"
  # single sounds that DenoiseBench scatters over time: a key's click, a cup's clink, a knock
  sox -n -r "$rate" -b 16 "$WORK/key-click-$rate.wav" synth 0.012 whitenoise highpass 2000 \
    fade q 0.0005 0.012 0.011
  sox -n -r "$rate" -b 16 "$WORK/key-thock-$rate.wav" synth 0.03 sine 190 fade q 0.001 0.03 0.029 vol 0.5
  sox -m "$WORK/key-click-$rate.wav" "$WORK/key-thock-$rate.wav" "$WORK/event-key-$rate.wav"
  sox -n -r "$rate" -b 16 -c 1 "$WORK/event-clink-$rate.wav" synth 0.35 sine 2950 sine 4420 sine 6890 \
    fade q 0.001 0.35 0.34
  sox -n -r "$rate" -b 16 "$WORK/event-knock-$rate.wav" synth 0.08 brownnoise lowpass 900 \
    fade q 0.002 0.08 0.075
  sox -n -r "$rate" -b 16 "$WORK/keys-floor-$rate.wav" synth "$len" whitenoise vol 0.002
done
java -cp "$CP" io.jobhook.bench.DenoiseBench "$WORK" target/jobhook.jar 2>&1 | grep -v WARNING | tee "$WORK/results.txt"
echo "(all lines: $WORK/results.txt)"
