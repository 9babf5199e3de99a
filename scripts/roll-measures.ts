// Measures generated music on piano rolls against real segments (MuseGAN/MusPy measures, diversity, copying): the DCRNN table in docs/models.md.
// npx tsx scripts/roll-measures.ts --data <piano folder> [--models piano-dcrnn,piano-conditional-char-rnn,...] [--samples 64]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseKey } from '../src/shared/keys';
import { selectBackend } from '../src/main/ml/backend';
import { diversity, measureRoll, meanMeasures, type RollMeasures } from '../src/main/ml/eval/rollMetrics';
import { ModelHostCore } from '../src/main/ml/host/core';
import { findKind } from '../src/main/ml/models';
import { buildPlagiarismIndex, plagiarismSummary } from '../src/main/ml/platform/corpus';
import { resolveModel } from '../src/main/ml/registry';
import { importDataset } from '../src/main/music/datasets';
import { toPianoRoll } from '../src/main/music/pianoroll';
import { defaultPaths } from '../src/main/paths';
import { Rng } from '../src/main/ml/train/rng';
import type { NoteSequence } from '../src/shared/song';
import { pieceRoll, RollSource } from '../src/main/ml/models/dcrnn/data';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    models: { type: 'string', default: 'piano-dcrnn,piano-char-rnn,piano-conditional-char-rnn' },
    samples: { type: 'string', default: '64' },
    key: { type: 'string', default: 'C major' },
    cache: { type: 'string' },
  },
});
if (!values.data) throw new Error('--data <folder> is required');
const samples = Number(values.samples);
const STEPS = 48;
const BAR = 16;
const paths = defaultPaths();
await selectBackend();
const dataset = await importDataset(values.data, { cacheDir: values.cache ?? join(paths.cache, 'datasets') });
const valid = dataset.pieces.filter((p) => p.split === 'valid' && !p.augmentation).map((p) => pieceRoll(p.file, dataset.tokensOf(p)));
const index = buildPlagiarismIndex(dataset);
const key = parseKey(values.key)!;

const measure = (rolls: Uint8Array[], withKey: boolean): RollMeasures =>
  meanMeasures(rolls.map((data) => measureRoll({ steps: STEPS, pitches: 88, lowPitch: 21, data }, { stepsPerBar: BAR, ...(withKey ? { key } : {}) })));
const rollOf = (seq: NoteSequence): Uint8Array => toPianoRoll(seq, { step: { ticks: seq.ppq / 4 }, range: '88', steps: STEPS }).data;

const real = new RollSource(valid, STEPS).sample(new Rng(1), samples, 0);
const realRolls = Array.from({ length: samples }, (_, i) => Uint8Array.from(real.x.subarray(i * STEPS * 88, (i + 1) * STEPS * 88)));
const rows: Record<string, Record<string, number | string>> = {};
rows['training data (valid split)'] = { ...measure(realRolls, false), diversity: diversity(realRolls), inScaleRate: measure(realRolls, true).inScaleRate ?? NaN, longestCopiedRun: NaN };

const host = new ModelHostCore();
for (const id of values.models!.split(',')) {
  const info = await resolveModel(id, paths, { allowFolder: true });
  const accepts = new Set(Object.keys(findKind(info.kind)?.info().generateSchema?.properties ?? {}));
  const paramsFor = (seed: number, withKey: boolean): Record<string, unknown> => {
    const p: Record<string, unknown> = { seed };
    // Three bars at 120 bpm: a DCRNN segment, or 6 s of a Char-RNN.
    if (accepts.has('bars')) p.bars = 3;
    if (accepts.has('seconds')) p.seconds = 6;
    if (withKey && accepts.has('key')) p.key = values.key;
    return p;
  };
  const rolls: Uint8Array[] = [];
  const keyed: Uint8Array[] = [];
  let longest = 0;
  for (let i = 0; i < samples; i++) {
    const r = await host.generate(info.dir, paramsFor(1000 + i, false), {});
    rolls.push(rollOf(r.sequence));
    longest = Math.max(longest, plagiarismSummary(index, r.sequence).longestRun?.length ?? 0);
    if (accepts.has('key')) keyed.push(rollOf((await host.generate(info.dir, paramsFor(2000 + i, true), {})).sequence));
  }
  rows[`${info.name} (${info.id})`] = { ...measure(rolls, false), diversity: diversity(rolls), inScaleRate: keyed.length ? measure(keyed, true).inScaleRate ?? NaN : NaN, longestCopiedRun: longest };
  process.stderr.write(`measured ${info.id}\n`);
}
host.dispose();

const columns = ['emptyBarRate', 'pitchClassesPerBar', 'qualifiedNoteRate', 'polyphony', 'inScaleRate', 'tonalDistance', 'diversity', 'longestCopiedRun'];
console.log(JSON.stringify({ samples, segment: '3 bars of sixteenths at 120 bpm', key: values.key, rows }, null, 2));
console.log(`| | ${columns.join(' | ')} |\n|---|${columns.map(() => '---').join('|')}|`);
for (const [name, r] of Object.entries(rows)) {
  console.log(`| ${name} | ${columns.map((c) => (typeof r[c] === 'number' && Number.isFinite(r[c]) ? (r[c] as number).toFixed(c === 'longestCopiedRun' ? 0 : 3) : '–')).join(' | ')} |`);
}
