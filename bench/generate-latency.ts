// Generation latency through the engine's model worker: cold start, warm 20 s, one bar of a session, and while a training job runs; baseline: a fresh worker per generation (the engine before the model host).
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src/main/engine';
import { ModelHost } from '../src/main/ml/host/modelHost';
import { DEFAULT_MODEL_ID, resolveModel } from '../src/main/ml/registry';
import { defaultPaths } from '../src/main/paths';

const root = fileURLToPath(new URL('..', import.meta.url));
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 10);
const BARS = Number(process.env.BENCH_BARS ?? 1000);
const BASELINE_RUNS = Number(process.env.BENCH_BASELINE_RUNS ?? 3);
/** One 4/4 bar at 120 bpm. */
const BAR_SECONDS = 2;
const PARAMS = { seconds: 20, key: 'D minor' };

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (xs: number[]): number => quantile(xs, 0.5);

/** The engine before the model host: every generation started a worker that loaded tfjs, the model and its index. */
async function freshWorkerGeneration(dir: string, seed: number): Promise<number> {
  const host = new ModelHost(defaultPaths());
  const t0 = performance.now();
  await host.call({ op: 'generate', dir, params: { ...PARAMS, seed } });
  const took = ms(t0);
  await host.dispose();
  return took;
}

async function main(): Promise<void> {
  const paths = { ...defaultPaths(), userData: join(root, '.cache', 'bench-user'), cache: join(root, '.cache', 'bench-cache') };
  const model = await resolveModel(DEFAULT_MODEL_ID, paths);

  // Cold: from the engine's start (which starts the model worker and loads the default model) to the first bar.
  const t0 = performance.now();
  const engine = new Engine({ mode: 'web', paths });
  const opened = await engine.host.call({ op: 'open', dir: model.dir, params: { seed: 1 } });
  const first = await engine.host.call({ op: 'step', session: opened.id, seconds: BAR_SECONDS });
  const coldFirstBarMs = ms(t0);
  const t1 = performance.now();
  await engine.host.call({ op: 'generate', dir: model.dir, params: { ...PARAMS, seed: 1 } });
  const coldGenerateMs = ms(t0);
  const firstGenerateMs = ms(t1);

  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await engine.host.call({ op: 'generate', dir: model.dir, params: { ...PARAMS, seed: 10 + i } });
    warm.push(ms(t));
  }

  const bars: number[] = [];
  let notes = first.events.length;
  for (let i = 0; i < BARS; i++) {
    const t = performance.now();
    const chunk = await engine.host.call({ op: 'step', session: opened.id, seconds: BAR_SECONDS });
    bars.push(ms(t));
    notes += chunk.events.filter((e) => e.type === 'on').length;
  }
  await engine.host.call({ op: 'close', session: opened.id });

  const baselineIdle: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) baselineIdle.push(await freshWorkerGeneration(model.dir, 50 + i));

  // A training job holds a core (the Conditional Char-RNN at the shipped size, on the test fixtures).
  const job = engine.jobs.start('train-model', 'bench training', {
    params: {
      kind: model.kind,
      dataFolder: join(root, 'tests', 'fixtures', 'charrnn'),
      cacheDir: paths.cache,
      outDir: join(paths.userData, 'models', 'bench'),
      preset: 'small',
      params: { layers: 2, units: 128, batch: 16, segment: 128, steps: 1_000_000, validEvery: 1_000_000, checkpointEvery: 1_000_000 },
    },
  });
  const rates: { at: number; rate: number }[] = [];
  engine.jobs.onChange((j) => {
    if (j.id === job.id && j.rate !== undefined) rates.push({ at: performance.now(), rate: j.rate });
  });
  // Wait until it is really training (past the import and the first steps).
  while (!rates.some((r) => r.rate > 0)) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 3000));
  const rateBefore = rates.at(-1)!.rate;
  const during: number[] = [];
  const tDuring = performance.now();
  for (let i = 0; i < WARM_RUNS; i++) {
    const t = performance.now();
    await engine.host.call({ op: 'generate', dir: model.dir, params: { ...PARAMS, seed: 100 + i } });
    during.push(ms(t));
  }
  const baselineDuring: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) baselineDuring.push(await freshWorkerGeneration(model.dir, 150 + i));
  await new Promise((r) => setTimeout(r, 3000));
  const rateAfter = rates.at(-1)!.rate;
  engine.jobs.cancel(job.id);
  await engine.jobs.wait(job.id);
  await engine.dispose();

  const report = {
    machine: { cpus: cpus().length, node: process.version, model: model.id, generation: `${PARAMS.seconds} s of music, ${JSON.stringify(PARAMS)}` },
    goals: { coldFirstBarMs: 1000, warmGenerateMs: 300, sessionBarP99Ms: 30, duringTrainingMs: 2000 },
    cold: { firstBarMs: coldFirstBarMs, generate20sAfterStartMs: coldGenerateMs, firstGenerateOnWarmWorkerMs: firstGenerateMs },
    warm: { generate20sMedianMs: median(warm), generate20sMaxMs: Math.max(...warm), runs: warm },
    session: { bars: BARS, barSeconds: BAR_SECONDS, p50Ms: quantile(bars, 0.5), p99Ms: quantile(bars, 0.99), maxMs: Math.max(...bars), notesPerBar: Math.round((notes / (BARS + 1)) * 10) / 10 },
    duringTraining: {
      generate20sMedianMs: median(during),
      generate20sMaxMs: Math.max(...during),
      trainingEventsPerSecond: { before: Math.round(rateBefore), afterGenerations: Math.round(rateAfter) },
      generationWindowSeconds: Math.round((performance.now() - tDuring) / 100) / 10,
    },
    baseline: {
      what: 'a fresh worker per generation that loads tfjs, the wasm backend, the model and its plagiarism index (the engine before the model host)',
      idleMedianMs: median(baselineIdle),
      duringTrainingMedianMs: median(baselineDuring),
      runs: { idle: baselineIdle, duringTraining: baselineDuring },
    },
  };
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

void main();
