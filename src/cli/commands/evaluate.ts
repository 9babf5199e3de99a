// `deep-symphony evaluate`: a model's NLL (nats per event) on a dataset's valid split, and optionally its plagiarism profile.
import { join, resolve } from 'node:path';
import type { CliCommand } from '../command';
import { numberFlag, parseFlags, UsageError } from '../command';
import { formatSeconds } from './train';

const help = `Usage: deep-symphony evaluate --data <folder> [--model <id|dir>] [options]

Scores a model on the valid split of <folder> (the same content-hash split training uses): the mean negative
log-likelihood in nats per event (a uniform guess over the 388 events scores ln 388 = 5.96).

Options:
  --data <folder>      music folder (required)
  --model <id|dir>     model id or folder (default: the shipped default)
  --window <n>         predictions per window, each window starting from a fresh state (default: the training segment)
  --batch <n>          windows per batch (default 32)
  --plagiarism         also generate samples and report the longest run each copies from the train split
  --samples <n>        samples for --plagiarism (default 20)
  --seconds <s>        length of each sample (default 30)
  --seed <n>           seed of the first sample; the others follow (default 1)
  --temperature <t>    sampling temperature of the samples (default 1)
  --cache <dir>        tokenized dataset cache (default: the studio cache)
  --json               print the report as JSON`;

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: "Score a model's NLL on a dataset's valid split; --plagiarism profiles copying",
  help,
  async run(argv, io) {
    const { values } = parseFlags(
      argv,
      {
        data: { type: 'string' },
        model: { type: 'string' },
        window: { type: 'string' },
        batch: { type: 'string' },
        plagiarism: { type: 'boolean' },
        samples: { type: 'string' },
        seconds: { type: 'string' },
        seed: { type: 'string' },
        temperature: { type: 'string' },
        cache: { type: 'string' },
        json: { type: 'boolean' },
      },
      false,
    );
    if (!values.data) throw new UsageError('--data <folder> is required');
    const whole = (v: string | undefined, name: string, fallback: number, min: number, max: number): number => {
      const n = numberFlag(v, name, fallback, min, max);
      if (!Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number, got "${v}"`);
      return n;
    };
    const window = values.window === undefined ? undefined : whole(values.window, 'window', 0, 2, 100_000);
    const batchSize = whole(values.batch, 'batch', 32, 1, 1024);
    const plagiarism = values.plagiarism
      ? {
          samples: whole(values.samples, 'samples', 20, 1, 10_000),
          seconds: numberFlag(values.seconds, 'seconds', 30, 1, 3600),
          seed: whole(values.seed, 'seed', 1, 0, 2 ** 31 - 1),
          temperature: numberFlag(values.temperature, 'temperature', 1, 0.01, 10),
        }
      : undefined;

    const { defaultPaths } = await import('../../main/paths');
    const { resolveModel } = await import('../../main/ml/registry');
    const { selectBackend } = await import('../../main/ml/backend');
    const { evaluateModelFolder } = await import('../../main/ml/charRnn/pipeline');
    const paths = defaultPaths();
    const info = await resolveModel(values.model, paths);
    await selectBackend();
    const started = Date.now();
    const report = await evaluateModelFolder(
      info.dir,
      {
        dataFolder: resolve(values.data),
        cacheDir: resolve(values.cache ?? join(paths.cache, 'datasets')),
        ...(window !== undefined ? { window } : {}),
        batchSize,
        ...(plagiarism ? { plagiarism } : {}),
      },
      {
        signal: io.signal,
        onEvent(e) {
          if (e.phase === 'import') io.progress(`importing: ${Math.round(e.progress.fraction * 100)}%`);
          else if (e.phase === 'evaluate') io.progress(`scoring the valid split: ${Math.round(e.fraction * 100)}%`);
          else if (e.phase === 'index') io.progress(e.message);
        },
      },
    );
    if (values.json) {
      io.out(JSON.stringify(report));
      return 0;
    }
    io.out(`model ${report.modelId} (${report.kind}) on ${report.data.name}, valid split: ${report.data.validPieces} pieces, ${report.validEvents} events`);
    io.out(`NLL ${report.validNll.toFixed(3)} nats/event (window ${report.window}; uniform ${Math.log(388).toFixed(3)}) in ${formatSeconds((Date.now() - started) / 1000)}`);
    const p = report.plagiarism;
    if (p) {
      io.out(`plagiarism over ${p.samples} samples of ${p.secondsEach} s: longest copied run max ${p.maxLongestRun} notes, median ${p.medianLongestRun}; mean LCS share ${(p.meanLcsRatio * 100).toFixed(1)}%`);
      if (p.worst) io.out(`  longest: seed ${p.worst.seed}, ${p.worst.length} notes from "${p.worst.piece}"`);
    }
    return 0;
  },
};
