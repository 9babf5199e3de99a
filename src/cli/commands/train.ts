// `deep-symphony train`: trains a model of any kind on a folder of MIDI/ABC files; its flags are the kind's training parameters.
import { join, resolve } from 'node:path';
import { PRESET_IDS, type KindInfo, type PresetId } from '../../shared/api/models';
import { MUSIC_FILE_LIST } from '../../shared/files';
import { formFields } from '../../shared/forms';
import type { CliCommand } from '../command';
import { parseCommandLine, UsageError } from '../command';
import { fieldFlags, fieldHelp, fieldValues } from '../flags';
import { checkFolder, checkOutputFolder } from '../paths';

const COMMON = {
  model: 'string',
  data: 'string',
  out: 'string',
  name: 'string',
  licence: 'string',
  preset: 'string',
  minutes: 'string',
  cache: 'string',
  resume: 'boolean',
} as const;

async function kinds(): Promise<KindInfo[]> {
  return (await import('../../main/ml/models')).kindInfos();
}

async function help(): Promise<string> {
  const all = await kinds();
  const width = Math.max(...all.map((k) => k.id.length));
  const presets = all[0]?.presets ?? [];
  return [
    'Usage: deep-symphony train --model <kind> --data <folder> [options]',
    '',
    `Trains a model on every ${MUSIC_FILE_LIST} file under <folder> (split into train/valid/test by content hash)`,
    'and writes a model folder: model.json, checkpoint/ (weights, optimizer, training state), plagiarism.bin.',
    'Ctrl-C saves a checkpoint; run the same command with --resume to continue.',
    '',
    'Kinds:',
    ...all.map((k) => `  ${k.id.padEnd(width)}  ${k.label}: ${k.description}`),
    '',
    'Options:',
    '  --model <kind>       the kind of model (required)',
    '  --data <folder>      training music (required)',
    '  --out <dir>          model folder (default: <user data>/models/<kind>)',
    '  --name <text>        display name (default: the folder\'s name)',
    '  --licence <text>     the data\'s licence, recorded in model.json',
    `  --preset <name>      ${presets.map((p) => p.id).join(', ')}: the model's size (default: small); parameters below override it`,
    '  --minutes <m>        stop after about m minutes: fewer steps if they would take longer',
    '  --cache <dir>        tokenized dataset cache (default: the studio cache)',
    '  --resume             continue from the checkpoint in --out',
    '',
    'Parameters of each kind (defaults: the small preset):',
    ...fieldHelp(all.map((k) => ({ kind: k.id, fields: formFields(k.trainSchema), defaults: k.presets.find((p) => p.id === k.defaultPreset)?.values ?? {} }))),
  ].join('\n');
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train a model of any kind on a folder of music',
  help,
  async run(argv, io) {
    const all = await kinds();
    const allFlags = Object.assign({}, ...all.map((k) => fieldFlags(formFields(k.trainSchema)))) as Record<string, 'string' | 'boolean'>;
    const { values, positionals } = parseCommandLine(argv, { ...COMMON, ...allFlags });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const ids = all.map((k) => k.id).join(', ');
    if (typeof values.model !== 'string') throw new UsageError(`--model is required (one of ${ids})`);
    const kind = all.find((k) => k.id === values.model);
    if (!kind) throw new UsageError(`--model must be one of ${ids}, got "${values.model}"`);
    if (typeof values.data !== 'string') throw new UsageError('--data <folder> is required');
    const preset = (values.preset ?? kind.defaultPreset) as PresetId;
    if (!(PRESET_IDS as readonly string[]).includes(preset)) throw new UsageError(`--preset must be one of ${PRESET_IDS.join(', ')}, got "${String(values.preset)}"`);
    const fields = formFields(kind.trainSchema);
    for (const flag of Object.keys(values)) {
      if (flag in COMMON || fields.some((f) => f.flag === flag)) continue;
      throw new UsageError(`--${flag} is not a parameter of ${kind.label} models`);
    }
    let minutes: number | undefined;
    if (values.minutes !== undefined) {
      minutes = Number(values.minutes);
      if (!(minutes >= 0.1 && minutes <= 100_000)) throw new UsageError(`--minutes must be a number between 0.1 and 100000, got "${String(values.minutes)}"`);
    }
    const dataFolder = await checkFolder(values.data, '--data');

    const { defaultPaths } = await import('../../main/paths');
    const { getKind } = await import('../../main/ml/models');
    const params = fieldValues(fields, values);
    // Checked before any file is read: a bad value fails now, not after the import.
    getKind(kind.id).trainParams(preset, params);
    const paths = defaultPaths();
    const out = await checkOutputFolder(typeof values.out === 'string' ? values.out : join(paths.userData, 'models', kind.id), '--out');
    const { selectBackend } = await import('../../main/ml/backend');
    const { trainModel } = await import('../../main/ml/platform/training');
    const backend = await selectBackend();
    io.out(`training ${kind.id} (preset ${preset}) on ${values.data} with the ${backend.label} backend -> ${out}`);
    const started = Date.now();
    const manifest = await trainModel(
      {
        kind: kind.id,
        dataFolder,
        cacheDir: resolve(typeof values.cache === 'string' ? values.cache : join(paths.cache, 'datasets')),
        outDir: out,
        ...(typeof values.name === 'string' ? { name: values.name } : {}),
        ...(typeof values.licence === 'string' ? { licence: values.licence } : {}),
        preset,
        params,
        resume: values.resume === true,
        ...(minutes !== undefined ? { timeBudgetSeconds: minutes * 60 } : {}),
        command: ['deep-symphony', 'train', ...argv].join(' '),
      },
      {
        signal: io.signal,
        onEvent(e) {
          switch (e.phase) {
            case 'import':
              io.progress(`importing: ${Math.round(e.progress.fraction * 100)}% ${e.progress.message ?? ''}`);
              break;
            case 'train': {
              const p = e.progress;
              const metrics = Object.entries(p.smoothed).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ');
              const lr = Object.values(p.learningRates)[0];
              const line = `step ${p.step}/${p.totalSteps}${p.phase !== 'train' ? ` ${p.phase}` : ''} ${metrics}${lr !== undefined ? ` lr ${lr.toExponential(2)}` : ''} ${Math.round(p.itemsPerSecond)} ${p.rateUnit} ETA ${formatSeconds(p.etaSeconds)}`;
              if (p.valid) io.out(`${line} valid ${Object.entries(p.valid).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')}`);
              else io.progress(line);
              break;
            }
            case 'evaluate':
              io.progress(`scoring the valid split: ${Math.round(e.fraction * 100)}%`);
              break;
            case 'index':
              io.progress(e.message);
              break;
            case 'sample':
              break;
          }
        },
      },
    );
    const m = manifest.metrics;
    const headline = kind.metrics.filter((x) => m[x.name] !== undefined).map((x) => `${x.label} ${m[x.name]!.toFixed(3)}${x.unit ? ` ${x.unit}` : ''}`);
    io.out(`done in ${formatSeconds((Date.now() - started) / 1000)}: ${m.steps ?? '?'} steps; ${headline.join(', ')}`);
    io.out(`model "${manifest.id}" written to ${out}`);
    return 0;
  },
};

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  // Round once, to whole seconds, so that 899.6 s reads 15m00s and never 14m60s.
  const total = Math.round(s);
  const m = Math.floor(total / 60);
  return m > 0 ? `${m}m${String(total % 60).padStart(2, '0')}s` : `${total}s`;
}
