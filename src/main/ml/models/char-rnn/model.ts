// The Char-RNN and Conditional Char-RNN: stacked LSTMs over performance events; initialize, train, generate, stream, evaluate, dispose.
import * as tf from '@tensorflow/tfjs';
import { CancelledError, InvalidArgumentError, StudioError } from '../../../../shared/errors';
import { DEFAULT_GENERATE, type ConditionSpec, type GenerateOptions } from '../../../../shared/generation';
import type { NoteSequence } from '../../../../shared/song';
import { velocityToken } from '../../../music/performance';
import { CheckpointError, loadCheckpoint } from '../../checkpoint';
import { glorotUniform } from '../../core/init';
import { createLstmLayer, disposeLstmLayer, lstmSequence, lstmSequenceProjected, zeroState, type LstmLayer } from '../../core/lstm';
import { LstmStreamer } from '../../core/streaming';
import type { NamedVariable } from '../../train/adam';
import { assignWeights, train, type TrainProgress, type TrainResult } from '../../train/loop';
import { supervisedRecipe } from '../../train/recipes/supervised';
import { Rng } from '../../train/rng';
import { charRnnConfigSchema, charRnnTrainConfigSchema, type CharRnnConfig, type CharRnnTrainConfig } from './config';
import { ConditionSchedule, encodeCondition, resolveCondition, type ConditionValues } from './conditions';
import { batchToTensors, eventSeconds, primerTokens, tokensToSequence } from './converter';
import { SegmentSource, type SegmentBatch, type TokenCorpus, type TokenPiece } from './data';
import { checkSampling, sampleLogits, type SamplingOptions } from './sampler';

/** What checkpoint config.json holds for a Char-RNN. */
export interface CharRnnCheckpointConfig {
  format: typeof CHECKPOINT_FORMAT;
  model: CharRnnConfig;
  train?: CharRnnTrainConfig;
}

const CHECKPOINT_FORMAT = 'deep-symphony-char-rnn/1';
/** Velocity bin ~64 ("mezzo-forte"): the first event read when there is no primer. */
const START_TOKEN = velocityToken(16);
/** A model that never emits time-shifts must still stop: at most this many events per second asked for. */
const MAX_EVENTS_PER_SECOND = 400;
const SEGMENTS_FOR_DEFAULTS = 2000;
/** Events between progress reports and cancel checks of generateAsync (a few ms of work). */
const CHUNK_EVENTS = 256;

/** A model whose output cannot be music (non-finite scores from damaged weights). */
export class ModelOutputError extends StudioError {}

export interface TrainRunOptions {
  /** Where checkpoints go; none are written without it. */
  checkpointPath?: string;
  resume?: boolean;
  /** Seconds this run may take (see TrainOptions.timeBudgetSeconds). */
  timeBudgetSeconds?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Called after each validation with a short sample from the current weights, so a person can hear progress. */
  onPreview?: (sample: NoteSequence) => void;
  /** Length of those samples (default 4 s). */
  previewSeconds?: number;
}

export interface GeneratedEvents {
  tokens: Uint16Array;
  sequence: NoteSequence;
  seed: number;
  seconds: number;
  /** The options with defaults filled in (primer left out). */
  applied: Omit<GenerateOptions, 'primer'>;
}

let instances = 0;

export class CharRnn {
  readonly config: CharRnnConfig;
  private layers: LstmLayer[] = [];
  private outKernel: tf.Variable<tf.Rank.R2> | null = null;
  private outBias: tf.Variable<tf.Rank.R1> | null = null;

  /** @throws InvalidArgumentError for a configuration that does not validate. */
  constructor(config: CharRnnConfig) {
    const parsed = charRnnConfigSchema.safeParse(config);
    if (!parsed.success) throw new InvalidArgumentError(`invalid Char-RNN config: ${parsed.error.message}`);
    this.config = structuredClone(config);
  }

  get conditional(): boolean {
    return this.config.conditionSize > 0;
  }

  get initialized(): boolean {
    return this.outKernel !== null;
  }

  /** Creates fresh variables from config.initSeed, disposing any previous ones first. */
  initialize(): void {
    this.dispose();
    // tfjs variable names are global: each instance gets its own prefix, checkpoints use the stable part.
    const prefix = `charRnn${++instances}`;
    const { units, vocabSize, conditionSize, initSeed } = this.config;
    // A scope frees the tensors the variables are made from (tf.variable keeps its own reference).
    tf.engine().startScope();
    try {
      this.create(prefix, units, vocabSize, conditionSize, initSeed);
    } finally {
      tf.engine().endScope();
    }
  }

  private create(prefix: string, units: number[], vocabSize: number, conditionSize: number, initSeed: number): void {
    this.layers = units.map((u, k) => createLstmLayer(`${prefix}/lstm${k}`, k === 0 ? vocabSize + conditionSize : units[k - 1]!, u, initSeed * 1009 + k * 17));
    const last = units[units.length - 1]!;
    this.outKernel = tf.variable(tf.tensor2d(glorotUniform(last, vocabSize, initSeed * 1009 + 997), [last, vocabSize]), true, `${prefix}/output/kernel`);
    this.outBias = tf.variable(tf.zeros([vocabSize]), true, `${prefix}/output/bias`);
  }

  /** Every trainable variable under its checkpoint name. */
  namedVariables(): NamedVariable[] {
    this.ensureInitialized();
    const out: NamedVariable[] = [];
    this.layers.forEach((l, k) => {
      out.push({ name: `lstm${k}/kernel`, variable: l.kernel });
      out.push({ name: `lstm${k}/recurrentKernel`, variable: l.recurrentKernel });
      out.push({ name: `lstm${k}/bias`, variable: l.bias });
    });
    out.push({ name: 'output/kernel', variable: this.outKernel! });
    out.push({ name: 'output/bias', variable: this.outBias! });
    return out;
  }

  parameterCount(): number {
    return this.namedVariables().reduce((n, v) => n + v.variable.size, 0);
  }

  /** Mean cross-entropy in nats per event; dropout only when a seed is given (training). */
  loss(batch: SegmentBatch, dropoutSeed: number | null): tf.Scalar {
    this.ensureInitialized();
    const { vocabSize, dropout } = this.config;
    const drop = (x: tf.Tensor3D, k: number): tf.Tensor3D =>
      dropoutSeed !== null && dropout > 0 ? (tf.dropout(x, dropout, undefined, dropoutSeed + k) as tf.Tensor3D) : x;
    return tf.tidy(() => {
      const { inputs, targets } = batchToTensors(batch, vocabSize);
      const { batch: b, time } = batch;
      const first = this.layers[0]!;
      // The one-hot input goes through the first layer's kernel as one product for all steps.
      const proj = tf.add(tf.matMul(inputs, first.kernel), first.bias).reshape([b, time, 4 * first.units]) as tf.Tensor3D;
      let y = lstmSequenceProjected(first, proj, zeroState(b, first.units)).y;
      for (let k = 1; k < this.layers.length; k++) {
        const layer = this.layers[k]!;
        y = lstmSequence(layer, drop(y, k), zeroState(b, layer.units)).y;
      }
      y = drop(y, this.layers.length);
      const last = this.layers[this.layers.length - 1]!.units;
      const logits = tf.add(tf.matMul(tf.reshape(y, [b * time, last]), this.outKernel!), this.outBias!);
      return tf.div(tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), targets))), b * time) as tf.Scalar;
    });
  }

  /** Mean negative log-likelihood in nats per event over batches (weighted by their sizes). */
  async meanLoss(batches: readonly SegmentBatch[]): Promise<number> {
    let total = 0;
    let count = 0;
    for (const batch of batches) {
      const loss = this.loss(batch, null);
      const value = (await loss.data())[0]!;
      loss.dispose();
      total += value * batch.batch * batch.time;
      count += batch.batch * batch.time;
      await new Promise((r) => setImmediate(r));
    }
    return count > 0 ? total / count : NaN;
  }

  /**
   * Negative log-likelihood in nats per event over whole pieces: consecutive windows of `window` predictions,
   * each starting from a zero state with its first event as context (as in training), every event scored once.
   */
  async evaluate(
    pieces: readonly TokenPiece[],
    options: { window: number; batchSize: number; signal?: AbortSignal; onProgress?: (fraction: number) => void },
  ): Promise<number> {
    const batches = new SegmentSource(pieces, options.window, this.conditional).allWindows(options.window, options.batchSize);
    let total = 0;
    let count = 0;
    for (let i = 0; i < batches.length; i++) {
      if (options.signal?.aborted) throw new CancelledError(`evaluation cancelled after ${i} of ${batches.length} batches`);
      const batch = batches[i]!;
      const loss = this.loss(batch, null);
      total += (await loss.data())[0]! * batch.batch * batch.time;
      loss.dispose();
      count += batch.batch * batch.time;
      options.onProgress?.((i + 1) / batches.length);
      await new Promise((r) => setImmediate(r));
    }
    return total / count;
  }

  /**
   * Trains on random segments of corpus.train, validating on fixed segments of corpus.valid.
   * Conditional models first measure the training data's typical conditions (the generation defaults).
   */
  async train(corpus: TokenCorpus, trainConfig: CharRnnTrainConfig, options: TrainRunOptions = {}): Promise<TrainResult> {
    const parsed = charRnnTrainConfigSchema.safeParse(trainConfig);
    if (!parsed.success) throw new InvalidArgumentError(`invalid training config: ${parsed.error.message}`);
    const source = new SegmentSource(corpus.train, trainConfig.segmentLength, this.conditional);
    const valid = new SegmentSource(corpus.valid, trainConfig.segmentLength, this.conditional);
    if (this.conditional && !this.config.conditionDefaults) {
      this.config.conditionDefaults = source.typicalConditions(new Rng(trainConfig.seed + 104729), SEGMENTS_FOR_DEFAULTS);
    }
    if (!this.initialized) {
      this.initialize();
      this.startFromUnigram(corpus.train);
    }
    const validBatches = valid.fixedBatches(trainConfig.validSegments, trainConfig.batchSize, new Rng(trainConfig.seed + 7919));
    const { onPreview, previewSeconds = 4, ...loopOptions } = options;
    const recipe = supervisedRecipe<SegmentBatch>(
      {
        variables: this.namedVariables(),
        config: () => this.checkpointConfig(trainConfig),
        sampleBatch: (rng) => source.sample(rng, trainConfig.batchSize, trainConfig.transpose),
        batchItems: (b) => b.batch * b.time,
        loss: (b, seed) => this.loss(b, seed),
        validate: async () => {
          const loss = await this.meanLoss(validBatches);
          // Same seed every time: successive previews differ only by what the model has learnt.
          if (onPreview) onPreview(this.generate({ lengthSeconds: previewSeconds, seed: trainConfig.seed, temperature: 1 }).sequence);
          return loss;
        },
      },
      {
        steps: trainConfig.steps,
        learningRate: trainConfig.learningRate,
        warmupSteps: trainConfig.warmupSteps,
        decay: trainConfig.decay,
        finalLearningRateFraction: trainConfig.finalLearningRateFraction,
        clipNorm: trainConfig.clipNorm,
        rateUnit: 'events/s',
      },
    );
    return train(recipe, {
      validEvery: trainConfig.validEvery,
      checkpointEvery: trainConfig.checkpointEvery,
      seed: trainConfig.seed,
      ...loopOptions,
    });
  }

  /**
   * Sets the output bias to the log-frequencies of the events in `pieces`, so that training starts from the
   * unigram distribution (about 4.5 nats on piano music) instead of spending its first thousand steps getting there.
   */
  private startFromUnigram(pieces: readonly TokenPiece[]): void {
    const counts = new Float64Array(this.config.vocabSize).fill(1);
    let total = this.config.vocabSize;
    for (const p of pieces) {
      for (const t of p.tokens) counts[t]!++;
      total += p.tokens.length;
    }
    const logs = Float32Array.from(counts, (c) => Math.log(c / total));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    tf.tidy(() => this.outBias!.assign(tf.tensor1d(logs.map((x) => x - mean))));
  }

  checkpointConfig(trainConfig?: CharRnnTrainConfig): CharRnnCheckpointConfig {
    return trainConfig ? { format: CHECKPOINT_FORMAT, model: this.config, train: trainConfig } : { format: CHECKPOINT_FORMAT, model: this.config };
  }

  /**
   * Loads a model from a checkpoint folder.
   * @throws CheckpointError when the folder holds no Char-RNN or its weights do not fit the config.
   */
  static async load(checkpointPath: string): Promise<{ model: CharRnn; config: CharRnnCheckpointConfig }> {
    const ckpt = await loadCheckpoint(checkpointPath);
    const config = ckpt.config as Partial<CharRnnCheckpointConfig>;
    if (config.format !== CHECKPOINT_FORMAT || !config.model) {
      throw new CheckpointError(`"${checkpointPath}" is not a Char-RNN checkpoint (format "${String(config.format)}")`);
    }
    const model = new CharRnn(config.model);
    model.initialize();
    try {
      assignWeights(model.namedVariables(), ckpt.weights);
    } catch (err) {
      model.dispose();
      throw err;
    }
    return { model, config: config as CharRnnCheckpointConfig };
  }

  /** A live generator: state is carried from one event to the next; conditions may change at any step. */
  stream(options: Omit<GenerateOptions, 'lengthSeconds' | 'lengthEvents'> = {}): CharRnnStream {
    this.ensureInitialized();
    const sampling: SamplingOptions = {
      temperature: options.temperature ?? DEFAULT_GENERATE.temperature,
      topK: options.topK ?? DEFAULT_GENERATE.topK,
      topP: options.topP ?? DEFAULT_GENERATE.topP,
    };
    checkSampling(sampling);
    if (options.conditions && !this.conditional) {
      throw new InvalidArgumentError(`conditions were given, but this ${this.config.kind} model takes none`);
    }
    const seed = options.seed ?? Math.floor(Math.random() * 2 ** 32);
    const streamer = new LstmStreamer(
      this.layers,
      { kernel: this.outKernel!, bias: this.outBias! },
      { vocabSize: this.config.vocabSize, conditionSize: this.config.conditionSize },
    );
    const schedule = this.conditional ? new ConditionSchedule(options.conditions, options.conditions?.timeline, this.conditionDefaults()) : null;
    const primer = options.primer ? primerTokens(options.primer) : new Uint16Array(0);
    return new CharRnnStream(streamer, sampling, seed, schedule, primer.length > 0 ? primer : Uint16Array.of(START_TOKEN), this.conditional ? this.conditionDefaults() : null);
  }

  /** Generates events until lengthSeconds of music or lengthEvents events (default 30 s). */
  generate(options: GenerateOptions = {}): GeneratedEvents {
    const run = this.generation(options);
    for (;;) {
      const r = run.next();
      if (r.done) return r.value;
    }
  }

  /**
   * generate() for a long-lived worker: the same events, with progress and cancel between chunks, and the thread
   * handed back to the event loop between them so that a cancel message can arrive.
   * @throws CancelledError when the signal aborts.
   */
  async generateAsync(options: GenerateOptions, ctx: { signal?: AbortSignal; progress?: (fraction: number) => void } = {}): Promise<GeneratedEvents> {
    const run = this.generation(options);
    try {
      for (;;) {
        if (ctx.signal?.aborted) throw new CancelledError('generation cancelled');
        const r = run.next();
        if (r.done) return r.value;
        ctx.progress?.(r.value);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      // Disposes the stream when cancelled mid-way (a finished generator ignores this).
      run.return(undefined as never);
    }
  }

  /** Yields the fraction done after each chunk of events; returns the result. */
  private *generation(options: GenerateOptions): Generator<number, GeneratedEvents, undefined> {
    const lengthEvents = options.lengthEvents;
    const lengthSeconds = options.lengthSeconds ?? (lengthEvents === undefined ? DEFAULT_GENERATE.lengthSeconds : undefined);
    if (lengthSeconds !== undefined && !(lengthSeconds > 0)) throw new InvalidArgumentError(`lengthSeconds must be > 0, got ${lengthSeconds}`);
    if (lengthEvents !== undefined && !(Number.isInteger(lengthEvents) && lengthEvents > 0)) {
      throw new InvalidArgumentError(`lengthEvents must be a positive integer, got ${lengthEvents}`);
    }
    const stream = this.stream(options);
    try {
      const cap = Math.min(lengthEvents ?? Infinity, lengthSeconds !== undefined ? Math.ceil(lengthSeconds * MAX_EVENTS_PER_SECOND) + 1 : Infinity);
      const tokens: number[] = [];
      while (tokens.length < cap && (lengthSeconds === undefined || stream.seconds < lengthSeconds)) {
        tokens.push(stream.next());
        if (tokens.length % CHUNK_EVENTS === 0) {
          yield Math.min(1, Math.max(tokens.length / cap, lengthSeconds !== undefined ? stream.seconds / lengthSeconds : 0));
        }
      }
      const { primer: _primer, ...rest } = options;
      const applied: Omit<GenerateOptions, 'primer'> = {
        ...rest,
        temperature: stream.sampling.temperature,
        topK: stream.sampling.topK,
        topP: stream.sampling.topP,
        seed: stream.seed,
      };
      if (lengthSeconds !== undefined) applied.lengthSeconds = lengthSeconds;
      const sequence = tokensToSequence(tokens);
      if (tokens.length > 0 && !stream.finite) {
        throw new ModelOutputError(`the model produced non-finite scores (NaN or infinity) after ${tokens.length} events: its weights are damaged`);
      }
      return { tokens: Uint16Array.from(tokens), sequence, seed: stream.seed, seconds: stream.seconds, applied };
    } finally {
      stream.dispose();
    }
  }

  /** The training data's typical conditions (what left-out conditions default to). */
  conditionDefaults(): ConditionValues {
    const d = this.config.conditionDefaults;
    if (!d) throw new InvalidArgumentError(`this ${this.config.kind} model has no condition statistics (it has not seen training data)`);
    return d;
  }

  dispose(): void {
    for (const l of this.layers) disposeLstmLayer(l);
    this.layers = [];
    this.outKernel?.dispose();
    this.outBias?.dispose();
    this.outKernel = null;
    this.outBias = null;
  }

  private ensureInitialized(): void {
    if (!this.initialized) throw new InvalidArgumentError('the model has no weights: call initialize(), train() or CharRnn.load() first');
  }
}

/** Step-by-step sampling with the LSTM state carried between calls; the unit of live generation. */
export class CharRnnStream {
  /** Seconds of music generated so far (sum of time-shifts). */
  seconds = 0;
  events = 0;
  /** False once the model has produced a NaN or infinite score (damaged weights). */
  finite = true;
  private logits: Float32Array;
  private live: Float32Array | null = null;
  private readonly rng: Rng;

  constructor(
    private readonly streamer: LstmStreamer,
    readonly sampling: SamplingOptions,
    readonly seed: number,
    private readonly schedule: ConditionSchedule | null,
    context: Uint16Array,
    private readonly defaults: ConditionValues | null,
  ) {
    this.rng = new Rng(seed);
    let logits: Float32Array | null = null;
    for (const t of context) logits = this.streamer.step(t, this.condition());
    this.logits = logits!;
  }

  /** Overrides the scheduled conditions from now on (null returns to the schedule); e.g. from a gesture. */
  setConditions(spec: ConditionSpec | null): void {
    if (!this.defaults) throw new InvalidArgumentError('this model takes no conditions');
    this.live = spec ? encodeCondition(resolveCondition(spec, this.defaults)) : null;
  }

  /** Samples the next event, feeds it back, and returns it. */
  next(): number {
    if (!Number.isFinite(this.logits[0]!)) this.finite = false;
    const token = sampleLogits(this.logits, this.sampling, this.rng);
    this.seconds += eventSeconds(token);
    this.events++;
    this.logits = this.streamer.step(token, this.condition());
    return token;
  }

  /** Events as they come, for consumers that pace themselves (a live player awaits between events). */
  async *[Symbol.asyncIterator](): AsyncGenerator<number, void, undefined> {
    for (;;) yield this.next();
  }

  dispose(): void {
    this.streamer.dispose();
  }

  private condition(): Float32Array | undefined {
    if (!this.schedule) return undefined;
    return this.live ?? this.schedule.at(this.seconds);
  }
}
