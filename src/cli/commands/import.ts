// `deep-symphony import <folder>`: builds (or loads from cache) a tokenized training dataset and prints its summary.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CliCommand } from '../command';
import { parseFlags, UsageError } from '../command';

/** Where datasets are cached: $DEEP_SYMPHONY_CACHE/datasets, else ~/.cache/deep-symphony/datasets. */
export function defaultDatasetCache(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DEEP_SYMPHONY_CACHE || join(homedir(), '.cache', 'deep-symphony'), 'datasets');
}

/** "-3..3" (a range), "-2,0,2" (a list) or "5" (one value), as whole semitones. */
export function parseTranspose(text: string): number[] {
  const range = /^(-?\d+)\.\.(-?\d+)$/.exec(text.trim());
  if (range) {
    const lo = Number(range[1]);
    const hi = Number(range[2]);
    if (lo > hi) throw new UsageError(`--transpose range "${text}" runs backwards`);
    return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  }
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isInteger(n)) throw new UsageError(`--transpose takes whole semitones like -3..3 or -2,0,2, got "${text}"`);
    return n;
  });
}

/** "0.95,1.05": tempo factors. */
export function parseStretch(text: string): number[] {
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--stretch takes positive tempo factors like 0.95,1.05, got "${text}"`);
    return n;
  });
}

const fmtSeconds = (s: number): string => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
const fmtInt = (n: number): string => n.toLocaleString('en-US');

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'Import a folder of MIDI/ABC files into a cached training dataset',
  help: () =>
    [
    'Usage: deep-symphony import <folder> [--cache <dir>] [--transpose -3..3] [--stretch 0.95,1.05] [--json]',
    '',
    'Reads every .mid, .midi and .abc file under <folder> (each ABC tune is one piece), encodes it as',
    'Performance RNN events and splits the pieces 80/10/10 into train/valid/test by a hash of their content.',
    'Files that cannot be read are skipped and listed. The result is cached: importing unchanged files with the',
    'same options again is near instant.',
    '',
    'Options:',
    '  --cache <dir>        cache folder (default $DEEP_SYMPHONY_CACHE/datasets or ~/.cache/deep-symphony/datasets)',
    '  --transpose <list>   extra train copies transposed by these semitones: a range -3..3 or a list -2,0,2',
    '  --stretch <list>     extra train copies at these tempo factors, e.g. 0.95,1.05 (1.05 = 5% faster)',
    '  --json               print the summary as JSON',
  ].join('\n'),
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      cache: { type: 'string' },
      transpose: { type: 'string' },
      stretch: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError(`expected one folder, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    const folder = positionals[0]!;
    const cacheDir = values.cache ?? defaultDatasetCache();
    const augment = {
      transpose: values.transpose === undefined ? undefined : parseTranspose(values.transpose),
      stretch: values.stretch === undefined ? undefined : parseStretch(values.stretch),
    };

    const { importDataset } = await import('../../main/music/datasets');
    const dataset = await importDataset(folder, {
      cacheDir,
      augment,
      signal: io.signal,
      onProgress: (p) => {
        const parts = [`importing ${Math.round(p.fraction * 100)}%`];
        if (p.rate) parts.push(`${p.rate.toFixed(1)} ${p.rateUnit ?? '/s'}`);
        if (p.etaSeconds !== undefined) parts.push(`eta ${Math.ceil(p.etaSeconds)} s`);
        if (p.message) parts.push(p.message);
        io.progress(parts.join('  '));
      },
    });
    io.err('');

    const { summary, skipped } = dataset;
    if (values.json) {
      io.out(JSON.stringify({ folder, cacheDir, cacheKey: dataset.cacheKey, fromCache: dataset.fromCache, options: dataset.options, summary, skipped }));
      return 0;
    }
    const s = summary.bySplit;
    io.out(`Dataset ${dataset.cacheKey} ${dataset.fromCache ? '(from cache)' : '(imported)'} in ${join(cacheDir, dataset.cacheKey)}`);
    io.out(`  files    ${fmtInt(summary.files)}`);
    io.out(`  pieces   ${fmtInt(summary.pieces)}  (train ${s.train.pieces}, valid ${s.valid.pieces}, test ${s.test.pieces})`);
    io.out(`  notes    ${fmtInt(summary.notes)}`);
    io.out(`  events   ${fmtInt(summary.events)}`);
    io.out(`  duration ${fmtSeconds(summary.seconds)}`);
    if (s.train.variants > s.train.pieces) {
      io.out(`  augmented train: ${fmtInt(s.train.variants)} pieces, ${fmtInt(s.train.events)} events (transpose ${dataset.options.augment.transpose.join(',')}; tempo ${dataset.options.augment.stretch.join(',')})`);
    }
    io.out(`  skipped  ${summary.skipped}`);
    for (const k of skipped) io.out(`    ${k.file}: ${k.error}: ${k.message}`);
    return 0;
  },
};
