// Benchmark of importMidi against a bare @tonejs/midi parse over a folder of MIDI files; prints one JSON object.
// Run: npx tsx bench/midi-import.ts [--data /path/to/piano/midis] [--passes 5]
import * as tonejs from '@tonejs/midi';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { importMidi } from '../src/main/music/midi';
import { encodePerformance } from '../src/main/music/performance';
import type { NoteSequence } from '../src/shared/song';

const tonejsNs = tonejs as typeof tonejs & { default?: typeof tonejs };
const Midi = tonejs.Midi ?? tonejsNs.default?.Midi;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

function midiFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((e) => (statSync(join(dir, e)).isDirectory() ? midiFiles(join(dir, e)) : /\.midi?$/i.test(e) ? [join(dir, e)] : []))
    .sort();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Timing {
  wall: number;
  /** Process CPU seconds: steadier than wall time on a machine shared with other work. */
  cpu: number;
}

function time(fn: () => void): Timing {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

const dataDir = arg('data', '/work/shared/data/piano/midis');
const passes = Number(arg('passes', '5'));
const files = midiFiles(dataDir).map((f) => new Uint8Array(readFileSync(f)));
if (files.length === 0) throw new Error(`no .mid files under ${dataDir}`);

let notes = 0;
const bare: Timing[] = [];
const ours: Timing[] = [];
// One warm-up pass of each, then alternate so drift and GC hit both sides alike.
for (let p = 0; p <= passes; p++) {
  const tBare = time(() => {
    for (const bytes of files) new Midi(bytes);
  });
  const tOurs = time(() => {
    notes = 0;
    for (const bytes of files) notes += importMidi(bytes).notes.length;
  });
  if (p > 0) {
    bare.push(tBare);
    ours.push(tOurs);
  }
}
const songs: NoteSequence[] = files.map((bytes) => importMidi(bytes));
let events = 0;
const encode: Timing[] = [];
for (let p = 0; p <= passes; p++) {
  const t = time(() => {
    events = 0;
    for (const s of songs) events += encodePerformance(s).length;
  });
  if (p > 0) encode.push(t);
}

const bareS = median(bare.map((t) => t.wall));
const oursS = median(ours.map((t) => t.wall));
const encodeS = median(encode.map((t) => t.wall));
const bareCpu = median(bare.map((t) => t.cpu));
const oursCpu = median(ours.map((t) => t.cpu));
console.log(
  JSON.stringify({
    data: dataDir,
    files: files.length,
    bytes: files.reduce((n, f) => n + f.length, 0),
    notes,
    passes,
    bareTonejs: { seconds: +bareS.toFixed(4), filesPerSec: Math.round(files.length / bareS), notesPerSec: Math.round(notes / bareS) },
    importMidi: { seconds: +oursS.toFixed(4), filesPerSec: Math.round(files.length / oursS), notesPerSec: Math.round(notes / oursS) },
    // Extra cost of importMidi over the bare parse (goal < 0.5), by wall and by CPU time.
    overhead: +(oursS / bareS - 1).toFixed(4),
    overheadCpu: +(oursCpu / bareCpu - 1).toFixed(4),
    encodePerformance: { seconds: +encodeS.toFixed(4), events, eventsPerSec: Math.round(events / encodeS) },
  }),
);
