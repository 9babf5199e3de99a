// `deep-symphony train`: trains a Char-RNN or Conditional Char-RNN on a folder of MIDI/ABC files, with checkpoints and resume.
import { join, resolve } from 'node:path';
import type { CliCommand } from '../command';
import { numberFlag, parseFlags, UsageError } from '../command';

const help = `Usage: deep-symphony train --model char-rnn|conditional-char-rnn --data <folder> [options]

Trains a model on every .mid/.midi/.abc file under <folder> (split into train/valid/test by content hash)
and writes a model folder: model.json, checkpoint/ (weights, optimizer, training state), plagiarism.bin.
Ctrl-C saves a checkpoint; run the same command with --resume to continue.

Options:
  --model <kind>         char-rnn or conditional-char-rnn (required)
  --data <folder>        training music (required)
  --out <dir>            model folder (default: <user data>/models/<kind>)
  --name <text>          display name (default: the folder's name)
  --licence <text>       the data's licence, recorded in model.json
  --preset <name>        tiny (1x32), small (2x256, default) or study (3x512, the study's size)
  --layers <n>           number of LSTM layers (overrides the preset)
  --units <n>            units per layer (overrides the preset)
  --dropout <rate>       dropout between layers (preset default)
  --steps <n>            optimizer steps (default 2000)
  --minutes <m>          stop after about m minutes: fewer steps if they would take longer
  --batch <n>            segments per batch (default 32)
  --segment <n>          events per segment = truncated-BPTT length (default 128)
  --lr <rate>            peak learning rate (default 0.002)
  --warmup <n>           warmup steps (default 100)
  --clip <norm>          gradient clipping by global norm, 0 = off (default 1)
  --transpose <n>        random transposition of segments by up to n semitones (default 3)
  --valid-every <n>      validation interval in steps (default 100)
  --checkpoint-every <n> checkpoint interval in steps (default 100)
  --seed <n>             seed of sampling and initialization (default 1)
  --cache <dir>          tokenized dataset cache (default: the studio cache)
  --resume               continue from the checkpoint in --out`;

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'Train a Char-RNN or Conditional Char-RNN on a folder of music',
  help,
  async run(argv, io) {
    const { values } = parseFlags(
      argv,
      {
        model: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        name: { type: 'string' },
        licence: { type: 'string' },
        preset: { type: 'string' },
        layers: { type: 'string' },
        units: { type: 'string' },
        dropout: { type: 'string' },
        steps: { type: 'string' },
        minutes: { type: 'string' },
        batch: { type: 'string' },
        segment: { type: 'string' },
        lr: { type: 'string' },
        warmup: { type: 'string' },
        clip: { type: 'string' },
        transpose: { type: 'string' },
        'valid-every': { type: 'string' },
        'checkpoint-every': { type: 'string' },
        seed: { type: 'string' },
        cache: { type: 'string' },
        resume: { type: 'boolean' },
      },
      false,
    );
    const kind = values.model;
    if (kind !== 'char-rnn' && kind !== 'conditional-char-rnn') {
      throw new UsageError(kind === undefined ? '--model is required (char-rnn or conditional-char-rnn)' : `--model must be char-rnn or conditional-char-rnn, got "${kind}"`);
    }
    if (!values.data) throw new UsageError('--data <folder> is required');
    const preset = values.preset ?? 'small';
    if (preset !== 'tiny' && preset !== 'small' && preset !== 'study') throw new UsageError(`--preset must be tiny, small or study, got "${preset}"`);

    const { MODEL_PRESETS, DEFAULT_TRAIN_CONFIG } = await import('../../main/ml/charRnn/config');
    const base = MODEL_PRESETS[preset];
    const layers = numberFlag(values.layers, 'layers', base.units.length, 1, 8);
    const unitsEach = numberFlag(values.units, 'units', base.units[0]!, 8, 2048);
    if (!Number.isInteger(layers) || !Number.isInteger(unitsEach)) throw new UsageError('--layers and --units must be whole numbers');
    const d = DEFAULT_TRAIN_CONFIG;
    const int = (v: string | undefined, name: string, fallback: number, min: number, max: number): number => {
      const n = numberFlag(v, name, fallback, min, max);
      if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
      return n;
    };
    const train = {
      steps: int(values.steps, 'steps', d.steps, 1, 10_000_000),
      batchSize: int(values.batch, 'batch', d.batchSize, 1, 1024),
      segmentLength: int(values.segment, 'segment', d.segmentLength, 2, 4096),
      learningRate: numberFlag(values.lr, 'lr', d.learningRate, 1e-6, 1),
      warmupSteps: int(values.warmup, 'warmup', d.warmupSteps, 0, 1_000_000),
      clipNorm: numberFlag(values.clip, 'clip', d.clipNorm, 0, 1e6),
      transpose: int(values.transpose, 'transpose', d.transpose, 0, 12),
      validEvery: int(values['valid-every'], 'valid-every', d.validEvery, 1, 1_000_000),
      checkpointEvery: int(values['checkpoint-every'], 'checkpoint-every', d.checkpointEvery, 1, 1_000_000),
      seed: int(values.seed, 'seed', d.seed, 0, 2 ** 31 - 1),
    };
    const minutes = values.minutes === undefined ? undefined : numberFlag(values.minutes, 'minutes', 0, 0.1, 100_000);
    const dropout = values.dropout === undefined ? undefined : numberFlag(values.dropout, 'dropout', 0, 0, 0.9);

    const { defaultPaths } = await import('../../main/paths');
    const { selectBackend } = await import('../../main/ml/backend');
    const { trainCharRnnModel } = await import('../../main/ml/charRnn/pipeline');
    const paths = defaultPaths();
    const outDir = resolve(values.out ?? join(paths.userData, 'models', kind));
    const backend = await selectBackend();
    io.out(`training ${kind} (${layers}x${unitsEach}) on ${values.data} with the ${backend.label} backend -> ${outDir}`);
    const started = Date.now();
    const manifest = await trainCharRnnModel(
      {
        kind,
        dataFolder: resolve(values.data),
        cacheDir: resolve(values.cache ?? join(paths.cache, 'datasets')),
        outDir,
        ...(values.name ? { name: values.name } : {}),
        ...(values.licence ? { licence: values.licence } : {}),
        preset,
        units: new Array<number>(layers).fill(unitsEach),
        ...(dropout !== undefined ? { dropout } : {}),
        train,
        resume: values.resume ?? false,
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
              const line = `step ${p.step}/${p.totalSteps} loss ${p.smoothedLoss.toFixed(3)} lr ${p.learningRate.toExponential(2)} ${Math.round(p.tokensPerSecond)} events/s ETA ${formatSeconds(p.etaSeconds)}`;
              if (p.validLoss !== undefined) io.out(`${line} valid ${p.validLoss.toFixed(3)}`);
              else io.progress(line);
              break;
            }
            case 'evaluate':
              io.progress(`scoring the valid split: ${Math.round(e.fraction * 100)}%`);
              break;
            case 'index':
              io.progress(e.message);
              break;
          }
        },
      },
    );
    const m = manifest.metrics;
    io.out(
      `done in ${formatSeconds((Date.now() - started) / 1000)}: ${m.steps} steps, ${m.tokensSeen} events seen; valid NLL ${m.validNll?.toFixed(3)} nats/event (uniform: ${Math.log(388).toFixed(2)})`,
    );
    io.out(`model "${manifest.id}" written to ${outDir}`);
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
