/**
 * Audio in and out, for every job kind that processes audio: WAV and MP3 decoding as streams, WAV
 * and MP3 encoding as sinks, the polyphase resampler and the streaming-stage shape they share. Pure
 * Java; no jobs, no storage.
 */
package io.jobhook.audio;
