// `deep-symphony evaluate`: scores a model on a folder of music (one split, or every piece), and optionally profiles copying.
import { join, resolve } from 'node:path';
import type { KindInfo } from '../../shared/api/models';
import { formFields, type FormField } from '../../shared/forms';
import type { CliCommand } from '../command';
import { numberFlag, parseCommandLine, UsageError } from '../command';
import { fieldFlags, fieldHelp, fieldValues } from '../flags';
import { checkFolder } from '../paths';
import { formatSeconds } from './train';

const SPLITS = ['all', 'train', 'valid', 'test'] as const;
const COMMON = {
  data: 'string',
  model: 'string',
  split: 'string',
  plagiarism: 'boolean',
  samples: 'string',
  seconds: 'string',
  seed: 'string',
  temperature: 'string',
  cache: 'string',
  json: 'boolean',
} as const;

async function kindsWithFields(): Promise<{ id: string; label: string; fields: FormField[]; metrics: KindInfo['metrics'] }[]> {
  const { kindInfos } = await import('../../main/ml/models');
  return kindInfos().map((k) => ({ id: k.id, label: k.label, fields: k.evaluateSchema ? formFields(k.evaluateSchema) : [], metrics: k.metrics }));
}

async function help(): Promise<string> {
  const kinds = await kindsWithFields();
  return [
    'Usage: deep-symphony evaluate --data <folder> [--model <id|dir>] [options]',
    '',
    'Scores a model on the music in <folder>: each kind reports its own measures (Char-RNNs: the mean negative',
    'log-likelihood in nats per event; a uniform guess over the 388 events scores ln 388 = 5.96).',
    '',
    'Options:',
    '  --data <folder>      music folder (required)',
    '  --model <id|dir>     model id or folder (default: the shipped default)',
    '  --split <name>       which pieces count: all, train, valid or test (default valid: the pieces a model trained',
    '                       on that folder never saw). For a folder of new music, use --split all: every piece counts.',
    '  --plagiarism         also generate samples and report the longest run each copies from the folder\'s train split',
    '  --samples <n>        samples for --plagiarism (default 20)',
    '  --seconds <s>        length of each sample (default 30)',
    '  --seed <n>           seed of the first sample; the others follow (default 1)',
    '  --temperature <t>    sampling temperature of the samples (default 1)',
    '  --cache <dir>        tokenized dataset cache (default: the studio cache)',
    '  --json               print the report as JSON',
    '',
    'Options of each kind:',
    ...fieldHelp(kinds.filter((k) => k.fields.length > 0).map((k) => ({ kind: k.id, fields: k.fields }))),
  ].join('\n');
}

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'Score a model on a folder of music (--split all: every piece); --plagiarism profiles copying',
  help,
  async run(argv, io) {
      const kinds = await kindsWithFields();
    const allFlags = Object.assign({}, ...kinds.map((k) => fieldFlags(k.fields))) as Record<string, 'string' | 'boolean'>;
    const { values, positionals } = parseCommandLine(argv, { ...COMMON, ...allFlags });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (typeof values.data !== 'string') throw new UsageError('--data <folder> is required');
    const split = (values.split ?? 'valid') as (typeof SPLITS)[number];
    if (!SPLITS.includes(split)) throw new UsageError(`--split must be one of ${SPLITS.join(', ')}, got "${String(values.split)}"`);
    const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
    const whole = (v: string | boolean | undefined, name: string, fallback: number, min: number, max: number): number => {
      const n = numberFlag(str(v), name, fallback, min, max);
      if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got "${String(v)}"`);
      return n;
    };
    const plagiarism = values.plagiarism
      ? {
          samples: whole(values.samples, 'samples', 20, 1, 10_000),
          seconds: numberFlag(str(values.seconds), 'seconds', 30, 1, 3600),
          seed: whole(values.seed, 'seed', 1, 0, 2 ** 31 - 1),
          temperature: numberFlag(str(values.temperature), 'temperature', 1, 0.01, 10),
        }
      : undefined;
    const dataFolder = await checkFolder(values.data, '--data');

    const { defaultPaths } = await import('../../main/paths');
    const { resolveModel } = await import('../../main/ml/registry');
    const { selectBackend } = await import('../../main/ml/backend');
    const { ModelHostCore } = await import('../../main/ml/host/core');
    const { evaluateModel } = await import('../../main/ml/platform/evaluation');
    const paths = defaultPaths();
    const info = await resolveModel(str(values.model), paths, { allowFolder: true });
    const kind = kinds.find((k) => k.id === info.kind)!;
    for (const flag of Object.keys(values)) {
      if (flag in COMMON || kind.fields.some((f) => f.flag === flag)) continue;
      throw new UsageError(`--${flag} does not apply to "${info.id}" (a ${info.kindLabel} model)`);
    }
    await selectBackend();
    const core = new ModelHostCore();
    const started = Date.now();
    try {
      const report = await evaluateModel(
        info,
        {
          dataFolder,
          cacheDir: resolve(str(values.cache) ?? join(paths.cache, 'datasets')),
          split,
          options: fieldValues(kind.fields, values),
          ...(plagiarism ? { plagiarism } : {}),
        },
        core,
        {
          signal: io.signal,
          onEvent(e) {
            if (e.phase === 'import') io.progress(`importing: ${Math.round(e.progress.fraction * 100)}%`);
            else if (e.phase === 'evaluate') io.progress(`scoring: ${Math.round(e.fraction * 100)}%`);
            else io.progress(e.message);
          },
        },
      );
      if (values.json) {
        io.out(JSON.stringify(report));
        return 0;
      }
      const which = split === 'all' ? 'every piece' : `the ${split} split`;
      io.out(`model ${report.modelId} (${info.kindLabel}) on ${report.data.name}, ${which}: ${report.pieces} of ${report.piecesInFolder} pieces, ${report.count} ${report.countUnit}`);
      const measures = Object.entries(report.metrics).map(([name, v]) => {
        const m = kind.metrics.find((x) => x.name === name);
        return `${m?.label ?? name} ${v.toFixed(3)}${m?.unit ? ` ${m.unit}` : ''}`;
      });
      const opts = Object.entries(report.options).map(([k, v]) => `${k} ${String(v)}`).join(', ');
      io.out(`${measures.join(', ')}${opts ? ` (${opts})` : ''} in ${formatSeconds((Date.now() - started) / 1000)}`);
      if (split !== 'all' && report.pieces < report.piecesInFolder / 4) {
        io.out(`(only the ${split} split counts: ${report.pieces} of ${report.piecesInFolder} pieces; --split all scores every piece)`);
      }
      const p = report.plagiarism;
      if (p) {
        io.out(`plagiarism over ${p.samples} samples of ${p.secondsEach} s: longest copied run max ${p.maxLongestRun} notes, median ${p.medianLongestRun}`);
        if (p.worst) io.out(`  longest: seed ${p.worst.seed}, ${p.worst.length} notes from "${p.worst.piece}"`);
      }
      return 0;
    } finally {
      core.dispose();
    }
  },
};
