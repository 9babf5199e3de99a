// Test helper: assembles small Standard MIDI Files byte by byte, so tests can state exactly what is in them.

/** Bytes of a variable-length quantity. */
export function vlqBytes(value: number): number[] {
  const out = [value & 0x7f];
  for (let v = value >>> 7; v > 0; v >>>= 7) out.unshift((v & 0x7f) | 0x80);
  return out;
}

export function chunkBytes(id: string, data: readonly number[]): number[] {
  const n = data.length;
  return [...[...id].map((c) => c.charCodeAt(0)), (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...data];
}

/** Track data: [delta, ...event bytes] entries; End of Track is appended unless `eot` is false. */
export function trackData(events: readonly (readonly number[])[], eot = true): number[] {
  const out: number[] = [];
  for (const [delta, ...bytes] of events) out.push(...vlqBytes(delta!), ...bytes);
  if (eot) out.push(0, 0xff, 0x2f, 0);
  return out;
}

export function buildSmf(format: number, division: number, tracks: readonly (readonly number[])[]): Uint8Array {
  const header = chunkBytes('MThd', [0, format, tracks.length >> 8, tracks.length & 0xff, (division >> 8) & 0xff, division & 0xff]);
  return Uint8Array.from([...header, ...tracks.flatMap((t) => chunkBytes('MTrk', t))]);
}
