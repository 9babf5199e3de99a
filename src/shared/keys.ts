// The 24 major and minor keys: names as people type them ("F# minor", "Bb", "Am"), labels as the UI shows them.
import type { KeyPreset } from './generation';

const TONIC_LABELS = ['C', 'C♯/D♭', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];
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
  TONIC_LABELS.map((label, tonic) => ({ name: `${TONIC_NAMES[tonic]} ${mode}`, label: `${label} ${mode}`, preset: { tonic, mode } })),
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

/** The UI label of a key preset, e.g. "E♭ major". */
export function keyLabel(preset: KeyPreset): string {
  return `${TONIC_LABELS[preset.tonic]} ${preset.mode}`;
}
