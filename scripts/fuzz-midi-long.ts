// Long fuzzing session for importMidi over mutated fixture files; prints one JSON object of counts.
// Run: npx tsx scripts/fuzz-midi-long.ts --minutes 5 [--seed 1] [--fixtures tests/fixtures]
import fc from 'fast-check';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LIBRARY_REFUSED, mutate, mutationArb, tryImport } from '../src/main/music/midi/fuzzKit';
import type { Mutation } from '../src/main/music/midi/fuzzKit';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function midiFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => (statSync(join(dir, e)).isDirectory() ? midiFiles(join(dir, e)) : /\.mid$/i.test(e) ? [join(dir, e)] : []));
}

const minutes = Number(arg('minutes', '5'));
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const PER_FILE_MS = 200;
const BATCH = 500;

// Bases: every fixture the importer accepts and that is small enough (24 KB) that 200 ms is a fair bound.
const bases = midiFiles(arg('fixtures', 'tests/fixtures'))
  .map((path) => ({ path, bytes: new Uint8Array(readFileSync(path)) }))
  .filter((b) => b.bytes.length <= 24 * 1024 && tryImport(b.bytes).kind === 'song');

// libraryRefused: files our structural check passed but @tonejs/midi refused (still a named error, but a gap).
// slow: over the bound twice in a row; loadSpikes: over it once only (GC or a busy shared machine).
const counts = { runs: 0, songs: 0, rejected: 0, libraryRefused: 0, crashes: 0, slow: 0, loadSpikes: 0 };
const errors: Record<string, number> = {};
const failures: { base: string; mutations: Mutation[]; problem: string }[] = [];
let maxMs = 0;
const heap0 = process.memoryUsage().heapUsed;
let maxHeapGrowth = 0;
const deadline = Date.now() + minutes * 60_000;
const inputs = fc.tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }));

for (let batch = 0; Date.now() < deadline; batch++) {
  for (const [baseIndex, mutations] of fc.sample(inputs, { numRuns: BATCH, seed: seed + batch })) {
    const base = bases[baseIndex]!;
    const bytes = mutate(base.bytes, mutations);
    const outcome = tryImport(bytes);
    counts.runs++;
    maxMs = Math.max(maxMs, outcome.ms);
    if (outcome.kind === 'song') counts.songs++;
    else if (outcome.kind === 'rejected') {
      counts.rejected++;
      errors[outcome.error] = (errors[outcome.error] ?? 0) + 1;
      if (LIBRARY_REFUSED.test(outcome.message)) {
        counts.libraryRefused++;
        if (failures.length < 10) failures.push({ base: base.path, mutations, problem: outcome.message });
      }
    } else {
      counts.crashes++;
      if (failures.length < 10) failures.push({ base: base.path, mutations, problem: String(outcome.error) });
    }
    if (outcome.ms > PER_FILE_MS) {
      const again = tryImport(bytes).ms;
      if (again <= PER_FILE_MS) counts.loadSpikes++;
      else {
        counts.slow++;
        if (failures.length < 10) failures.push({ base: base.path, mutations, problem: `took ${outcome.ms.toFixed(0)} ms, then ${again.toFixed(0)} ms` });
      }
    }
  }
  maxHeapGrowth = Math.max(maxHeapGrowth, process.memoryUsage().heapUsed - heap0);
}

console.log(
  JSON.stringify({
    minutes,
    seed,
    bases: bases.length,
    ...counts,
    errors,
    maxMs: +maxMs.toFixed(2),
    maxHeapGrowthMB: +(maxHeapGrowth / 2 ** 20).toFixed(1),
    failures,
  }),
);
process.exitCode = counts.crashes + counts.slow + counts.libraryRefused > 0 ? 1 : 0;
