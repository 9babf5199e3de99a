// Benchmark of ABC export: time of serializeAbc as the melody doubles, against the old bar-scanning splitter in the same run.
// Run: npx tsx bench/abc-export.ts   (goal: about 2x time per doubling of notes; the old splitter grows about 4x)
import { emptySequence, type NoteSequence } from '../src/shared/song';
import { serializeAbc, splitAtBars, type Bar, type MelodyEvent, type Piece } from '../src/main/music/abc/serialize';

/** The splitter as it was before the fix: every bar scanned for every note. */
function scanEveryBar(events: readonly MelodyEvent[], bars: readonly Bar[]): Piece[] {
  const pieces: Piece[] = [];
  let cursor = 0;
  const pushSplit = (pitch: number | null, start: number, end: number): void => {
    for (const b of bars) {
      if (b.end <= start || b.start >= end) continue;
      const s = Math.max(start, b.start);
      const e = Math.min(end, b.end);
      pieces.push({ pitch, start: s, end: e, tieOn: pitch !== null && e < end });
    }
  };
  for (const ev of events) {
    if (ev.start > cursor) pushSplit(null, cursor, ev.start);
    pushSplit(ev.pitch, ev.start, ev.end);
    cursor = ev.end;
  }
  const lastBar = bars[bars.length - 1];
  if (events.length > 0 && lastBar && cursor < lastBar.end && cursor > lastBar.start) pushSplit(null, cursor, lastBar.end);
  return pieces;
}

/** n notes with rests between them; at ppq 1 a note lasts a quarter, at ppq 480 an eighth. */
function melody(n: number, ppq: number): NoteSequence {
  const seq = emptySequence(ppq);
  const len = ppq === 1 ? 1 : ppq / 2;
  for (let i = 0; i < n; i++) seq.notes.push({ pitch: 60 + ((i * 5) % 24), velocity: 80, startTick: i * len * 2, endTick: i * len * 2 + len, track: 0 });
  return seq;
}

function barsOf(seq: NoteSequence): { events: MelodyEvent[]; bars: Bar[] } {
  const events = seq.notes.map((n) => ({ pitch: n.pitch, start: n.startTick, end: n.endTick }));
  const bars: Bar[] = [];
  const end = events.at(-1)?.end ?? 0;
  for (let t = 0; t < end; t += seq.ppq * 4) bars.push({ start: t, end: t + seq.ppq * 4 });
  return { events, bars };
}

function ms(fn: () => unknown): number {
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    fn();
    runs.push(performance.now() - t0);
  }
  return +runs.sort((a, b) => a - b)[1]!.toFixed(1);
}

function cpuMs(fn: () => unknown): number {
  const t0 = process.cpuUsage();
  fn();
  const d = process.cpuUsage(t0);
  return +((d.user + d.system) / 1000).toFixed(1);
}

const growth = (xs: number[]) => xs.slice(1).map((x, i) => +(x / Math.max(xs[i]!, 0.05)).toFixed(2));

const result: Record<string, unknown> = {};
for (const ppq of [1, 480]) {
  const sizes = ppq === 1 ? [25_000, 50_000, 100_000, 200_000] : [10_000, 20_000, 40_000, 80_000];
  const exportMs = sizes.map((n) => ms(() => serializeAbc(melody(n, ppq))));
  // The old splitter only at the sizes it finishes in seconds; the new one beside it on the same input.
  const baselineSizes = ppq === 1 ? [5_000, 10_000, 20_000] : [10_000, 20_000, 40_000];
  const oldSplitMs: number[] = [];
  const newSplitMs: number[] = [];
  let identical = true;
  for (const n of baselineSizes) {
    const { events, bars } = barsOf(melody(n, ppq));
    let oldPieces: Piece[] = [];
    let newPieces: Piece[] = [];
    oldSplitMs.push(cpuMs(() => (oldPieces = scanEveryBar(events, bars))));
    newSplitMs.push(cpuMs(() => (newPieces = splitAtBars(events, bars))));
    identical &&= JSON.stringify(oldPieces) === JSON.stringify(newPieces);
  }
  result[`ppq${ppq}`] = {
    notes: sizes,
    serializeAbcMs: exportMs,
    growthPerDoubling: growth(exportMs),
    baseline: { notes: baselineSizes, oldSplitCpuMs: oldSplitMs, oldGrowthPerDoubling: growth(oldSplitMs), newSplitCpuMs: newSplitMs, piecesIdentical: identical },
  };
}
console.log(JSON.stringify({ goal: 'serializeAbc time about 2x per doubling of notes', ...result }, null, 2));
