// A DCRNN model folder loaded for use: music from a noise schedule (forms, interpolations), a live session driven by z, and its measures.
import * as tf from '@tensorflow/tfjs';
import { CancelledError, InvalidArgumentError } from '../../../../shared/errors';
import type { LiveEvent, SessionChunk } from '../../../../shared/generation';
import { parseKey } from '../../../../shared/keys';
import { planBars, type BarPlan } from '../../../../shared/noise';
import { keyPresetHistogram } from '../../../music/features';
import { CheckpointError, loadCheckpoint } from '../../checkpoint';
import { diversity, measureRoll, meanMeasures, type RollMeasures } from '../../eval/rollMetrics';
import { parseParams, type Evaluation, type EvaluationInput, type GenerateOutput, type LoadedModel, type ModelRef, type ModelSession, type RunContext } from '../../platform/kind';
import { assignWeights } from '../../train/loop';
import { Rng } from '../../train/rng';
import { CHECKPOINT_FORMAT, CONDITION_SIZE, ROLL_LOW, ROLL_PITCHES, STEP_SECONDS, STEPS_PER_BAR, type DcrnnCheckpointConfig } from './config';
import { barOf, binarize, interpolate, noiseOfSeed, rollToSequence, STEP_TICKS } from './converter';
import { pieceRoll, RollSource } from './data';
import { Dcrnn } from './model';
import { controlSchema, evaluateSchema, generateSchema, scheduleOf, type DcrnnGenerateParams } from './params';

const BAR_TICKS = STEPS_PER_BAR * STEP_TICKS;
/** How far each further segment of a fixed vector moves towards a vector of its own (slerp). */
const VARIATION = 0.15;

export async function loadDcrnnModel(ref: ModelRef): Promise<LoadedModel> {
  const ckpt = await loadCheckpoint(ref.checkpointPath);
  const config = ckpt.config as Partial<DcrnnCheckpointConfig>;
  if (config.format !== CHECKPOINT_FORMAT || !config.model) throw new CheckpointError(`"${ref.checkpointPath}" is not a DCRNN checkpoint (format "${String(config.format)}")`);
  const model = new Dcrnn(config.model);
  try {
    assignWeights([...model.generatorVariables, ...model.criticVariables], ckpt.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return new LoadedDcrnn(ref, model, config.meanHistogram ?? new Array<number>(12).fill(1 / 12));
}

/** Frame probabilities of one segment per noise vector, in one batch. */
function segments(model: Dcrnn, zs: readonly Float32Array[], histogram: readonly number[]): Float32Array[] {
  const n = zs.length;
  const size = model.config.noiseSize;
  const probs = tf.tidy(() => {
    const z = tf.tensor2d(Float32Array.from(zs.flatMap((v) => [...v])), [n, size]);
    const c = model.config.conditional ? tf.tensor2d(Float32Array.from({ length: n * CONDITION_SIZE }, (_, i) => histogram[i % CONDITION_SIZE]!), [n, CONDITION_SIZE]) : undefined;
    return model.generate(z, c);
  });
  const values = probs.dataSync() as Float32Array;
  probs.dispose();
  const cells = model.steps * ROLL_PITCHES;
  return zs.map((_, i) => values.slice(i * cells, (i + 1) * cells));
}

class LoadedDcrnn implements LoadedModel {
  readonly manifest: ModelRef['manifest'];
  readonly bytes: number;

  constructor(
    ref: ModelRef,
    private readonly model: Dcrnn,
    private readonly meanHistogram: number[],
  ) {
    this.manifest = ref.manifest;
    const counts = model.parameterCount();
    this.bytes = (counts.generator + counts.critic) * 4;
  }

  private histogram(key: string | undefined | null): number[] {
    if (!key) return this.meanHistogram;
    const k = parseKey(key);
    if (!k) throw new InvalidArgumentError(`"${key}" is not a key; write it like "C major", "F# minor" or "Bb"`);
    return keyPresetHistogram(k.tonic, k.mode);
  }

  /**
   * The vector of a bar's segment. A fixed vector plays one segment; a section longer than that goes on with
   * variations of it (its `variation`-th segment moves VARIATION of the way to a vector of its own), so that twelve
   * bars are not one segment four times, and still the same each time the section is played.
   */
  private zOf(plan: BarPlan['z'], variation: number): Float32Array {
    const size = this.model.config.noiseSize;
    if (!('seed' in plan)) return interpolate(noiseOfSeed(plan.from, size), noiseOfSeed(plan.to, size), plan.t, plan.mode);
    const z = noiseOfSeed(plan.seed, size);
    return variation === 0 ? z : interpolate(z, noiseOfSeed((plan.seed * 7919 + variation * 104729) % 2 ** 31, size), VARIATION, 'slerp');
  }

  /** A bar's segment: its vector and, for a fixed vector, which variation of it. */
  private segmentKey(plan: BarPlan): string {
    const variation = 'seed' in plan.z ? Math.floor(plan.barInSection / this.model.bars) : 0;
    return JSON.stringify([plan.z, variation]);
  }

  async generate(raw: unknown, _extras: unknown, ctx: RunContext): Promise<GenerateOutput> {
    const p = parseParams(generateSchema, raw, 'DCRNN generation') as DcrnnGenerateParams;
    const seed = p.seed ?? Math.floor(Math.random() * 2 ** 31);
    const plans = planBars(scheduleOf(p, seed));
    const histogram = this.histogram(p.key);
    // One segment per distinct vector (and variation): a bar is bar (its index in the section mod the segment's bars) of its segment.
    const distinct = [...new Set(plans.map((b) => this.segmentKey(b)))];
    const probs = new Map<string, Float32Array>();
    const chunk = 32;
    for (let i = 0; i < distinct.length; i += chunk) {
      if (ctx.signal?.aborted) throw new CancelledError('generation cancelled');
      const part = distinct.slice(i, i + chunk);
      segments(this.model, part.map((k) => this.zOf(...(JSON.parse(k) as [BarPlan['z'], number]))), histogram).forEach((v, j) => probs.set(part[j]!, v));
      ctx.progress?.((i + part.length) / distinct.length, 'generating');
      await new Promise((r) => setImmediate(r));
    }
    const barCells = STEPS_PER_BAR * ROLL_PITCHES;
    const sequence = rollToSequence(new Uint8Array(0), 0, p.velocity);
    // Each section is decoded on its own: a note held at a section's end does not run into the next one, so that a
    // section that comes back (the second A) plays exactly as the first did.
    for (const section of sectionsOf(plans)) {
      const bars = plans.filter((b) => b.bar * BAR_TICKS >= section.startTick && b.bar * BAR_TICKS < section.endTick);
      const roll = new Uint8Array(bars.length * barCells);
      bars.forEach((plan, i) => {
        const segment = probs.get(this.segmentKey(plan))!;
        const bar = plan.barInSection % this.model.bars;
        const rng = p.sample ? new Rng(seed * 7919 + plan.bar) : null;
        roll.set(binarize(segment.subarray(bar * barCells, (bar + 1) * barCells), p.threshold, rng), i * barCells);
      });
      for (const n of rollToSequence(roll, bars.length * STEPS_PER_BAR, p.velocity).notes) {
        sequence.notes.push({ ...n, startTick: n.startTick + section.startTick, endTick: n.endTick + section.startTick });
      }
      sequence.sections.push(section);
    }
    return { sequence, seed, seconds: plans.length * STEPS_PER_BAR * STEP_SECONDS, params: { ...p, seed }, wantsVelocities: p.velocityNet };
  }

  openSession(raw: unknown): ModelSession {
    const p = parseParams(generateSchema, raw, 'DCRNN session') as DcrnnGenerateParams;
    return new DcrnnSession(this.model, this, { ...p, seed: p.seed ?? Math.floor(Math.random() * 2 ** 31) });
  }

  /** For the session: the segment of one vector. */
  segment(z: Float32Array, key: string | null | undefined): Float32Array {
    return segments(this.model, [z], this.histogram(key))[0]!;
  }

  async evaluate(input: EvaluationInput, ctx: RunContext): Promise<Evaluation> {
    const o = parseParams(evaluateSchema, input.options, 'DCRNN evaluation') as { samples: number; key?: string; seed: number };
    const key = o.key ? parseKey(o.key)! : undefined;
    const histogram = this.histogram(o.key);
    const zs = Array.from({ length: o.samples }, (_, i) => noiseOfSeed(o.seed + i, this.model.config.noiseSize));
    const generated: Uint8Array[] = [];
    for (let i = 0; i < zs.length; i += 32) {
      for (const probs of segments(this.model, zs.slice(i, i + 32), histogram)) generated.push(binarize(probs, 0.5, null));
      ctx.progress?.(Math.min(1, (i + 32) / zs.length) * 0.8, 'generating');
      await new Promise((r) => setImmediate(r));
    }
    const realPieces = input.pieces.map((piece) => pieceRoll(piece.title ?? piece.file, input.dataset.tokensOf(piece)));
    const real = new RollSource(realPieces, this.model.steps).sample(new Rng(o.seed), o.samples, 0);
    const cells = this.model.steps * ROLL_PITCHES;
    const realRolls = Array.from({ length: o.samples }, (_, i) => Uint8Array.from(real.x.subarray(i * cells, (i + 1) * cells)));
    const measure = (rolls: Uint8Array[]): RollMeasures =>
      meanMeasures(rolls.map((data) => measureRoll({ steps: this.model.steps, pitches: ROLL_PITCHES, lowPitch: ROLL_LOW, data }, { stepsPerBar: STEPS_PER_BAR, ...(key ? { key } : {}) })));
    const g = measure(generated);
    const r = measure(realRolls);
    const metrics: Record<string, number> = {};
    for (const [name, v] of Object.entries(g)) metrics[name] = v as number;
    for (const [name, v] of Object.entries(r)) metrics[`real.${name}`] = v as number;
    metrics.diversity = diversity(generated);
    metrics['real.diversity'] = diversity(realRolls);
    ctx.progress?.(1, 'measured');
    return { metrics, count: o.samples, countUnit: 'segments', options: { samples: o.samples, seed: o.seed, ...(o.key ? { key: o.key } : {}) } };
  }

  dispose(): void {
    this.model.dispose();
  }
}

/** Sections of the piece: one per run of bars of the same occurrence of a label. */
function sectionsOf(plans: readonly BarPlan[]): { name: string; startTick: number; endTick: number }[] {
  const out: { name: string; startTick: number; endTick: number }[] = [];
  for (const plan of plans) {
    const last = out[out.length - 1];
    if (last && plan.barInSection > 0) last.endTick = (plan.bar + 1) * BAR_TICKS;
    else out.push({ name: plan.label, startTick: plan.bar * BAR_TICKS, endTick: (plan.bar + 1) * BAR_TICKS });
  }
  return out;
}

/** Bar after bar from the current noise vector, which a player changes as it plays (z0, z1, ... from an armband). */
class DcrnnSession implements ModelSession {
  readonly params: Record<string, unknown>;
  private z: Float32Array;
  private key: string | null;
  private threshold: number;
  private sample: boolean;
  private bar = 0;
  private cached: { z: Float32Array; key: string | null; probs: Float32Array } | null = null;
  private readonly sounding = new Uint8Array(ROLL_PITCHES);
  private readonly rng: Rng;

  constructor(
    private readonly model: Dcrnn,
    private readonly loaded: LoadedDcrnn,
    p: DcrnnGenerateParams & { seed: number },
  ) {
    this.params = { ...p };
    this.z = noiseOfSeed(p.seed, model.config.noiseSize);
    this.key = p.key ?? null;
    this.threshold = p.threshold;
    this.sample = p.sample;
    this.rng = new Rng(p.seed);
  }

  step(seconds: number): SessionChunk {
    if (!(seconds > 0)) throw new InvalidArgumentError(`a session step must be longer than 0 s, got ${seconds}`);
    const barSeconds = STEPS_PER_BAR * STEP_SECONDS;
    const bars = Math.max(1, Math.round(seconds / barSeconds));
    const from = this.bar * barSeconds;
    const events: LiveEvent[] = [];
    for (let k = 0; k < bars; k++) {
      // The segment is made again only when the vector or the key changed since the last bar.
      if (!this.cached || this.cached.key !== this.key || !sameVector(this.cached.z, this.z)) {
        this.cached = { z: Float32Array.from(this.z), key: this.key, probs: this.loaded.segment(this.z, this.key) };
      }
      const cells = binarize(barOf(this.cached.probs, this.bar % this.model.bars), this.threshold, this.sample ? this.rng : null);
      for (let s = 0; s < STEPS_PER_BAR; s++) {
        const t = (this.bar * STEPS_PER_BAR + s) * STEP_SECONDS;
        for (let p = 0; p < ROLL_PITCHES; p++) {
          const on = cells[s * ROLL_PITCHES + p] === 1;
          if (on && !this.sounding[p]) events.push({ seconds: t, type: 'on', pitch: ROLL_LOW + p, velocity: (this.params.velocity as number) ?? 80 });
          if (!on && this.sounding[p]) events.push({ seconds: t, type: 'off', pitch: ROLL_LOW + p, velocity: 0 });
          this.sounding[p] = on ? 1 : 0;
        }
      }
      this.bar++;
    }
    return { fromSeconds: from, toSeconds: this.bar * barSeconds, events };
  }

  control(raw: unknown): void {
    // Not parseParams: its strict mode would refuse z0, z1, ... which the schema takes as its catch-all.
    const r = controlSchema.safeParse(raw ?? {});
    if (!r.success) throw new InvalidArgumentError(`invalid DCRNN session control: ${r.error.issues.map((i) => `${i.path.join('.') || '(values)'}: ${i.message}`).join('; ')}`);
    const values = r.data as Record<string, unknown>;
    for (const [name, v] of Object.entries(values)) {
      const dim = /^z(\d+)$/.exec(name);
      if (dim) {
        const i = Number(dim[1]);
        if (i >= this.z.length) throw new InvalidArgumentError(`z${i} is past the end of a ${this.z.length}-value noise vector`);
        this.z[i] = v as number;
      } else if (name === 'seed' && v !== undefined) {
        this.z = noiseOfSeed(v as number, this.z.length);
        this.params.seed = v;
      } else if (name === 'key') {
        this.key = (v as string | null | undefined) ?? null;
      } else if (name === 'threshold' && v !== undefined) {
        this.threshold = v as number;
      } else if (name === 'sample' && v !== undefined) {
        this.sample = v as boolean;
      } else if (name !== 'seed' && name !== 'threshold' && name !== 'sample') {
        throw new InvalidArgumentError(`a DCRNN session takes key, seed, threshold, sample and z0..z${this.z.length - 1}, not "${name}"`);
      }
    }
  }

  dispose(): void {
    this.cached = null;
  }
}

function sameVector(a: Float32Array, b: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
