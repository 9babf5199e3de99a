// Chord symbols in quotes ("Am", "G7", "D/F#", Nottingham's "Cd" and "D/f+"): root, quality, bass, voicing.
import type { MidiNote } from '../../../shared/units';
import { LETTER_PC } from './fields';
import type { ChordQuality, NoteLetter } from './types';

export interface ChordSymbol {
  root: number;
  quality: ChordQuality;
  bass?: number;
}

/** Suffix spellings, longest first so "m7b5" wins over "m". */
const QUALITIES: ReadonlyArray<[string, ChordQuality]> = [
  ['maj7', 'major7'], ['maj9', 'major9'], ['m7b5', 'halfDiminished7'], ['dim7', 'diminished7'], ['aug7', 'augmented7'],
  ['7sus4', 'dominant7sus4'], ['7b9', 'dominant7flat9'], ['min7', 'minor7'], ['min9', 'minor9'], ['min6', 'minor6'],
  ['sus4', 'sus4'], ['sus2', 'sus2'], ['sus', 'sus4'], ['dim', 'diminished'], ['aug', 'augmented'], ['min', 'minor'],
  ['maj', 'major'], ['M7', 'major7'], ['M9', 'major9'], ['m7', 'minor7'], ['m9', 'minor9'], ['m6', 'minor6'],
  ['a7', 'augmented7'], ['+7', 'augmented7'], ['d7', 'diminished7'], ['o7', 'diminished7'],
  ['m', 'minor'], ['d', 'diminished'], ['o', 'diminished'], ['a', 'augmented'], ['+', 'augmented'],
  ['7', 'dominant7'], ['6', 'sixth'], ['9', 'ninth'], ['5', 'power'], ['M', 'major'], ['', 'major'],
];

/** Semitones above the root. */
export const CHORD_INTERVALS: Record<ChordQuality, readonly number[]> = {
  major: [0, 4, 7],
  minor: [0, 3, 7],
  dominant7: [0, 4, 7, 10],
  major7: [0, 4, 7, 11],
  minor7: [0, 3, 7, 10],
  diminished: [0, 3, 6],
  diminished7: [0, 3, 6, 9],
  halfDiminished7: [0, 3, 6, 10],
  augmented: [0, 4, 8],
  augmented7: [0, 4, 8, 10],
  sixth: [0, 4, 7, 9],
  minor6: [0, 3, 7, 9],
  ninth: [0, 4, 7, 10, 14],
  minor9: [0, 3, 7, 10, 14],
  major9: [0, 4, 7, 11, 14],
  dominant7flat9: [0, 4, 7, 10, 13],
  sus4: [0, 5, 7],
  sus2: [0, 2, 7],
  dominant7sus4: [0, 5, 7, 10],
  power: [0, 7],
};

/** Reads a note name: "F#", "Bb", and the Nottingham forms "f+" (F sharp), "bb", "e-". */
function readNoteName(s: string): { pc: number; rest: string } | null {
  const m = /^([A-Ga-g])(#|b|\+|-|♯|♭)?/.exec(s);
  if (!m) return null;
  const letter = m[1]!.toUpperCase() as NoteLetter;
  const acc = m[2];
  const shift = acc === '#' || acc === '+' || acc === '♯' ? 1 : acc === 'b' || acc === '-' || acc === '♭' ? -1 : 0;
  return { pc: (LETTER_PC[letter] + shift + 12) % 12, rest: s.slice(m[0].length) };
}

/**
 * Parses a chord symbol. Returns null for text that is not a chord (annotations starting with
 * ^ _ < > @, or words); parentheses around an optional chord are dropped.
 */
export function parseChordSymbol(symbol: string): ChordSymbol | null {
  let s = symbol.trim();
  if (s === '' || /^[\^_<>@]/.test(s)) return null;
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1).trim();
  const m = /^([A-G])(#|b|♯|♭)?(.*)$/.exec(s);
  if (!m) return null;
  const root = (LETTER_PC[m[1] as NoteLetter] + (m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0) + 12) % 12;
  let rest = m[3]!;
  let bass: number | undefined;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const b = readNoteName(rest.slice(slash + 1));
    if (!b || b.rest.trim() !== '') return null;
    bass = b.pc;
    rest = rest.slice(0, slash);
  }
  rest = rest.trim();
  const q = QUALITIES.find(([suffix]) => suffix === rest);
  if (!q) return null;
  return bass === undefined ? { root, quality: q[1] } : { root, quality: q[1], bass };
}

/**
 * Block-chord voicing for the accompaniment track: the root between C3 and B3 with the chord
 * tones above it, and the bass note of a slash chord added below in octave 2.
 */
export function chordPitches(chord: ChordSymbol): MidiNote[] {
  const rootPitch = 48 + chord.root;
  const tones = CHORD_INTERVALS[chord.quality].map((i) => rootPitch + i);
  if (chord.bass === undefined || chord.bass === chord.root) return tones;
  return [36 + chord.bass, ...tones];
}
