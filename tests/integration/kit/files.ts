// Files made on the spot for tests: a valid MIDI file of any size (one note, padded with a sequencer-specific meta event).

function vlq(n: number): number[] {
  const out = [n & 0x7f];
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) out.unshift((n & 0x7f) | 0x80);
  return out;
}

/** A format-0 MIDI file with middle C for one quarter note and padBytes of meta data before it. */
export function paddedMidi(padBytes: number): Buffer {
  const events = Buffer.concat([
    Buffer.from([0x00, 0xff, 0x7f, ...vlq(padBytes)]),
    Buffer.alloc(padBytes, 0x55),
    Buffer.from([0x00, 0x90, 60, 90, 0x83, 0x60, 0x80, 60, 0, 0x00, 0xff, 0x2f, 0x00]),
  ]);
  const track = Buffer.alloc(8);
  track.write('MTrk');
  track.writeUInt32BE(events.length, 4);
  return Buffer.concat([Buffer.from([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xe0]), track, events]);
}
