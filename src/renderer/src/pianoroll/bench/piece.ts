// Generates a plausible piano piece (melody over chords and bass) for the piano-roll benchmark and screenshots.
import { emptySequence, type Note, type NoteSequence } from '../../../../shared/song';

/** Deterministic so benchmark runs and screenshots are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
/** I - vi - IV - V - I - IV - ii - V, as scale degrees of the chord roots. */
const PROGRESSION = [0, 5, 3, 4, 0, 3, 1, 4];

/**
 * `bars` bars of 4/4 in C major: an eighth-and-quarter melody walking the scale in
 * phrases that swell and relax, triads on beats 1 and 3, and a bass note per half bar.
 */
export function generatePiece(bars: number, seed = 1, ppq = 480): NoteSequence {
  const r = rng(seed);
  const notes: Note[] = [];
  const bar = ppq * 4;
  let degree = 9; // scale steps above C3
  const pitchOf = (d: number) => 48 + Math.floor(d / 7) * 12 + MAJOR[((d % 7) + 7) % 7]!;
  for (let b = 0; b < bars; b++) {
    const root = PROGRESSION[b % PROGRESSION.length]!;
    const t0 = b * bar;
    const phrase = (b % 4) / 3; // 0..1 over a four-bar phrase
    const swell = Math.sin(phrase * Math.PI);
    for (let half = 0; half < 2; half++) {
      const t = t0 + half * 2 * ppq;
      notes.push({ pitch: pitchOf(root - 7), startTick: t, endTick: t + 2 * ppq - 20, velocity: Math.round(70 + 14 * swell), track: 0 });
      for (const third of [0, 2, 4]) {
        notes.push({ pitch: pitchOf(root + third), startTick: t, endTick: t + ppq * 1.5, velocity: Math.round(48 + 16 * swell + r() * 8), track: 0 });
      }
    }
    let t = t0;
    while (t < t0 + bar) {
      const len = r() < 0.7 ? ppq / 2 : ppq;
      const step = Math.round((r() - 0.5) * 4);
      degree = Math.min(20, Math.max(7, degree + (step === 0 ? 1 : step)));
      // Strong beats lean towards chord tones.
      const onBeat = (t - t0) % ppq === 0;
      const d = onBeat && r() < 0.6 ? root + 7 + [0, 2, 4][Math.floor(r() * 3)]! + (degree > 14 ? 7 : 0) : degree;
      const accent = (t - t0) % (2 * ppq) === 0 ? 10 : 0;
      notes.push({
        pitch: pitchOf(d),
        startTick: t,
        endTick: t + len - 10,
        velocity: Math.min(127, Math.round(72 + 30 * swell + accent + r() * 10)),
        track: 0,
      });
      t += len;
    }
  }
  // One final sustained chord, so the long-note path of the index is exercised too.
  const end = bars * bar;
  for (const p of [48, 55, 60, 64, 67]) notes.push({ pitch: p, startTick: end, endTick: end + 2 * bar, velocity: 70, track: 0 });
  return { ...emptySequence(ppq), notes, meta: { title: `Generated study (${notes.length} notes)` } };
}

/** A piece with exactly `count` notes (the last bars are trimmed). */
export function pieceWithNotes(count: number, seed = 1): NoteSequence {
  const seq = generatePiece(Math.ceil(count / 10), seed);
  const notes = seq.notes.slice(0, count);
  return { ...seq, notes, meta: { title: `Generated study (${notes.length} notes)` } };
}
