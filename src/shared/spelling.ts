// Notes named as a musician reads them in a key: B♭ in D minor, C♯ as its leading tone, A♭ in D♭ major, never A♯ for all.
import type { KeyMode } from './song';
import type { MidiNote } from './units';

export type Letter = 'C' | 'D' | 'E' | 'F' | 'G' | 'A' | 'B';

/** Position of each natural on the line of fifths (C = 0, G = 1, … F = -1). */
const LETTER_FIFTHS: Record<Letter, number> = { F: -1, C: 0, G: 1, D: 2, A: 3, E: 4, B: 5 };
const LETTER_PC: Record<Letter, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const LETTERS: readonly Letter[] = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
/** Semitones from the tonic of the major key with the same signature up to each mode's tonic. */
const MODE_DEGREE: Record<KeyMode, number> = { major: 0, dorian: 2, phrygian: 4, lydian: 5, mixolydian: 7, minor: 9, locrian: 11 };
/** Sharps (positive) or flats (negative) of each major key by tonic pitch class, the spelling with fewer accidentals (F♯ over G♭). */
const MAJOR_FIFTHS = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];

const mod12 = (n: number): number => ((n % 12) + 12) % 12;

/** The key signature of a key: sharps (positive) or flats (negative), as few as possible. */
export function keyFifths(tonic: number, mode: KeyMode): number {
  // E♭ minor (6 flats) and D♯ minor (6 sharps) tie; the flat side matches the key names the studio uses.
  if (mode === 'minor' && mod12(tonic) === 3) return -6;
  return MAJOR_FIFTHS[mod12(tonic - MODE_DEGREE[mode])]!;
}

export interface Spelling {
  letter: Letter;
  /** -2 .. 2: double flat .. double sharp. */
  accidental: number;
  /** Scientific octave of the letter (B♯3 sounds as C4). */
  octave: number;
}

/** A key as spelling needs it; `null` spells as C major does. */
export interface SpellingKey {
  tonic: number;
  mode: KeyMode;
}

/**
 * Spells a pitch in a key. Notes of the key's scale take its spelling; a minor key's raised sixth and seventh are
 * spelled as raised degrees (C♯ in D minor); any other note takes whichever of its two spellings lies closer to the
 * key on the line of fifths (Temperley's rule), sharps winning a tie in sharp keys and flats in flat keys.
 */
export function spellPitch(pitch: MidiNote, key: SpellingKey | null = null): Spelling {
  const tonic = key ? mod12(key.tonic) : 0;
  const mode = key?.mode ?? 'major';
  const fifths = keyFifths(tonic, mode);
  const pc = mod12(pitch);
  let choice: { letter: Letter; accidental: number } | null = null;
  if (mode === 'minor' && (pc === mod12(tonic + 11) || pc === mod12(tonic + 9))) {
    // Degree 7 (or 6) of the natural minor, raised by one semitone.
    const degree = pc === mod12(tonic + 11) ? 6 : 5;
    const tonicLetter = diatonicSpelling(tonic, fifths)!.letter;
    const letter = LETTERS[(LETTERS.indexOf(tonicLetter) + degree) % 7]!;
    choice = { letter, accidental: accidentalFor(letter, pc) };
  }
  choice ??= diatonicSpelling(pc, fifths);
  if (!choice) {
    // The line of fifths: the key's seven notes lie at fifths-1 .. fifths+5 (shifted by the mode), centred on fifths+2.
    const centre = fifths + 2;
    const candidates = candidatesFor(pc).sort((a, b) => {
      const da = Math.abs(a.position - centre);
      const db = Math.abs(b.position - centre);
      if (da !== db) return da - db;
      return fifths < 0 ? a.accidental - b.accidental : b.accidental - a.accidental;
    });
    choice = candidates[0]!;
  }
  const octave = Math.floor((pitch - choice.accidental - LETTER_PC[choice.letter]) / 12) - 1;
  return { letter: choice.letter, accidental: choice.accidental, octave };
}

/** The spelling a pitch class has in a key's scale, or null when it is not in the scale. */
function diatonicSpelling(pc: number, fifths: number): { letter: Letter; accidental: number } | null {
  for (const letter of LETTERS) {
    const accidental = signatureAccidental(letter, fifths);
    if (mod12(LETTER_PC[letter] + accidental) === pc) return { letter, accidental };
  }
  return null;
}

/** What a key signature does to a letter: +1 for each sharp that reaches it, -1 for each flat. */
export function signatureAccidental(letter: Letter, fifths: number): number {
  const p = LETTER_FIFTHS[letter];
  // Sharps are added in the order F C G D A E B (positions -1..5), flats in the order B E A D G C F.
  if (fifths > 0) return Math.floor((fifths - 1 - (p + 1) + 7) / 7);
  if (fifths < 0) return -Math.floor((-fifths - 1 - (5 - p) + 7) / 7) || 0;
  return 0;
}

function accidentalFor(letter: Letter, pc: number): number {
  let a = mod12(pc - LETTER_PC[letter]);
  if (a > 6) a -= 12;
  return a;
}

function candidatesFor(pc: number): { letter: Letter; accidental: number; position: number }[] {
  const out: { letter: Letter; accidental: number; position: number }[] = [];
  for (const letter of LETTERS) {
    const accidental = accidentalFor(letter, pc);
    if (Math.abs(accidental) <= 1) out.push({ letter, accidental, position: LETTER_FIFTHS[letter] + 7 * accidental });
  }
  return out;
}

const SIGNS: Record<number, string> = { [-2]: '𝄫', [-1]: '♭', 0: '', 1: '♯', 2: '𝄪' };

/** "B♭4": a pitch's name in a key, as labels show it. */
export function pitchLabel(pitch: MidiNote, key: SpellingKey | null = null): string {
  const s = spellPitch(pitch, key);
  return `${s.letter}${SIGNS[s.accidental] ?? ''}${s.octave}`;
}
