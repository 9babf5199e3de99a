// Checks base64 conversions against Node's own encoder, including files larger than one chunk.
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, fileToBase64 } from './base64';

describe('base64', () => {
  it('round-trips every byte value and agrees with Buffer on a 100 KB file', async () => {
    const bytes = new Uint8Array(100_003);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
    const text = bytesToBase64(bytes);
    expect(text).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64ToBytes(text)).toEqual(bytes);
    expect(await fileToBase64(new Blob([bytes]))).toBe(text);
    expect(bytesToBase64(new Uint8Array(0))).toBe('');
  });
});
