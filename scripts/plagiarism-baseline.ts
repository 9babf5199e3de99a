// Measures what unrelated music scores in the plagiarism check, by length: the chance level the badge compares a fragment's LCS with.
// Run: npx tsx scripts/plagiarism-baseline.ts --index resources/models/piano-conditional-char-rnn/plagiarism.bin \
//   --piano /work/shared/data/piano/midis --nottingham /work/shared/data/nottingham/ABC_cleaned \
//   --jsb /work/shared/data/jsb/jsb-chorales-quarter.json [--samples 120] [--seed 1] [--out src/shared/plagiarismBaseline.json]
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAbc } from '../src/main/music/abc';
import { importMidi } from '../src/main/music/midi';
import { notePitchSequence, PlagiarismIndex } from '../src/main/ml/eval/plagiarism';

const { values } = parseArgs({
  options: {
    index: { type: 'string' },
    piano: { type: 'string' },
    nottingham: { type: 'string' },
    jsb: { type: 'string' },
    samples: { type: 'string', default: '120' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
if (!values.index || !values.piano || !values.nottingham || !values.jsb) {
  console.error('usage: --index <plagiarism.bin> --piano <piano-midi.de midis folder> --nottingham <ABC folder> --jsb <jsb-chorales-quarter.json>');
  process.exit(2);
}
const SAMPLES = Number(values.samples);
const LENGTHS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

const indexBytes = new Uint8Array(readFileSync(values.index));
const index = PlagiarismIndex.fromBinary(indexBytes);
// The index names its pieces by file path under the data folder: whatever it lacks was held out of training.
const metaLength = new DataView(indexBytes.buffer, indexBytes.byteOffset).getUint32(28, true);
const indexed = new Set((JSON.parse(new TextDecoder().decode(indexBytes.subarray(32, 32 + metaLength))) as { ids: string[] }).ids);

function midiFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...midiFiles(path));
    else if (/\.midi?$/i.test(name)) out.push(path);
  }
  return out;
}

/** Each source: pieces as pitch sequences in onset order, the same symbols the check indexes. */
const sources: Record<string, { label: string; pieces: Uint8Array[] }> = {
  'piano-held-out': {
    label: 'piano-midi.de pieces held out of training (not in the index)',
    pieces: midiFiles(values.piano)
      .filter((f) => !indexed.has(relative(values.piano!, f)))
      .map((f) => notePitchSequence(importMidi(new Uint8Array(readFileSync(f))))),
  },
  nottingham: {
    label: 'Nottingham folk tunes (melodies, ABC)',
    pieces: readdirSync(values.nottingham)
      .filter((f) => f.endsWith('.abc'))
      .sort()
      .flatMap((f) => parseAbc(readFileSync(join(values.nottingham!, f), 'utf8')).map((t) => notePitchSequence({ ...t.sequence, notes: t.sequence.notes.filter((n) => n.track === 0) }))),
  },
  'jsb-chorales': {
    label: 'J.S. Bach chorales (train and valid splits, four voices, quarter-note steps)',
    pieces: (() => {
      const data = JSON.parse(readFileSync(values.jsb, 'utf8')) as Record<string, number[][][]>;
      // Each step is a chord struck on that beat; pitches within it go low to high, as notePitchSequence orders them.
      return [...(data.train ?? []), ...(data.valid ?? [])].map((steps) => Uint8Array.from(steps.flatMap((chord) => [...chord].sort((a, b) => a - b))));
    })(),
  },
};

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5))]!;
const round = (x: number, digits = 4): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Mulberry32: a small seeded generator, so that a run can be repeated exactly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(Number(values.seed));
const table: Record<string, { label: string; pieces: number; notes: number; rows: unknown[] }> = {};
const t0 = Date.now();
for (const [name, source] of Object.entries(sources)) {
  // One long stream, the pieces end to end in a shuffled order, so that any length can be cut from it.
  const order = source.pieces.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const stream = new Uint8Array(source.pieces.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const i of order) {
    stream.set(source.pieces[i]!, at);
    at += source.pieces[i]!.length;
  }
  const rows = [];
  for (const length of LENGTHS) {
    if (length > stream.length) break;
    const ratios: number[] = [];
    const runs: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const start = Math.floor(rng() * (stream.length - length + 1));
      const report = index.check(stream.subarray(start, start + length), { topK: 1 });
      ratios.push(report.lcs?.ratio ?? 0);
      runs.push(report.longestRun?.length ?? 0);
    }
    ratios.sort((a, b) => a - b);
    runs.sort((a, b) => a - b);
    const row = {
      length,
      samples: SAMPLES,
      lcsRatio: { mean: round(ratios.reduce((a, b) => a + b, 0) / ratios.length), p05: round(quantile(ratios, 0.05)), p50: round(quantile(ratios, 0.5)), p95: round(quantile(ratios, 0.95)), max: round(ratios[ratios.length - 1]!) },
      longestRun: { p50: quantile(runs, 0.5), p95: quantile(runs, 0.95), max: runs[runs.length - 1]! },
    };
    rows.push(row);
    console.error(`${name} ${length}: LCS mean ${row.lcsRatio.mean} p95 ${row.lcsRatio.p95}; longest run p95 ${row.longestRun.p95} max ${row.longestRun.max} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  table[name] = { label: source.label, pieces: source.pieces.length, notes: stream.length, rows };
}

// The shipped models whose index is this very file: the UI applies the table to fragments scored against them.
const sha256 = createHash('sha256').update(indexBytes).digest('hex');
const modelsDir = join(process.cwd(), 'resources', 'models');
const models = readdirSync(modelsDir)
  .filter((d) => {
    try {
      return createHash('sha256').update(readFileSync(join(modelsDir, d, 'plagiarism.bin'))).digest('hex') === sha256;
    } catch {
      return false;
    }
  })
  .map((d) => (JSON.parse(readFileSync(join(modelsDir, d, 'model.json'), 'utf8')) as { id: string }).id)
  .sort();

const result = {
  about: 'What unrelated music of each length scores against the shipped piano corpus in the plagiarism check (docs/plagiarism.md). Written by scripts/plagiarism-baseline.ts; do not edit by hand.',
  corpus: {
    name: 'piano-midi.de train split',
    pieces: index.pieceCount,
    notes: index.corpusLength,
    sha256,
    models,
  },
  reference: 'piano-held-out',
  measured: { samplesPerLength: SAMPLES, seed: Number(values.seed), lengths: LENGTHS },
  sources: table,
};
const text = `${JSON.stringify(result, null, 2)}\n`;
if (values.out) writeFileSync(values.out, text);
else process.stdout.write(text);
console.error(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
