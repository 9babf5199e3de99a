// Reads the values of ABC information fields (M:, L:, K:, Q:) the way abc2midi interprets them.
import type { KeyMode } from '../../../shared/song';
import type { AbcKey, AbcMeter, AbcTempo, AbcUnitLength, NoteLetter } from './types';

export const LETTERS: readonly NoteLetter[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
/** Pitch class of each letter. */
export const LETTER_PC: Record<NoteLetter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
/** Order in which key signatures add sharps; flats come in the reverse order. */
const SHARP_ORDER: readonly NoteLetter[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];
const MAJOR_FIFTHS: Record<string, number> = {
  C: 0, G: 1, D: 2, A: 3, E: 4, B: 5, 'F#': 6, 'C#': 7,
  F: -1, Bb: -2, Eb: -3, Ab: -4, Db: -5, Gb: -6, Cb: -7,
  // Spellings outside the circle still have a signature (abc2midi accepts them).
  'G#': 8, 'D#': 9, 'A#': 10, 'E#': 11, 'B#': 12, Fb: -8,
};
const MODES: Record<string, { mode: KeyMode; shift: number }> = {
  maj: { mode: 'major', shift: 0 },
  ion: { mode: 'major', shift: 0 },
  min: { mode: 'minor', shift: -3 },
  aeo: { mode: 'minor', shift: -3 },
  m: { mode: 'minor', shift: -3 },
  mix: { mode: 'mixolydian', shift: -1 },
  dor: { mode: 'dorian', shift: -2 },
  phr: { mode: 'phrygian', shift: -4 },
  lyd: { mode: 'lydian', shift: 1 },
  loc: { mode: 'locrian', shift: -5 },
};

/** A field value abc2midi would reject; the caller turns it into a warning or an error. */
export class FieldError extends Error {}

export function parseMeter(value: string): AbcMeter | null {
  const v = value.trim();
  if (v === '' || /^none$/i.test(v)) return null;
  if (v.startsWith('C|')) return { numerator: 2, denominator: 2, symbol: 'C|' };
  if (v.startsWith('C') || v.startsWith('c')) return { numerator: 4, denominator: 4, symbol: 'C' };
  const m = /^\(?\s*([\d+\s]+?)\s*\)?\s*(?:\/\s*(\d+))?(?:\s|$)/.exec(v);
  if (!m) throw new FieldError(`cannot read meter "${value}"`);
  const numerator = m[1]!.split('+').reduce((s, part) => s + (Number.parseInt(part, 10) || 0), 0);
  const denominator = m[2] === undefined ? 1 : Number.parseInt(m[2], 10);
  if (numerator <= 0 || denominator <= 0) throw new FieldError(`meter "${value}" has a zero part`);
  return { numerator, denominator };
}

export function parseUnitLength(value: string): AbcUnitLength {
  const m = /^\s*(\d+)\s*\/\s*(\d+)/.exec(value);
  if (!m) {
    const whole = /^\s*(\d+)\s*$/.exec(value);
    if (whole && Number(whole[1]) > 0) return { numerator: Number(whole[1]), denominator: 1 };
    throw new FieldError(`cannot read unit length "${value}"`);
  }
  const numerator = Number.parseInt(m[1]!, 10);
  const denominator = Number.parseInt(m[2]!, 10);
  if (numerator <= 0 || denominator <= 0 || denominator > 1 << 20) throw new FieldError(`unit length "${value}" out of range`);
  return { numerator, denominator };
}

/** abc2midi's default L: from the header meter: 1/16 below 3/4, else 1/8. */
export function defaultUnitLength(meter: AbcMeter | null): AbcUnitLength {
  const m = meter ?? { numerator: 4, denominator: 4 };
  return m.numerator / m.denominator < 0.75 ? { numerator: 1, denominator: 16 } : { numerator: 1, denominator: 8 };
}

function signatureAccidentals(fifths: number): Record<NoteLetter, number> {
  const acc: Record<NoteLetter, number> = { C: 0, D: 0, E: 0, F: 0, G: 0, A: 0, B: 0 };
  // Only the first seven steps exist in a signature; abc2midi clamps the same way.
  for (let i = 0; i < Math.min(7, fifths); i++) acc[SHARP_ORDER[i]!] = 1;
  for (let i = 0; i < Math.min(7, -fifths); i++) acc[SHARP_ORDER[6 - i]!] = -1;
  return acc;
}

export const C_MAJOR: AbcKey = {
  tonic: 0,
  tonicName: 'C',
  mode: 'major',
  fifths: 0,
  accidentals: { C: 0, D: 0, E: 0, F: 0, G: 0, A: 0, B: 0 },
};

/**
 * Reads a K: value: tonic, mode (maj, min, m, mix, dor, phr, lyd, loc, aeo, ion), then explicit
 * accidentals such as ^f _b =c; "exp" keeps only the explicit ones. Clef and other key=value
 * words are ignored. Returns null for a K: that only sets a clef.
 */
export function parseKey(value: string, warn: (msg: string) => void): AbcKey | null {
  const words = value.replace(/%.*$/, '').trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return C_MAJOR;
  let tonicName = 'C';
  let mode: KeyMode = 'major';
  let fifths = 0;
  let i = 0;
  let gotKey = false;
  let explicitOnly = false;
  const first = words[0]!;
  if (/^none$/i.test(first)) {
    gotKey = true;
    i = 1;
  } else if (first === 'HP' || first === 'Hp') {
    // Highland pipes: HP has no signature, Hp sharpens F and C (abc2midi's reading).
    gotKey = true;
    tonicName = first === 'HP' ? 'C' : 'D';
    mode = 'mixolydian';
    fifths = first === 'HP' ? 0 : 2;
    i = 1;
  } else {
    const m = /^([A-Ga-g])([#b]?)(.*)$/.exec(first);
    if (m && !first.includes('=')) {
      gotKey = true;
      tonicName = m[1]!.toUpperCase() + m[2]!;
      let rest = m[3]!;
      if (rest === '' && words.length > 1 && /^[a-zA-Z]/.test(words[1]!) && modeOf(words[1]!) !== undefined) {
        rest = words[1]!;
        i = 2;
      } else {
        i = 1;
      }
      const md = rest === '' ? MODES.maj! : modeOf(rest);
      if (md === undefined) {
        warn(`unknown mode "${rest}" in K:${value}, using major`);
        mode = 'major';
      } else {
        mode = md.mode;
      }
      const base = MAJOR_FIFTHS[tonicName];
      if (base === undefined) {
        warn(`unknown tonic "${tonicName}" in K:${value}`);
      }
      fifths = (base ?? 0) + (md?.shift ?? 0);
    }
  }
  const tonicPc = ((LETTER_PC[tonicName[0] as NoteLetter] + (tonicName[1] === '#' ? 1 : tonicName[1] === 'b' ? -1 : 0)) % 12 + 12) % 12;
  const explicit: Array<[NoteLetter, number]> = [];
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (/^exp$/i.test(w)) {
      explicitOnly = true;
      continue;
    }
    const acc = /^(\^\^|\^|__|_|=)([A-Ga-g])$/.exec(w);
    if (acc) {
      const shift = acc[1] === '^^' ? 2 : acc[1] === '^' ? 1 : acc[1] === '__' ? -2 : acc[1] === '_' ? -1 : 0;
      explicit.push([acc[2]!.toUpperCase() as NoteLetter, shift]);
      gotKey = true;
    }
    // clef=, transpose=, octave= and similar are not part of the pitch mapping here.
  }
  if (!gotKey) return null;
  const accidentals = explicitOnly ? { ...C_MAJOR.accidentals } : signatureAccidentals(fifths);
  for (const [letter, shift] of explicit) accidentals[letter] = shift;
  return { tonic: tonicPc, tonicName, mode, fifths, accidentals };
}

function modeOf(word: string): { mode: KeyMode; shift: number } | undefined {
  const w = word.toLowerCase();
  if (w === 'm') return MODES.m;
  return MODES[w.slice(0, 3)];
}

/**
 * Reads a Q: value. "1/4=120", "3/8=60", "C=120" (relative to L:), "120" (L: units per minute, as
 * abc2midi reads the old form); quoted text is ignored. Returns null when there is no tempo in it.
 */
export function parseTempo(value: string, unit: AbcUnitLength): AbcTempo | null {
  const v = value.replace(/"[^"]*"/g, ' ').trim();
  if (v === '') return null;
  let beatNum: number;
  let beatDen: number;
  let perMinute: number;
  const eqAt = v.indexOf('=');
  if (eqAt >= 0) {
    const left = v.slice(0, eqAt).trim();
    perMinute = Number.parseInt(v.slice(eqAt + 1).trim(), 10);
    const rel = /^C(\d*)(?:\/(\d+))?$/i.exec(left);
    if (rel) {
      const n = rel[1] === '' ? 1 : Number(rel[1]);
      const d = rel[2] === undefined ? 1 : Number(rel[2]);
      beatNum = n * unit.numerator;
      beatDen = d * unit.denominator;
    } else {
      // Several beat fractions ("1/4 3/8=...") add up.
      const parts = [...left.matchAll(/(\d+)\s*\/\s*(\d+)/g)];
      if (parts.length === 0) throw new FieldError(`cannot read tempo beat in Q:${value}`);
      beatNum = 0;
      beatDen = 1;
      for (const p of parts) {
        const n = Number(p[1]);
        const d = Number(p[2]);
        beatNum = beatNum * d + n * beatDen;
        beatDen *= d;
      }
    }
  } else {
    const m = /^(\d+)/.exec(v);
    if (!m) return null;
    perMinute = Number(m[1]);
    beatNum = unit.numerator;
    beatDen = unit.denominator;
  }
  if (!Number.isFinite(perMinute) || perMinute <= 0 || beatNum <= 0 || beatDen <= 0) {
    throw new FieldError(`malformed Q:${value}`);
  }
  return {
    bpm: (perMinute * 4 * beatNum) / beatDen,
    beat: { numerator: beatNum, denominator: beatDen },
    beatsPerMinute: perMinute,
  };
}

export const DEFAULT_TEMPO: AbcTempo = { bpm: 120, beat: { numerator: 1, denominator: 4 }, beatsPerMinute: 120 };
