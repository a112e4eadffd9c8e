package io.jobhook.process.noise;

/**
 * What the gain may assume of a channel's noise, decided once by the profile pass (see {@link
 * NoiseProfiler}) from where its estimate came from and how its level moved.
 */
public enum NoiseKind {
  /**
   * Its spectrum holds at every moment (white or pink noise, hum, room tone): the level track never
   * lifts past {@link LevelTrack#STATIONARY_LEVEL}, and the gain may trust the spectrum further.
   */
  STEADY,

  /**
   * Louder at times, for seconds (traffic passing, a fan speeding up, a slow tremolo): the level
   * track follows it.
   */
  SWINGING,

  /**
   * Rising and falling as fast as the voice (babble, a cafe, typing): its estimate comes from the
   * voice's pauses, with no slow swing behind that ({@link NoiseProfiler#SWINGING_SHARE}), and the
   * gain holds while the voice is heard ({@link LogMmseGain#VOICE_FLOOR_DB}).
   */
  SPEECH_LIKE
}
