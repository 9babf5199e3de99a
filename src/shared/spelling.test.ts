// Checks key-aware note names, key signatures, the seed's key and key finding against what a musician writes.
import { describe, expect, it } from 'vitest';
import { emptySequence } from './song';
import { bestKey, sequenceKey } from './keyFinding';
import { KEY_CHOICES, keyForSeed, keyLabel, parseKey, SEED_KEYS } from './keys';
import { keyFifths, pitchLabel, signatureAccidental, spellPitch } from './spelling';

const names = (pitches: number[], key: Parameters<typeof pitchLabel>[1]): string[] => pitches.map((p) => pitchLabel(p, key));

describe('spelling', () => {
  it('gives each key its signature', () => {
    const f = (t: string): number => {
      const k = parseKey(t)!;
      return keyFifths(k.tonic, k.mode);
    };
    expect([f('C'), f('G'), f('D'), f('F#'), f('Db'), f('Ab'), f('Bb'), f('F')]).toEqual([0, 1, 2, 6, -5, -4, -2, -1]);
    expect([f('Am'), f('Dm'), f('Gm'), f('C#m'), f('G#m'), f('Ebm'), f('Bbm')]).toEqual([0, -1, -2, 4, 5, -6, -5]);
    expect(keyFifths(2, 'dorian')).toBe(0);
    expect(signatureAccidental('B', -1)).toBe(-1);
    expect(signatureAccidental('E', -1)).toBe(0);
    expect(signatureAccidental('F', 2)).toBe(1);
    expect(signatureAccidental('G', 2)).toBe(0);
    expect(signatureAccidental('E', 6)).toBe(1);
  });

  it('spells D minor with B♭ and its leading tone C♯, and D♭ major with flats', () => {
    const dMinor = { tonic: 2, mode: 'minor' as const };
    // The complaint: A♯4 in D minor.
    expect(pitchLabel(70, dMinor)).toBe('B♭4');
    expect(names([62, 64, 65, 67, 69, 70, 72, 73], dMinor)).toEqual(['D4', 'E4', 'F4', 'G4', 'A4', 'B♭4', 'C5', 'C♯5']);
    expect(pitchLabel(71, dMinor)).toBe('B4');
    const dFlat = { tonic: 1, mode: 'major' as const };
    expect(names([61, 63, 65, 66, 68, 70, 72], dFlat)).toEqual(['D♭4', 'E♭4', 'F4', 'G♭4', 'A♭4', 'B♭4', 'C5']);
    // G♯ in D♭ major is A♭.
    expect(pitchLabel(68, dFlat)).toBe('A♭4');
    expect(pitchLabel(62, dFlat)).toBe('D4');
  });

  it('spells sharp keys with sharps, E♯ in F♯ major, and chromatic notes on the near side of the line of fifths', () => {
    const fSharp = { tonic: 6, mode: 'major' as const };
    expect(names([66, 68, 70, 71, 73, 75, 77], fSharp)).toEqual(['F♯4', 'G♯4', 'A♯4', 'B4', 'C♯5', 'D♯5', 'E♯5']);
    // E♯5 is the letter E in octave 5 even though it sounds as F5; B♯3 sounds as C4.
    expect(spellPitch(60, { tonic: 1, mode: 'minor' })).toEqual({ letter: 'B', accidental: 1, octave: 3 });
    // C major: F♯ and B♭ and E♭ (closest to the key), G♯ on a tie (a sharp key side).
    expect(names([66, 70, 63, 68, 61], null)).toEqual(['F♯4', 'B♭4', 'E♭4', 'G♯4', 'C♯4']);
    // F major: A♭ on a tie, flats side.
    expect(pitchLabel(68, { tonic: 5, mode: 'major' })).toBe('A♭4');
    expect(pitchLabel(21, null)).toBe('A0');
    expect(pitchLabel(108, null)).toBe('C8');
  });
});

describe('keys', () => {
  it('labels keys as they are written and parses every choice back', () => {
    expect(keyLabel({ tonic: 1, mode: 'major' })).toBe('D♭ major');
    expect(keyLabel({ tonic: 1, mode: 'minor' })).toBe('C♯ minor');
    expect(keyLabel({ tonic: 8, mode: 'minor' })).toBe('G♯ minor');
    expect(keyLabel({ tonic: 2, mode: 'dorian' })).toBe('D dorian');
    for (const k of KEY_CHOICES) expect(parseKey(k.name)).toEqual(k.preset);
  });

  it('picks a readable key from a seed, always the same one, and spreads seeds over the keys', () => {
    expect(SEED_KEYS).toHaveLength(18);
    expect(keyForSeed(42)).toEqual(keyForSeed(42));
    const seen = new Map<string, number>();
    for (let seed = 0; seed < 1800; seed++) seen.set(keyForSeed(seed).name, (seen.get(keyForSeed(seed).name) ?? 0) + 1);
    expect(seen.size).toBe(18);
    for (const count of seen.values()) expect(count).toBeGreaterThan(50);
    expect(keyForSeed(2 ** 32 - 1).name).toMatch(/ (major|minor)$/);
  });
});

describe('key finding', () => {
  it('finds the key of a scale and of a signature', () => {
    const seq = emptySequence(480);
    // D minor, harmonic: D E F G A Bb C# D, tonic and dominant held longer.
    const scale = [62, 64, 65, 67, 69, 70, 73, 74];
    seq.notes = scale.map((pitch, i) => ({ pitch, velocity: 80, startTick: i * 480, endTick: i * 480 + (pitch % 12 === 2 || pitch === 69 ? 960 : 480), track: 0 }));
    expect(sequenceKey(seq)).toEqual({ tonic: 2, mode: 'minor', from: 'estimate' });
    seq.keySignatures = [{ tick: 0, tonic: 5, mode: 'major' }];
    expect(sequenceKey(seq)).toEqual({ tonic: 5, mode: 'major', from: 'signature' });
    expect(bestKey(new Array(12).fill(0))).toBeNull();
    expect(sequenceKey(emptySequence())).toBeNull();
  });
});
