// Checks the WAV encoder's header, interleaving and clipping byte by byte.
import { describe, expect, it } from 'vitest';
import { encodeWav, WavEncodingError } from './wav';

describe('encodeWav', () => {
  it('writes a valid stereo 16-bit header and interleaved, clipped samples', () => {
    const left = new Float32Array([0, 1, -1, 2]);
    const right = new Float32Array([0.5, -0.5, -2, 0]);
    const bytes = encodeWav([left, right], 44100);
    const view = new DataView(bytes.buffer);
    const text = (at: number, n: number): string => String.fromCharCode(...bytes.subarray(at, at + n));
    expect(bytes.length).toBe(44 + 4 * 2 * 2);
    expect(text(0, 4)).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(bytes.length - 8);
    expect(text(8, 8)).toBe('WAVEfmt ');
    expect(view.getUint16(20, true)).toBe(1);
    expect(view.getUint16(22, true)).toBe(2);
    expect(view.getUint32(24, true)).toBe(44100);
    expect(view.getUint32(28, true)).toBe(44100 * 4);
    expect(view.getUint16(32, true)).toBe(4);
    expect(view.getUint16(34, true)).toBe(16);
    expect(text(36, 4)).toBe('data');
    expect(view.getUint32(40, true)).toBe(16);
    const samples = Array.from({ length: 8 }, (_, i) => view.getInt16(44 + 2 * i, true));
    expect(samples).toEqual([0, 16384, 32767, -16384, -32768, -32768, 32767, 0]);
  });

  it('rejects channels of unequal length and bad sample rates', () => {
    expect(() => encodeWav([new Float32Array(2), new Float32Array(3)], 44100)).toThrow(WavEncodingError);
    expect(() => encodeWav([], 44100)).toThrow(/1 to 8 channels, got 0/);
    expect(() => encodeWav([new Float32Array(1)], 44100.5)).toThrow(/44100.5/);
  });
});
