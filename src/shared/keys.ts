// The 24 major and minor keys: names as people type them ("F# minor", "Bb", "Am"), labels as the UI shows them, and the key a seed picks.
import type { KeyPreset } from './generation';
import type { KeyMode } from './song';

/** Each tonic as its key is usually written: D♭ major but C♯ minor, A♭ major but G♯ minor. */
const TONIC_LABELS: Record<'major' | 'minor', readonly string[]> = {
  major: ['C', 'D♭', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'],
  minor: ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'B♭', 'B'],
};
/** The spelling used in key names that travel as text (CLI flags, parameters). */
const TONIC_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const PITCH_CLASSES: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

export interface KeyChoice {
  /** Canonical text, e.g. "Eb major"; parseKey reads it back. */
  name: string;
  label: string;
  preset: KeyPreset;
}

/** The 24 keys, majors first. */
export const KEY_CHOICES: KeyChoice[] = (['major', 'minor'] as const).flatMap((mode) =>
  TONIC_LABELS[mode].map((label, tonic) => ({ name: `${TONIC_NAMES[tonic]} ${mode}`, label: `${label} ${mode}`, preset: { tonic, mode } })),
);

/** Parses "C major", "f# minor", "Bb", "Am" into a key preset; null when the text is not a key. */
export function parseKey(text: string): KeyPreset | null {
  const m = /^\s*([A-Ga-g])\s*(#|b|♯|♭)?\s*(major|minor|maj|min|m)?\s*$/.exec(text);
  if (!m) return null;
  const accidental = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  const tonic = (PITCH_CLASSES[m[1]!.toLowerCase()]! + accidental + 12) % 12;
  const mode = m[3] === 'minor' || m[3] === 'min' || m[3] === 'm' ? 'minor' : 'major';
  return { tonic, mode };
}

/** The canonical name of a key preset, e.g. "D minor". */
export function keyName(preset: KeyPreset): string {
  return `${TONIC_NAMES[preset.tonic]} ${preset.mode}`;
}

const MODE_TONIC_LABELS = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

/** The UI label of a key, e.g. "E♭ major", "C♯ minor", "D dorian". */
export function keyLabel(key: { tonic: number; mode: KeyMode }): string {
  const tonic = ((key.tonic % 12) + 12) % 12;
  const labels = key.mode === 'major' || key.mode === 'minor' ? TONIC_LABELS[key.mode] : MODE_TONIC_LABELS;
  return `${labels[tonic]} ${key.mode}`;
}

/**
 * Keys a seed may pick for a fragment: the 18 with at most four sharps or flats, which read easily
 * (C, G, D, A, E, F, B♭, E♭, A♭ major and their relative minors).
 */
export const SEED_KEYS: readonly KeyChoice[] = KEY_CHOICES.filter((k) => {
  const major = k.preset.mode === 'major' ? k.preset.tonic : (k.preset.tonic + 3) % 12;
  return [0, 7, 2, 9, 4, 5, 10, 3, 8].includes(major);
});

/** The key a seed picks: the same seed always gives the same key (a 32-bit integer hash, so neighbouring seeds differ). */
export function keyForSeed(seed: number): KeyChoice {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return SEED_KEYS[h % SEED_KEYS.length]!;
}
