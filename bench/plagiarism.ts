// Benchmark of the plagiarism check over a real training set: index build, check time against a naive exact-LCS baseline, binary size and load time.
// Run: npx tsx bench/plagiarism.ts [--data /path/to/piano/midis] [--n 6]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import tonejsMidi from '@tonejs/midi';
const { Midi } = tonejsMidi;
import { PlagiarismIndex, lcsLengthDP, pitchIntervals, type PlagiarismReport } from '../src/main/ml/eval/plagiarism';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function midiFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...midiFiles(path));
    else if (/\.midi?$/i.test(entry)) out.push(path);
  }
  return out;
}

/** All non-percussion notes in onset order, ties by pitch (as notePitchSequence does for a NoteSequence). */
function readPitches(path: string): Uint8Array {
  const midi = new Midi(readFileSync(path));
  const notes = midi.tracks.filter((t) => !t.instrument.percussion).flatMap((t) => t.notes);
  notes.sort((a, b) => a.ticks - b.ticks || a.midi - b.midi);
  return Uint8Array.from(notes, (n) => n.midi);
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

/** Median over a few repeated runs, after the first (cold) one. */
function warmMs(fn: () => unknown, runs = 5): number {
  fn();
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) ms.push(time(fn).ms);
  return +median(ms).toFixed(2);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Deterministic random walk in the piano's middle range: an "unrelated" fragment. */
function randomWalk(length: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Uint8Array(length);
  let p = 60;
  for (let i = 0; i < length; i++) {
    p = Math.min(96, Math.max(36, p + Math.floor(rand() * 9) - 4));
    out[i] = p;
  }
  return out;
}

const dataDir = arg('data', '/work/shared/data/piano/midis');
if (!existsSync(dataDir)) {
  console.error(`no MIDI folder at ${dataDir}: pass --data <folder of .mid files>`);
  process.exit(2);
}
const n = Number(arg('n', '6'));
const QUERY = 300;

const loaded = time(() =>
  midiFiles(dataDir).map((path) => ({ id: relative(dataDir, path), name: relative(dataDir, path), pitches: readPitches(path) })),
);
const pieces = loaded.value;
const notes = pieces.reduce((sum, p) => sum + p.pitches.length, 0);

const built = time(() => PlagiarismIndex.build(pieces, { n }));
const index = built.value;

// Queries: a verbatim 300-note excerpt of one piece, a 300-note random walk, and a half-copied mix.
const victim = pieces[Math.floor(pieces.length / 2)]!;
const copyStart = Math.floor(victim.pitches.length / 3);
const copied = victim.pitches.slice(copyStart, copyStart + QUERY);
const unrelated = randomWalk(QUERY, 7);
const mixed = Uint8Array.from([...randomWalk(QUERY / 4, 8), ...victim.pitches.slice(copyStart, copyStart + QUERY / 2), ...randomWalk(QUERY / 4, 9)]);
const queries = { copied, unrelated, mixed };

const checks: Record<string, { medianMs: number; piecesCompared: number; longestRun: PlagiarismReport['longestRun']; lcs: PlagiarismReport['lcs'] }> = {};
for (const [label, q] of Object.entries(queries)) {
  for (let warm = 0; warm < 3; warm++) index.check(q);
  const runs: number[] = [];
  let report: PlagiarismReport | undefined;
  for (let r = 0; r < 15; r++) {
    const t = time(() => index.check(q));
    runs.push(t.ms);
    report = t.value;
  }
  checks[label] = { medianMs: median(runs), piecesCompared: report!.piecesCompared, longestRun: report!.longestRun, lcs: report!.lcs };
}

const exhaustive = time(() => index.check(unrelated, { exhaustive: true }));

// The naive baseline: textbook O(nm) LCS against every piece, for the unrelated query.
const naive = time(() => {
  let bestLength = 0;
  let bestPiece = '';
  for (const p of pieces) {
    const l = lcsLengthDP(unrelated, p.pitches);
    if (l > bestLength) {
      bestLength = l;
      bestPiece = p.id;
    }
  }
  return { bestLength, bestPiece };
});
const fast = index.check(unrelated);

const bytes = time(() => index.toBinary());
const reloaded = time(() => PlagiarismIndex.fromBinary(bytes.value));
const sameAfterReload = JSON.stringify(reloaded.value.check(mixed)) === JSON.stringify(index.check(mixed));

const intervalBuilt = time(() => PlagiarismIndex.build(pieces.map((p) => ({ ...p, pitches: pitchIntervals(p.pitches) })), { n }));
const transposed = Uint8Array.from(copied, (p) => p + 3);
const intervalCheck = time(() => intervalBuilt.value.check(pitchIntervals(transposed)));

console.log(
  JSON.stringify(
    {
      data: dataDir,
      pieces: pieces.length,
      notes,
      n,
      queryLength: QUERY,
      readMidiMs: Math.round(loaded.ms),
      buildMs: Math.round(built.ms),
      buildWarmMs: warmMs(() => PlagiarismIndex.build(pieces, { n })),
      indexBytes: bytes.value.length,
      toBinaryMs: +bytes.ms.toFixed(2),
      fromBinaryMs: +reloaded.ms.toFixed(2),
      fromBinaryWarmMs: warmMs(() => PlagiarismIndex.fromBinary(bytes.value)),
      sameAfterReload,
      checks,
      exhaustiveBitParallelMs: +exhaustive.ms.toFixed(1),
      naiveDpAllPiecesMs: Math.round(naive.ms),
      naiveBest: naive.value,
      indexBest: fast.lcs === null ? null : { bestLength: fast.lcs.length, bestPiece: fast.lcs.pieceId },
      naiveAgrees: fast.lcs?.length === naive.value.bestLength,
      intervalIndex: {
        buildMs: Math.round(intervalBuilt.ms),
        transposedCopyCheckMs: +intervalCheck.ms.toFixed(1),
        longestRun: intervalCheck.value.longestRun,
      },
    },
    null,
    2,
  ),
);
