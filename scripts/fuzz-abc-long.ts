// Long fuzzing session for the ABC reader over mutated Nottingham tunes; prints one JSON object of counts.
// Run: npx tsx scripts/fuzz-abc-long.ts --minutes 5 [--seed 1]
import fc from 'fast-check';
import { AbcParseError } from '../src/main/music/abc/errors';
import { apply, MAX_NOTES, mutation, TUNES } from '../src/main/music/abc/fuzzKit';
import { parseAbcFile } from '../src/main/music/abc/parse';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const minutes = Number(arg('minutes', '5'));
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const PER_TUNE_MS = 100;
// tunes: parsed; namedErrors: AbcParseErrors (bad tunes, reported); crashes: anything else thrown; slow: over the bound.
const counts = { runs: 0, tunes: 0, namedErrors: 0, crashes: 0, slow: 0, invalidNotes: 0, maxHeapGrowthMB: 0 };
const heap0 = process.memoryUsage().heapUsed;
const deadline = Date.now() + minutes * 60_000;
let rng = seed;
while (Date.now() < deadline) {
  for (const [index, mutations] of fc.sample(fc.tuple(fc.nat({ max: TUNES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 })), { numRuns: 1000, seed: rng++ })) {
    const text = mutations.reduce(apply, TUNES[index]!);
    counts.runs++;
    const t0 = performance.now();
    try {
      const { tunes, errors } = parseAbcFile(text, { maxNotes: MAX_NOTES });
      if (performance.now() - t0 > PER_TUNE_MS * Math.max(1, tunes.length + errors.length)) counts.slow++;
      counts.tunes += tunes.length;
      counts.namedErrors += errors.filter((e) => e instanceof AbcParseError).length;
      counts.crashes += errors.filter((e) => !(e instanceof AbcParseError)).length;
      for (const t of tunes) {
        if (t.sequence.notes.some((n) => !(Number.isFinite(n.startTick) && n.endTick >= n.startTick && n.pitch >= 0 && n.pitch <= 127))) counts.invalidNotes++;
      }
    } catch {
      counts.crashes++;
    }
  }
  counts.maxHeapGrowthMB = Math.max(counts.maxHeapGrowthMB, Math.round((process.memoryUsage().heapUsed - heap0) / 1e6));
}
console.log(JSON.stringify({ seed, minutes, base: TUNES.length, ...counts }));
