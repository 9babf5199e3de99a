// Encodes rendered audio as a 16-bit PCM WAV file (RIFF), so the studio needs no encoder library.
import { StudioError } from '../../../shared/errors';

/** The audio handed to the encoder cannot make a valid WAV file. */
export class WavEncodingError extends StudioError {}

/**
 * Interleaves the channels and writes them as little-endian 16-bit samples; values beyond
 * -1..1 are clipped rather than wrapped, which would click.
 * @throws WavEncodingError for no channels, channels of unequal length, or a bad sample rate.
 */
export function encodeWav(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  if (channels.length === 0 || channels.length > 8) throw new WavEncodingError(`a WAV file needs 1 to 8 channels, got ${channels.length}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > 384_000) throw new WavEncodingError(`sample rate must be a whole number of Hz up to 384000, got ${sampleRate}`);
  const frames = channels[0]!.length;
  for (const [i, c] of channels.entries()) {
    if (c.length !== frames) throw new WavEncodingError(`channel ${i} has ${c.length} samples but channel 0 has ${frames}`);
  }
  const blockAlign = channels.length * 2;
  const dataBytes = frames * blockAlign;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, s: string): void => {
    for (let i = 0; i < s.length; i++) bytes[at + i] = s.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, channels.length, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let f = 0; f < frames; f++) {
    for (const c of channels) {
      const x = Math.max(-1, Math.min(1, c[f]!));
      view.setInt16(at, x < 0 ? Math.round(x * 0x8000) : Math.round(x * 0x7fff), true);
      at += 2;
    }
  }
  return bytes;
}
