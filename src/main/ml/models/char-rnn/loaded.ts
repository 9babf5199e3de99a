// A Char-RNN model folder loaded for use: generate, stream a live session, evaluate on pieces, dispose.
import { InvalidArgumentError } from '../../../../shared/errors';
import type { LiveEvent, SessionChunk } from '../../../../shared/generation';
import type { NoteSequence } from '../../../../shared/song';
import { CheckpointError } from '../../checkpoint';
import { parseParams, type Evaluation, type EvaluationInput, type GenerateOutput, type LoadedModel, type ModelRef, type ModelSession, type RunContext } from '../../platform/kind';
import type { CharRnnKind } from './config';
import { LiveDecoder } from './converter';
import type { TokenPiece } from './data';
import { CharRnn, type CharRnnStream } from './model';
import { conditionalGenerate, conditionControls, conditionsOf, evaluateSchema, plainGenerate, toGenerateOptions, type CharRnnGenerateParams } from './params';

/** A model that never emits time-shifts must still stop: at most this many events per second of a session step. */
const MAX_EVENTS_PER_SECOND = 400;

export async function loadCharRnnModel(ref: ModelRef, kind: { kind: CharRnnKind; conditional: boolean }): Promise<LoadedModel> {
  const { model } = await CharRnn.load(ref.checkpointPath);
  if (model.config.kind !== kind.kind) {
    model.dispose();
    throw new CheckpointError(`"${ref.checkpointPath}" holds a ${model.config.kind} model, but model.json says ${kind.kind}`);
  }
  const schema = kind.conditional ? conditionalGenerate : plainGenerate;
  const parse = (raw: unknown): CharRnnGenerateParams => parseParams(schema, raw, `${kind.kind} generation`) as CharRnnGenerateParams;
  const trained = ref.manifest.training as { segmentLength?: number } | undefined;
  return {
    manifest: ref.manifest,
    // The weights, and the streamer's copy of them.
    bytes: model.parameterCount() * 4 * 2,
    async generate(raw: unknown, extras: { primer?: NoteSequence }, ctx: RunContext): Promise<GenerateOutput> {
      const params = parse(raw);
      const options = toGenerateOptions(params);
      if (extras.primer && extras.primer.notes.length > 0) options.primer = extras.primer;
      const out = await model.generateAsync(options, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        progress: (f) => ctx.progress?.(f, 'generating'),
      });
      return { sequence: out.sequence, seed: out.seed, seconds: out.seconds, events: out.tokens.length, params: { ...params, seed: out.seed } };
    },
    openSession(raw: unknown, extras: { primer?: NoteSequence }): ModelSession {
      const params = parse(raw);
      const { lengthSeconds: _s, lengthEvents: _e, ...options } = toGenerateOptions(params);
      if (extras.primer && extras.primer.notes.length > 0) options.primer = extras.primer;
      return new CharRnnSession(model.stream(options), { ...params, seed: 0 }, kind.conditional);
    },
    async evaluate(input: EvaluationInput, ctx: RunContext): Promise<Evaluation> {
      const o = parseParams(evaluateSchema, input.options, `${kind.kind} evaluation`) as { window?: number; batch: number };
      const pieces: TokenPiece[] = input.pieces.map((p) => ({ id: p.id, name: p.title ?? p.file, tokens: input.dataset.tokensOf(p) }));
      const window = o.window ?? trained?.segmentLength ?? 128;
      const nll = await model.evaluate(pieces, {
        window,
        batchSize: o.batch,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        onProgress: (f) => ctx.progress?.(f, 'scoring'),
      });
      return { metrics: { nll }, count: pieces.reduce((n, p) => n + p.tokens.length, 0), countUnit: 'events', options: { window, batch: o.batch } };
    },
    dispose: () => model.dispose(),
  };
}

class CharRnnSession implements ModelSession {
  private readonly decoder = new LiveDecoder();
  private conditions: Record<string, unknown> = {};

  constructor(
    private readonly stream: CharRnnStream,
    readonly params: Record<string, unknown>,
    private readonly conditional: boolean,
  ) {
    this.params.seed = stream.seed;
    for (const k of ['key', 'pitch', 'density', 'range']) if (params[k] !== undefined) this.conditions[k] = params[k];
  }

  step(seconds: number): SessionChunk {
    if (!(seconds > 0)) throw new InvalidArgumentError(`a session step must be longer than 0 s, got ${seconds}`);
    const from = this.decoder.seconds;
    const target = from + seconds;
    const cap = Math.ceil(seconds * MAX_EVENTS_PER_SECOND) + 1;
    const events: LiveEvent[] = [];
    for (let n = 0; n < cap && this.decoder.seconds < target; n++) this.decoder.push(this.stream.next(), events);
    return { fromSeconds: from, toSeconds: this.decoder.seconds, events };
  }

  /** Condition fields replace the ones in force; a null removes one (back to the model's typical value). */
  control(raw: unknown): void {
    if (!this.conditional) throw new InvalidArgumentError('this model takes no conditions to change');
    const given = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const next = { ...this.conditions };
    for (const [k, v] of Object.entries(given)) {
      if (v === null) delete next[k];
      else next[k] = v;
    }
    const parsed = parseParams(conditionControls, next, 'session control');
    this.conditions = parsed;
    this.stream.setConditions(conditionsOf(parsed) ?? {});
    Object.assign(this.params, given);
  }

  dispose(): void {
    this.stream.dispose();
  }
}
