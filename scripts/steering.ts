// Measures how far a conditional model's conditions steer what it plays (key, density, pitch); prints one JSON object.
import { parseArgs } from 'node:util';
import { selectBackend } from '../src/main/ml/backend';
import { ModelHostCore } from '../src/main/ml/host/core';
import { resolveModel } from '../src/main/ml/registry';
import { defaultPaths } from '../src/main/paths';

const { values } = parseArgs({ options: { model: { type: 'string' }, seeds: { type: 'string', default: '10' }, seconds: { type: 'string', default: '30' } } });
const seeds = Number(values.seeds);
const lengthSeconds = Number(values.seconds);
await selectBackend();
const info = await resolveModel(values.model, defaultPaths(), { allowFolder: true });
if (!info.capabilities.includes('condition')) throw new Error(`${info.id} takes no conditions`);
const host = new ModelHostCore();
const generate = async (params: Record<string, unknown>) => host.generate(info.dir, { seconds: lengthSeconds, ...params }, {});

const WHITE = new Set([0, 2, 4, 5, 7, 9, 11]);
const rows: Record<string, number[]> = {};
const add = (k: string, v: number) => (rows[k] ??= []).push(v);
for (let seed = 1; seed <= seeds; seed++) {
  const whiteShare = (notes: { pitch: number }[]) => notes.filter((n) => WHITE.has(n.pitch % 12)).length / notes.length;
  for (const key of ['C major', 'F# major']) add(`white keys, key ${key}`, whiteShare((await generate({ seed, key })).sequence.notes));
  for (const density of [2, 6, 12]) {
    const g = await generate({ seed, density });
    add(`notes/s, density ${density}`, g.sequence.notes.length / g.seconds);
  }
  for (const pitch of [48, 72]) {
    const notes = (await generate({ seed, pitch })).sequence.notes;
    add(`mean pitch, pitch ${pitch}`, notes.reduce((s, n) => s + n.pitch, 0) / notes.length);
  }
  const free = await generate({ seed });
  add('white keys, no condition', whiteShare(free.sequence.notes));
  add('notes/s, no condition', free.sequence.notes.length / free.seconds);
}
const round = (x: number) => Math.round(x * 100) / 100;
const summary = Object.fromEntries(
  Object.entries(rows).map(([k, v]) => [k, { mean: round(v.reduce((a, b) => a + b, 0) / v.length), min: round(Math.min(...v)), max: round(Math.max(...v)) }]),
);
console.log(JSON.stringify({ model: info.id, seeds, secondsEach: lengthSeconds, summary }, null, 2));
host.dispose();
