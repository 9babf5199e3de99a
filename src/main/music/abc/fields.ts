// Reads the values of ABC information fields (M:, L:, K:, Q:) the way abc2midi interprets them.
import type { KeyMode } from '../../../shared/song';
import type { AbcKey, AbcMeter, AbcTempo, AbcUnitLength, NoteLetter } from './types';

export const LETTERS: readonly NoteLetter[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
/** Pitch class of each letter. */
export const LETTER_PC: Record<NoteLetter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
/** Order in which key signatures add sharps; flats come in the reverse order. */
const SHARP_ORDER: readonly NoteLetter[] = ['F', 'C', 'G', 'D', 'A', 'E', 'B'];
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

/** A K: (or V:) value as abc2midi's parsekey reads it: the key, its signature and explicit accidentals, clef octave, transposition. */
export interface KeyDetails {
  key: AbcKey;
  /** A tonic, none or Hp was given; abc2midi changes no accidentals otherwise. */
  gotKey: boolean;
  /** "exp", or accidentals without a tonic: the previous signature stays and only the listed letters change. */
  explicitOnly: boolean;
  /** Shift of each letter from the number of sharps or flats alone. */
  signature: Record<NoteLetter, number>;
  explicit: Array<[NoteLetter, number]>;
  /** Octave shift of a clef given (treble-8 is -1), when a clef was given. */
  clefOffset?: number;
  octave?: number;
  transpose?: number;
  /** sound=, shift= or instrument=, which this reader does not perform. */
  sound?: string;
}

/** abc2midi's mode names: the first three letters count, "m" only alone; the last match wins. */
const ABC2MIDI_MODES: ReadonlyArray<[string, KeyMode, number]> = [
  ['maj', 'major', 0], ['min', 'minor', -3], ['m', 'minor', -3], ['aeo', 'minor', -3], ['loc', 'locrian', -5],
  ['ion', 'major', 0], ['dor', 'dorian', -2], ['phr', 'phrygian', -4], ['lyd', 'lydian', 1], ['mix', 'mixolydian', -1],
];
const CLEF_NAMES = ['treble', 'alto', 'bass', 'soprano', 'mezzosoprano', 'tenor', 'baritone', 'tab'];

function modeMatch(word: string): [KeyMode, number] | undefined {
  let found: [KeyMode, number] | undefined;
  const w = word.toLowerCase().slice(0, 3);
  for (const [name, mode, shift] of ABC2MIDI_MODES) if (w === name) found = [mode, shift];
  return found;
}

/** abc2midi's get_clef_octave_offset: +8 and -8 shift by an octave, +15 and -15 by two. */
function clefOctave(ending: string): number {
  if (ending.startsWith('+8')) return 1;
  if (ending.startsWith('+1')) return 2;
  if (ending.startsWith('-8')) return -1;
  if (ending.startsWith('-1')) return -2;
  return 0;
}

/** A clef name (treble, bass-8, F4, perc ...): its octave offset, or undefined when it is no clef. */
function clefOf(word: string, afterClefEquals: boolean): number | undefined {
  for (const name of CLEF_NAMES) if (word.startsWith(name)) return clefOctave(word.slice(name.length));
  if (afterClefEquals) {
    for (const name of ['auto', 'perc', 'none']) if (word.startsWith(name)) return clefOctave(word.slice(name.length));
    if (/^[CFG][1-5]/.test(word)) return clefOctave(word.slice(2));
  }
  return undefined;
}

/**
 * Reads a K: value as abc2midi's parsekey: tonic and mode (maj, min, m, mix, dor, phr, lyd, loc, aeo, ion), none, Hp,
 * explicit accidentals such as ^f _b =c, "exp", a clef (clef=bass, treble-8), octave= and transpose=. With `voice`,
 * only the clef, octave and transposition of a V: field are wanted.
 */
export function parseKeyDetails(value: string, warn: (msg: string) => void, voice = false): KeyDetails {
  const words = value
    .replace(/%.*$/, '')
    .replace(/\b([A-Za-z]{2,})\s*=\s*/g, '$1=')
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '');
  let sf = 0;
  let gotKey = false;
  let explicitOnly = false;
  let modNotes = false;
  let tonicName = 'C';
  let mode: KeyMode = 'major';
  const explicit: Array<[NoteLetter, number]> = [];
  const out: Partial<KeyDetails> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const eq = /^([A-Za-z]+)=(.*)$/.exec(w);
    if (eq) {
      const lname = eq[1]!.toLowerCase();
      const arg = eq[2]!;
      if (lname === 'clef') {
        const off = clefOf(arg, true);
        if (off !== undefined) out.clefOffset = off;
      } else if (lname === 'transpose') out.transpose = Number.parseInt(arg, 10) || 0;
      else if (lname === 'octave') out.octave = Number.parseInt(arg, 10) || 0;
      else if (lname === 'sound' || lname === 'shift' || lname === 'instrument') out.sound = lname;
      // score=, middle=, name=, subname=, stem= and the like change only how the music is printed.
      continue;
    }
    const off = clefOf(w, false);
    if (off !== undefined) {
      out.clefOffset = off;
      continue;
    }
    if (voice) continue;
    if (/^hp$/i.test(w)) {
      // abc2midi compares without case, so HP and Hp both sharpen F and C.
      sf = 2;
      gotKey = true;
      tonicName = w === 'HP' ? 'C' : 'D';
      mode = 'mixolydian';
      continue;
    }
    if (/^none$/i.test(w)) {
      gotKey = true;
      sf = 0;
      continue;
    }
    if (/^exp$/i.test(w)) {
      explicitOnly = true;
      continue;
    }
    const k = /^([A-G])([#b]?)(.*)$/.exec(w);
    if (k && !gotKey) {
      gotKey = true;
      tonicName = k[1]! + k[2]!;
      sf = 'FCGDAEB'.indexOf(k[1]!) - 1 + (k[2] === '#' ? 7 : k[2] === 'b' ? -7 : 0);
      let rest = k[3]!;
      if (rest === '' && i + 1 < words.length && modeMatch(words[i + 1]!) !== undefined) rest = words[++i]!;
      if (rest !== '') {
        const md = modeMatch(rest);
        if (md) {
          mode = md[0];
          sf += md[1];
        } else warn(`unknown mode "${rest}" in K:${value.trim()}, using major`);
      }
      // abc2midi folds signatures beyond seven sharps or flats back by twelve fifths (G# major reads as Ab major).
      if (sf > 7) sf -= 12;
      if (sf < -7) sf += 12;
      continue;
    }
    const acc = /^(\^\^|\^|__|_|=)([A-Ga-g])$/.exec(w);
    if (acc) {
      const shift = acc[1] === '^^' ? 2 : acc[1] === '^' ? 1 : acc[1] === '__' ? -2 : acc[1] === '_' ? -1 : 0;
      explicit.push([acc[2]!.toUpperCase() as NoteLetter, shift]);
      modNotes = true;
      continue;
    }
    warn(`ignoring "${w}" in K:${value.trim()}`);
  }
  if (modNotes && !gotKey) explicitOnly = true;
  const signature = signatureAccidentals(sf);
  const accidentals = explicitOnly ? { ...C_MAJOR.accidentals } : { ...signature };
  for (const [letter, shift] of explicit) accidentals[letter] = shift;
  const tonicPc = ((LETTER_PC[tonicName[0] as NoteLetter] + (tonicName[1] === '#' ? 1 : tonicName[1] === 'b' ? -1 : 0)) % 12 + 12) % 12;
  const key: AbcKey = { tonic: tonicPc, tonicName, mode, fifths: sf, accidentals };
  return { key, gotKey, explicitOnly, signature, explicit, ...out };
}

/**
 * Reads a K: value (see parseKeyDetails); "exp" keeps only the explicit accidentals. Returns null for a K: that
 * only sets a clef or other key=value words.
 */
export function parseKey(value: string, warn: (msg: string) => void): AbcKey | null {
  if (value.replace(/%.*$/, '').trim() === '') return C_MAJOR;
  const d = parseKeyDetails(value, warn);
  return d.gotKey || d.explicit.length > 0 ? d.key : null;
}

/** abc2midi's tempo names (get_tempo_from_name), for a Q: that gives only a name. */
const TEMPO_NAMES: Record<string, number> = {
  larghissimo: 40, adagissimo: 44, lentissimo: 48, largo: 56, adagio: 59, lento: 62, larghetto: 66, adagietto: 76,
  andante: 88, andantino: 96, moderato: 104, allegretto: 112, allegro: 120, vivace: 168, vivo: 180, presto: 192,
  allegrissimo: 208, vivacissimo: 220, prestissimo: 240,
};

/**
 * Reads a Q: value as abc2midi's parse_tempo: "1/4=120", "3/8=60", "C=120" or "C3=60" (relative to L:), a plain
 * "120" (crotchets per minute), a leading quoted text ("Allegro" 1/4=140) and a name alone ("Allegro").
 * Returns null when there is no tempo in it.
 */
export function parseTempo(value: string, unit: AbcUnitLength): AbcTempo | null {
  let v = value.trim();
  let pre = '';
  const quoted = /^"([^"]*)"?/.exec(v);
  if (quoted) {
    pre = quoted[1]!;
    v = v.slice(quoted[0].length);
  }
  let beatNum = 1;
  let beatDen = 4;
  let relative = false;
  let rest = v;
  if (v.includes('=')) {
    const m = /^\s*([A-Ga-g])?\s*(\d*)(?:\/(\d*))?\s*=/.exec(v);
    if (!m) throw new FieldError(`cannot read tempo beat in Q:${value}`);
    relative = m[1] !== undefined;
    beatNum = m[2] ? Number(m[2]) : 1;
    beatDen = m[3] === undefined ? 1 : m[3] === '' ? 2 : Number(m[3]);
    rest = v.slice(m[0].length);
  }
  let perMinute = Number(/^\s*(\d+)/.exec(rest)?.[1] ?? 0);
  if (perMinute === 0) perMinute = TEMPO_NAMES[pre.trim().toLowerCase()] ?? 0;
  if (perMinute === 0) {
    if (v.trim() === '' && pre === '') return null;
    if (/^\s*$/.test(rest) && pre !== '') return null;
    throw new FieldError(`malformed Q:${value}`);
  }
  if (beatNum <= 0 || beatDen <= 0) throw new FieldError(`malformed Q:${value}`);
  if (relative) {
    beatNum *= unit.numerator;
    beatDen *= unit.denominator;
  }
  return {
    bpm: (perMinute * 4 * beatNum) / beatDen,
    beat: { numerator: beatNum, denominator: beatDen },
    beatsPerMinute: perMinute,
  };
}

export const DEFAULT_TEMPO: AbcTempo = { bpm: 120, beat: { numerator: 1, denominator: 4 }, beatsPerMinute: 120 };
