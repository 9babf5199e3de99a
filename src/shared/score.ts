// A piece as a score shows it: notes snapped to a grid the composer chooses, no two of one pitch overlapping, in a key.
import type { KeyMode, Note, NoteSequence } from './song';
import { DEFAULT_PPQ } from './units';

/** Grids a score can be drawn on: quarter notes … thirty-second notes (1/division of a whole note). */
export const SCORE_GRIDS = [4, 8, 16, 32] as const;
export type ScoreGrid = (typeof SCORE_GRIDS)[number];

/** The same piece at another resolution; every tick is rounded to the nearest new tick. */
export function withPpq(seq: NoteSequence, ppq: number): NoteSequence {
  if (seq.ppq === ppq) return seq;
  const at = (t: number): number => Math.round((t * ppq) / seq.ppq);
  return {
    ...seq,
    ppq,
    notes: seq.notes.map((n) => ({ ...n, startTick: at(n.startTick), endTick: at(n.endTick) })),
    tempos: seq.tempos.map((t) => ({ ...t, tick: at(t.tick) })),
    timeSignatures: seq.timeSignatures.map((t) => ({ ...t, tick: at(t.tick) })),
    keySignatures: seq.keySignatures.map((k) => ({ ...k, tick: at(k.tick) })),
    pedals: seq.pedals.map((p) => ({ ...p, tick: at(p.tick) })),
    sections: seq.sections.map((s) => ({ ...s, startTick: at(s.startTick), endTick: at(s.endTick) })),
  };
}

/**
 * Snaps every note's onset and release to the grid (a note never shrinks to nothing: it keeps one step), and ends
 * a note where the next one of the same pitch begins, so that a score can tie and beam them. A piece without a
 * key signature is given `key`. The piece itself is not changed: this is for display and export only.
 */
export function quantizeForScore(piece: NoteSequence, grid: ScoreGrid, key: { tonic: number; mode: KeyMode } | null = null): NoteSequence {
  // A resolution the grid does not divide is first brought to the studio's own.
  const seq = (piece.ppq * 4) % grid === 0 ? piece : withPpq(piece, DEFAULT_PPQ);
  const step = (seq.ppq * 4) / grid;
  const snap = (t: number): number => Math.round(t / step) * step;
  const byPitch = new Map<number, Note[]>();
  for (const n of seq.notes) {
    const start = snap(n.startTick);
    const end = Math.max(start + step, snap(n.endTick));
    let list = byPitch.get(n.pitch);
    if (!list) byPitch.set(n.pitch, (list = []));
    list.push({ ...n, startTick: start, endTick: end });
  }
  // A piano has one string per pitch: a key struck twice at once sounds once, and a second stroke ends the first.
  const notes: Note[] = [];
  for (const list of byPitch.values()) {
    list.sort((a, b) => a.startTick - b.startTick || b.endTick - a.endTick || a.track - b.track);
    let prev: Note | null = null;
    for (const n of list) {
      if (prev && n.startTick === prev.startTick) continue;
      if (prev && n.startTick < prev.endTick) prev.endTick = n.startTick;
      notes.push(n);
      prev = n;
    }
  }
  notes.sort((a, b) => a.startTick - b.startTick || a.pitch - b.pitch);
  const keySignatures = seq.keySignatures.length > 0 || !key ? seq.keySignatures : [{ tick: 0, tonic: key.tonic, mode: key.mode }];
  return { ...seq, notes, keySignatures };
}
