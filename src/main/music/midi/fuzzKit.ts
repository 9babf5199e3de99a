// Fuzzing support shared by fuzz.test.ts and scripts/fuzz-midi-long.ts: mutations of real MIDI files and one checked import.
import fc from 'fast-check';
import { StudioError } from '../../../shared/errors';
import { importMidi } from './import';

/** Positions are fractions of the file length so one mutation fits files of any size. */
export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'chunkLength'; chunk: number; value: number }
  | { kind: 'hugeDelta'; at: number; vlq: number[] }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number };

// Unbiased: fast-check otherwise favours 0, and nearly every mutation would hit the "MThd" magic.
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('flip' as const), at: fraction, bit: fc.integer({ min: 0, max: 7 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('chunkLength' as const),
      chunk: fc.nat({ max: 20 }),
      value: fc.oneof(fc.nat({ max: 64 }), fc.nat(), fc.constantFrom(0, 0xffffffff, 0x7fffffff, 0x80000000)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('hugeDelta' as const),
      at: fraction,
      vlq: fc.constantFrom<number[]>([0xff, 0xff, 0xff, 0x7f], [0x8f, 0xff, 0xff, 0x7f], [0xff, 0xff, 0xff, 0xff, 0x7f], [0x83, 0x80, 0x80, 0x00], [0xff, 0x7f]),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fraction, count: fc.integer({ min: 1, max: 16 }) }) },
);

/** Positions of every "MTrk"/"MThd" length field, so lies hit real chunk headers. */
function chunkLengthFields(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (bytes[i] === 0x4d && bytes[i + 1] === 0x54 && ((bytes[i + 2] === 0x72 && bytes[i + 3] === 0x6b) || (bytes[i + 2] === 0x68 && bytes[i + 3] === 0x64))) out.push(i + 4);
  }
  return out;
}

export function applyMutation(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = (f: number): number => Math.floor(f * bytes.length);
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[at(m.at)]! ^= 1 << m.bit;
      return out;
    }
    case 'truncate':
      return bytes.slice(0, at(m.at));
    case 'chunkLength': {
      const fields = chunkLengthFields(bytes);
      if (fields.length === 0) return bytes;
      const pos = fields[m.chunk % fields.length]!;
      const out = bytes.slice();
      out.set([(m.value >>> 24) & 0xff, (m.value >>> 16) & 0xff, (m.value >>> 8) & 0xff, m.value & 0xff], pos);
      return out;
    }
    case 'hugeDelta':
    case 'insert': {
      const pos = at(m.at);
      const extra = m.kind === 'insert' ? m.bytes : m.vlq;
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes.subarray(0, pos));
      out.set(extra, pos);
      out.set(bytes.subarray(pos), pos + extra.length);
      return out;
    }
    case 'delete': {
      const pos = at(m.at);
      const out = new Uint8Array(bytes.length - Math.min(m.count, bytes.length - pos));
      out.set(bytes.subarray(0, pos));
      out.set(bytes.subarray(pos + m.count), pos);
      return out;
    }
  }
}

export function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutations.reduce(applyMutation, bytes);
}

export type Outcome =
  | { kind: 'song'; notes: number; ms: number }
  | { kind: 'rejected'; error: string; message: string; ms: number }
  | { kind: 'crash'; error: unknown; ms: number };

/** The message importMidi gives when its own check passed a file @tonejs/midi then refused: a gap in the check. */
export const LIBRARY_REFUSED = /@tonejs\/midi could not read the file/;

/** One import: a song or a StudioError are fine; anything else is a crash. */
export function tryImport(bytes: Uint8Array): Outcome {
  const t0 = performance.now();
  try {
    const seq = importMidi(bytes);
    return { kind: 'song', notes: seq.notes.length, ms: performance.now() - t0 };
  } catch (err) {
    const ms = performance.now() - t0;
    return err instanceof StudioError ? { kind: 'rejected', error: err.name, message: err.message, ms } : { kind: 'crash', error: err, ms };
  }
}
