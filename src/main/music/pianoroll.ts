// Piano rolls: a NoteSequence as a [step][pitch] grid (binary or velocity) for the convolutional models, and back.
import { InvalidArgumentError } from '../../shared/errors';
import { DEFAULT_BPM, TempoMap, type Note, type NoteSequence, emptySequence } from '../../shared/song';
import type { MidiNote, Ticks, Velocity } from '../../shared/units';
import { DEFAULT_PPQ } from '../../shared/units';

/** Lowest and highest keys of an 88-key piano (A0, C8). */
export const PIANO_LOW: MidiNote = 21;
export const PIANO_HIGH: MidiNote = 108;
/** In a velocity roll, the high bit marks the step where a note starts; the low 7 bits hold its velocity. */
export const ONSET_FLAG = 0x80;

/** Grid time: a fixed number of ticks (musical steps) or of seconds (performance steps). */
export type RollStep = { ticks: Ticks } | { seconds: number };
export type RollRange = '88' | '128' | { low: MidiNote; high: MidiNote };
export type RollKind = 'binary' | 'velocity';

export interface PianoRoll {
  steps: number;
  pitches: number;
  /** The pitch of column 0. */
  lowPitch: MidiNote;
  /** Row-major [step][pitch]: binary rolls hold 0/1; velocity rolls hold the note's velocity, with ONSET_FLAG set on its first step. */
  data: Uint8Array;
  kind: RollKind;
  step: RollStep;
  /** Notes left out because their pitch is outside the range. */
  droppedNotes: number;
}

export interface ToRollOptions {
  step: RollStep;
  range?: RollRange;
  kind?: RollKind;
  /** Force a length in steps (longer notes are cut); default: up to the last note-off. */
  steps?: number;
}

export interface FromRollOptions {
  /** Split a held pitch into a new note where a velocity roll marks an onset. Default true. */
  rearticulate?: boolean;
  /** Velocity of notes read from a binary roll. Default 80. */
  velocity?: Velocity;
  /** Of the returned sequence; ticks-step rolls keep their tick grid in this resolution. Default 480. */
  ppq?: number;
  /** Tempo of the returned sequence (matters for seconds-step rolls). Default 120. */
  bpm?: number;
}

function resolveRange(range: RollRange): { low: number; high: number } {
  if (range === '88') return { low: PIANO_LOW, high: PIANO_HIGH };
  if (range === '128') return { low: 0, high: 127 };
  const { low, high } = range;
  if (!Number.isInteger(low) || !Number.isInteger(high) || low < 0 || high > 127 || low > high) {
    throw new InvalidArgumentError(`pitch range must satisfy 0 <= low <= high <= 127 with whole numbers, got ${low}..${high}`);
  }
  return { low, high };
}

function checkStep(step: RollStep): void {
  const size = 'ticks' in step ? step.ticks : step.seconds;
  if (!(size > 0) || !Number.isFinite(size)) throw new InvalidArgumentError(`roll step must be a positive number, got ${size}`);
}

/**
 * Renders the pitched notes of a sequence on a grid. Onsets and offsets round to the nearest step; every note
 * covers at least one step. Where notes of one pitch overlap, the later one wins the shared steps.
 */
export function toPianoRoll(seq: NoteSequence, options: ToRollOptions): PianoRoll {
  checkStep(options.step);
  const { low, high } = resolveRange(options.range ?? '88');
  const kind = options.kind ?? 'binary';
  const pitches = high - low + 1;
  const tempo = 'seconds' in options.step ? TempoMap.of(seq) : undefined;
  const size = 'ticks' in options.step ? options.step.ticks : options.step.seconds;
  const toStep = (tick: Ticks): number => Math.max(0, Math.round((tempo ? tempo.toSeconds(tick) : tick) / size));

  const spans: { note: Note; start: number; end: number }[] = [];
  let dropped = 0;
  let lastStep = 0;
  for (const note of seq.notes) {
    if (seq.tracks[note.track]?.isDrum) continue;
    if (note.pitch < low || note.pitch > high) {
      dropped++;
      continue;
    }
    const start = toStep(note.startTick);
    const end = Math.max(start + 1, toStep(note.endTick));
    spans.push({ note, start, end });
    if (end > lastStep) lastStep = end;
  }
  const steps = options.steps ?? lastStep;
  if (!Number.isInteger(steps) || steps < 0) throw new InvalidArgumentError(`steps must be a whole number >= 0, got ${steps}`);
  spans.sort((a, b) => a.start - b.start || a.note.pitch - b.note.pitch);
  const data = new Uint8Array(steps * pitches);
  for (const { note, start, end } of spans) {
    const col = note.pitch - low;
    const v = Math.min(127, Math.max(1, Math.round(note.velocity)));
    for (let s = start; s < end && s < steps; s++) {
      data[s * pitches + col] = kind === 'binary' ? 1 : s === start ? v | ONSET_FLAG : v;
    }
  }
  return { steps, pitches, lowPitch: low, data, kind, step: options.step, droppedNotes: dropped };
}

/**
 * Reads notes back from a roll: consecutive active steps of a pitch form one note, unless `rearticulate` is on
 * and a velocity roll marks an onset inside the run.
 */
export function fromPianoRoll(roll: PianoRoll, options: FromRollOptions = {}): NoteSequence {
  checkStep(roll.step);
  const ppq = options.ppq ?? DEFAULT_PPQ;
  const bpm = options.bpm ?? DEFAULT_BPM;
  const rearticulate = options.rearticulate ?? true;
  const binaryVelocity = options.velocity ?? 80;
  if (roll.data.length !== roll.steps * roll.pitches) {
    throw new InvalidArgumentError(`roll data has ${roll.data.length} cells, expected steps x pitches = ${roll.steps} x ${roll.pitches}`);
  }
  const ticksPerStep = 'ticks' in roll.step ? roll.step.ticks : (roll.step.seconds * bpm * ppq) / 60;
  const toTick = (step: number): Ticks => Math.round(step * ticksPerStep);
  const notes: Note[] = [];
  for (let col = 0; col < roll.pitches; col++) {
    let start = -1;
    let velocity = 0;
    const flush = (end: number) => {
      if (start < 0) return;
      const startTick = toTick(start);
      notes.push({ pitch: roll.lowPitch + col, velocity, startTick, endTick: Math.max(startTick + 1, toTick(end)), track: 0 });
      start = -1;
    };
    for (let s = 0; s < roll.steps; s++) {
      const cell = roll.data[s * roll.pitches + col]!;
      if (cell === 0) {
        flush(s);
        continue;
      }
      const onset = roll.kind === 'velocity' && (cell & ONSET_FLAG) !== 0;
      if (start >= 0 && !(rearticulate && onset)) continue;
      flush(s);
      start = s;
      velocity = roll.kind === 'binary' ? binaryVelocity : Math.max(1, cell & 0x7f);
    }
    flush(roll.steps);
  }
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  return { ...emptySequence(ppq), notes, tempos: [{ tick: 0, bpm }] };
}
