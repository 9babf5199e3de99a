// Performance RNN events: the 388-token vocabulary, and NoteSequence <-> token conversion for the sequence models.
import { InvalidArgumentError, StudioError } from '../../shared/errors';
import { DEFAULT_BPM, TempoMap, type Note, type NoteSequence, emptySequence } from '../../shared/song';
import type { Ticks, Velocity } from '../../shared/units';
import { DEFAULT_PPQ } from '../../shared/units';
import { extendNotesWithSustain } from './midi/sustain';

export const NUM_PITCHES = 128;
export const NUM_TIME_SHIFTS = 100;
export const NUM_VELOCITY_BINS = 32;

/** Token layout: [note-on 0..127][note-off 0..127][time-shift 1..100 steps][velocity bin 0..31]. */
export const NOTE_ON_OFFSET = 0;
export const NOTE_OFF_OFFSET = NOTE_ON_OFFSET + NUM_PITCHES;
export const TIME_SHIFT_OFFSET = NOTE_OFF_OFFSET + NUM_PITCHES;
export const VELOCITY_OFFSET = TIME_SHIFT_OFFSET + NUM_TIME_SHIFTS;
export const VOCAB_SIZE = VELOCITY_OFFSET + NUM_VELOCITY_BINS;

/** 10 ms steps, so one time-shift token spans 10 ms .. 1 s. */
export const DEFAULT_STEPS_PER_SECOND = 100;
/** Velocity of notes decoded before any velocity token. */
export const DEFAULT_DECODE_VELOCITY: Velocity = 64;

/** A token id outside 0..VOCAB_SIZE-1 (or not an integer) was given to the decoder. */
export class InvalidTokenError extends StudioError {}

export type SustainMode = 'keep' | 'extend';

export interface EncodeOptions {
  /** Time resolution; the vocabulary's 100 time-shifts span 100 steps. Default 100 (10 ms). */
  stepsPerSecond?: number;
  /** How many of the 32 velocity tokens to use (fewer = coarser dynamics). Default 32. */
  velocityBins?: number;
  /** 'extend' holds notes released under the sustain pedal until the pedal lifts (see extendNotesWithSustain). Default 'keep'. */
  sustain?: SustainMode;
  /** Semitones added to every pitch (augmentation); notes pushed outside 0..127 are left out. */
  transpose?: number;
  /** Tempo factor (augmentation): 1.05 plays 5% faster, i.e. every time is divided by 1.05. */
  tempoFactor?: number;
}

export interface DecodeOptions {
  ppq?: number;
  bpm?: number;
  stepsPerSecond?: number;
  velocityBins?: number;
}

export const noteOnToken = (pitch: number): number => NOTE_ON_OFFSET + pitch;
export const noteOffToken = (pitch: number): number => NOTE_OFF_OFFSET + pitch;
/** steps in 1..NUM_TIME_SHIFTS */
export const timeShiftToken = (steps: number): number => TIME_SHIFT_OFFSET + steps - 1;
export const velocityToken = (bin: number): number => VELOCITY_OFFSET + bin;

/** Bin 0..bins-1 of a velocity 1..127 (0 and out-of-range values are clamped). */
export function velocityToBin(velocity: Velocity, bins: number = NUM_VELOCITY_BINS): number {
  const v = Math.min(127, Math.max(1, Math.round(velocity)));
  return Math.min(bins - 1, Math.floor(((v - 1) * bins) / 127));
}

/** The velocity a bin decodes to: the middle of the velocities that fall into it. */
export function binToVelocity(bin: number, bins: number = NUM_VELOCITY_BINS): Velocity {
  const lo = Math.ceil((bin * 127) / bins) + 1;
  const hi = Math.ceil(((bin + 1) * 127) / bins);
  return Math.round((lo + hi) / 2);
}

const PITCH_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
export const pitchName = (p: number): string => `${PITCH_NAMES[p % 12]}${Math.floor(p / 12) - 1}`;

/** Human-readable name of a token, for token viewers and logs. */
export function tokenName(token: number, stepsPerSecond: number = DEFAULT_STEPS_PER_SECOND): string {
  checkToken(token, 0);
  if (token < NOTE_OFF_OFFSET) return `note-on ${pitchName(token - NOTE_ON_OFFSET)}`;
  if (token < TIME_SHIFT_OFFSET) return `note-off ${pitchName(token - NOTE_OFF_OFFSET)}`;
  if (token < VELOCITY_OFFSET) {
    const steps = token - TIME_SHIFT_OFFSET + 1;
    return `time-shift ${Math.round((steps * 1000) / stepsPerSecond)} ms`;
  }
  return `velocity bin ${token - VELOCITY_OFFSET}`;
}

function checkToken(token: number, index: number): void {
  if (!Number.isInteger(token) || token < 0 || token >= VOCAB_SIZE) {
    throw new InvalidTokenError(`token ${index} is ${token}; token ids must be integers in 0..${VOCAB_SIZE - 1}`);
  }
}

function checkResolution(stepsPerSecond: number, velocityBins: number): void {
  if (!(stepsPerSecond > 0) || !Number.isFinite(stepsPerSecond)) {
    throw new InvalidArgumentError(`stepsPerSecond must be a positive number, got ${stepsPerSecond}`);
  }
  if (!Number.isInteger(velocityBins) || velocityBins < 1 || velocityBins > NUM_VELOCITY_BINS) {
    throw new InvalidArgumentError(`velocityBins must be an integer in 1..${NUM_VELOCITY_BINS}, got ${velocityBins}`);
  }
}

/**
 * Encodes the pitched notes of a sequence as Performance RNN tokens.
 *
 * Times are quantized to steps after converting ticks to seconds through the tempo map; every note lasts at
 * least one step. Gaps longer than one time-shift become several time-shift tokens. A velocity token comes
 * only when the bin changes. At one step, note-offs come before note-ons, each in ascending pitch. A pitch
 * struck again while it sounds is released first and then sounds until every overlapping note of that pitch
 * has ended (one key cannot sound twice); duplicate onsets at the same step merge into one.
 */
export function encodePerformance(seq: NoteSequence, options: EncodeOptions = {}): Uint16Array {
  const sps = options.stepsPerSecond ?? DEFAULT_STEPS_PER_SECOND;
  const bins = options.velocityBins ?? NUM_VELOCITY_BINS;
  checkResolution(sps, bins);
  const transpose = options.transpose ?? 0;
  const tempoFactor = options.tempoFactor ?? 1;
  if (!Number.isInteger(transpose)) throw new InvalidArgumentError(`transpose must be a whole number of semitones, got ${transpose}`);
  if (!(tempoFactor > 0) || !Number.isFinite(tempoFactor)) throw new InvalidArgumentError(`tempoFactor must be a positive number, got ${tempoFactor}`);

  const notes = options.sustain === 'extend' ? extendNotesWithSustain(seq.notes, seq.pedals) : seq.notes;
  const tempo = TempoMap.of(seq);
  const scale = sps / tempoFactor;

  // Each event is one float: ((step * 2 + kind) * 128 + pitch) * 32 + velocityBin, kind 0 = off, 1 = on,
  // so a numeric sort gives time order, offs before ons, then pitch: no per-event objects.
  const keys = new Float64Array(notes.length * 2);
  let k = 0;
  for (let i = 0; i < notes.length; i++) {
    const n: Note = notes[i]!;
    const track = seq.tracks[n.track];
    if (track?.isDrum) continue;
    const pitch = n.pitch + transpose;
    if (pitch < 0 || pitch > 127) continue;
    const start = Math.max(0, Math.round(tempo.toSeconds(n.startTick) * scale));
    let end = Math.round(tempo.toSeconds(n.endTick) * scale);
    if (end <= start) end = start + 1;
    keys[k++] = ((start * 2 + 1) * 128 + pitch) * 32 + velocityToBin(n.velocity, bins);
    keys[k++] = (end * 2 * 128 + pitch) * 32;
  }
  const events = keys.subarray(0, k).sort();

  // Upper bound on tokens: per note an on, an off, a velocity and a re-strike off, plus the time shifts.
  const lastStep = k > 0 ? Math.floor(events[k - 1]! / (2 * 128 * 32)) : 0;
  const out = new Uint16Array(4 * (k / 2) + k + Math.ceil(lastStep / NUM_TIME_SHIFTS) + 1);
  let o = 0;
  const sounding = new Int32Array(128);
  const lastOn = new Float64Array(128).fill(-1);
  let currentBin = -1;
  let currentStep = 0;
  for (let e = 0; e < k; e++) {
    const key = events[e]!;
    const bin = key % 32;
    const rest = (key - bin) / 32;
    const pitch = rest % 128;
    const stepKind = (rest - pitch) / 128;
    const isOn = stepKind % 2 === 1;
    const step = (stepKind - (isOn ? 1 : 0)) / 2;
    if (!isOn) {
      if (sounding[pitch]! === 0) continue;
      sounding[pitch] = sounding[pitch]! - 1;
      if (sounding[pitch]! > 0) continue;
    } else if (sounding[pitch]! > 0 && lastOn[pitch] === step) {
      sounding[pitch] = sounding[pitch]! + 1;
      continue;
    }
    let gap = step - currentStep;
    while (gap > 0) {
      const s = gap > NUM_TIME_SHIFTS ? NUM_TIME_SHIFTS : gap;
      out[o++] = TIME_SHIFT_OFFSET + s - 1;
      gap -= s;
    }
    currentStep = step;
    if (!isOn) {
      out[o++] = NOTE_OFF_OFFSET + pitch;
      continue;
    }
    if (sounding[pitch]! > 0) out[o++] = NOTE_OFF_OFFSET + pitch;
    sounding[pitch] = sounding[pitch]! + 1;
    lastOn[pitch] = step;
    if (bin !== currentBin) {
      out[o++] = VELOCITY_OFFSET + bin;
      currentBin = bin;
    }
    out[o++] = NOTE_ON_OFFSET + pitch;
  }
  return out.slice(0, o);
}

/**
 * Decodes any token sequence into a valid NoteSequence (one piano track, constant tempo). Built to accept
 * whatever a model emits: unclosed notes end where the tokens end, note-offs of silent pitches are ignored,
 * a re-struck pitch ends its previous note, and notes that would last no time at all are dropped.
 * @throws InvalidTokenError for a token id outside the vocabulary.
 */
export function decodePerformance(tokens: ArrayLike<number>, options: DecodeOptions = {}): NoteSequence {
  const ppq = options.ppq ?? DEFAULT_PPQ;
  const bpm = options.bpm ?? DEFAULT_BPM;
  const sps = options.stepsPerSecond ?? DEFAULT_STEPS_PER_SECOND;
  const bins = options.velocityBins ?? NUM_VELOCITY_BINS;
  checkResolution(sps, bins);
  if (!Number.isInteger(ppq) || ppq < 1) throw new InvalidArgumentError(`ppq must be a positive integer, got ${ppq}`);
  if (!(bpm > 0) || !Number.isFinite(bpm)) throw new InvalidArgumentError(`bpm must be a positive number, got ${bpm}`);
  for (let i = 0; i < tokens.length; i++) checkToken(tokens[i]!, i);

  const ticksPerStep = (ppq * bpm) / 60 / sps;
  const toTick = (step: number): Ticks => Math.round(step * ticksPerStep);
  const notes: Note[] = [];
  const openStart = new Float64Array(128).fill(-1);
  const openVelocity = new Uint8Array(128);
  let velocity = DEFAULT_DECODE_VELOCITY;
  let step = 0;
  const close = (pitch: number): void => {
    const start = openStart[pitch]!;
    openStart[pitch] = -1;
    if (step <= start) return;
    const startTick = toTick(start);
    notes.push({ pitch, velocity: openVelocity[pitch]!, startTick, endTick: Math.max(toTick(step), startTick + 1), track: 0 });
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t < NOTE_OFF_OFFSET) {
      const pitch = t - NOTE_ON_OFFSET;
      if (openStart[pitch]! >= 0) close(pitch);
      openStart[pitch] = step;
      openVelocity[pitch] = velocity;
    } else if (t < TIME_SHIFT_OFFSET) {
      const pitch = t - NOTE_OFF_OFFSET;
      if (openStart[pitch]! >= 0) close(pitch);
    } else if (t < VELOCITY_OFFSET) {
      step += t - TIME_SHIFT_OFFSET + 1;
    } else {
      // A bin beyond a coarser setting's range still means "loudest".
      velocity = binToVelocity(Math.min(bins - 1, t - VELOCITY_OFFSET), bins);
    }
  }
  for (let p = 0; p < 128; p++) if (openStart[p]! >= 0) close(p);
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);

  return { ...emptySequence(ppq), notes, tempos: [{ tick: 0, bpm }] };
}
