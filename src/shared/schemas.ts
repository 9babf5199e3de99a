// Schemas of the song model for the engine boundary: anything that arrives from the UI is checked field by field.
import { z } from 'zod';
import type { NoteSequence } from './song';

/** A time in ticks: a whole number, as every writer (MIDI, ABC) and the piano roll need. */
const tick = z.number().int('ticks must be whole numbers').min(0).max(2 ** 31);

const note = z.object({
  pitch: z.number().int().min(0).max(127),
  velocity: z.number().int().min(0).max(127),
  startTick: tick,
  endTick: tick,
  track: z.number().int().min(0).max(1023),
});

/** The NoteSequence as it may arrive from the UI: checked field by field. */
export const noteSequence = z.object({
  ppq: z.number().int().min(1).max(32767),
  notes: z.array(note).max(2_000_000),
  tracks: z.array(z.object({ name: z.string().max(500), program: z.number().int().min(0).max(127), channel: z.number().int().min(0).max(15), isDrum: z.boolean() })).max(1024),
  tempos: z.array(z.object({ tick, bpm: z.number().positive().max(2000) })).max(100_000),
  timeSignatures: z.array(z.object({ tick, numerator: z.number().int().min(1).max(64), denominator: z.number().int().min(1).max(64) })).max(10_000),
  keySignatures: z.array(z.object({ tick, tonic: z.number().int().min(0).max(11), mode: z.enum(['major', 'minor', 'dorian', 'phrygian', 'lydian', 'mixolydian', 'locrian']) })).max(10_000),
  pedals: z.array(z.object({ tick, value: z.number().int().min(0).max(127), track: z.number().int().min(0) })).max(1_000_000),
  sections: z.array(z.object({ name: z.string().max(200), startTick: tick, endTick: tick })).max(10_000),
  meta: z.record(z.string(), z.string().max(10_000).optional()),
}) satisfies z.ZodType<NoteSequence>;
