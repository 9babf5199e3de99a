// What a model kind declares (id, capabilities, schemas, presets, metrics, training, loading) and the checked, type-erased form generic code uses.
import { z } from 'zod';
import type { Capability, KindInfo, MetricInfo, ModelMetrics, PresetId } from '../../../shared/api/models';
import { InvalidArgumentError } from '../../../shared/errors';
import type { JsonSchema } from '../../../shared/forms';
import type { SessionChunk } from '../../../shared/generation';
import type { NoteSequence } from '../../../shared/song';
import type { Dataset, DatasetPiece, ImportProgress } from '../../music/datasets';
import type { ModelManifest } from '../registry';
import type { TrainProgress } from '../train/loop';

export interface PresetDefinition<P> {
  label: string;
  hint: string;
  values: Partial<P>;
}

/** What training reports as it goes; the job and the CLI turn these into progress. */
export type TrainEvent =
  | { phase: 'import'; progress: ImportProgress }
  | { phase: 'train'; progress: TrainProgress }
  | { phase: 'evaluate'; fraction: number }
  | { phase: 'index'; message: string }
  | { phase: 'sample'; sequence: NoteSequence };

export interface TrainContext<P> {
  dataset: Dataset;
  /** The preset's values, overridden by the caller's, validated by the kind's schema. */
  params: P;
  /** The parameters the caller set explicitly (a resumed run keeps its own for the rest). */
  given: ReadonlySet<string>;
  preset: PresetId;
  /** Where the checkpoint goes (a folder, written atomically). */
  checkpointPath: string;
  resume: boolean;
  timeBudgetSeconds?: number;
  signal?: AbortSignal;
  emit(event: TrainEvent): void;
}

export interface TrainOutcome {
  /** The model's configuration, recorded in model.json. */
  config: unknown;
  metrics: ModelMetrics;
  /** Training settings, recorded in model.json for reproducibility. */
  training: Record<string, unknown>;
}

export interface RunContext {
  signal?: AbortSignal;
  /** 0..1 of the work, with what is happening. */
  progress?(fraction: number, message?: string): void;
}

export interface GenerateOutput {
  sequence: NoteSequence;
  seed: number;
  seconds: number;
  events?: number;
  /** The parameters as applied, defaults and the seed filled in. */
  params: Record<string, unknown>;
  /** The notes all have one velocity and the kind asks for the Velocity Net's (when one is installed). */
  wantsVelocities?: boolean;
}

/** A live generator: state is carried from one step to the next. */
export interface ModelSession {
  readonly params: Record<string, unknown>;
  /** The next `seconds` of music. */
  step(seconds: number): SessionChunk;
  /** Changes parameters from now on. @throws InvalidArgumentError for values the kind refuses. */
  control(values: unknown): void;
  dispose(): void;
}

export interface EvaluationInput {
  dataset: Dataset;
  pieces: readonly DatasetPiece[];
  /** Validated by the kind's evaluateSchema. */
  options: unknown;
}

export interface Evaluation {
  /** By the names in the kind's metrics. */
  metrics: Record<string, number>;
  /** How much was scored, e.g. events. */
  count: number;
  countUnit: string;
  /** The settings as applied. */
  options: Record<string, unknown>;
}

/** A model loaded from its folder, with the capabilities of its kind. Generic code passes raw values; the kind validates. */
export interface LoadedModel {
  readonly manifest: ModelManifest;
  /** Memory its weights and buffers take, for the model host's cap. */
  readonly bytes: number;
  generate?(params: unknown, extras: { primer?: NoteSequence }, ctx: RunContext): Promise<GenerateOutput>;
  openSession?(params: unknown, extras: { primer?: NoteSequence }): ModelSession;
  evaluate?(input: EvaluationInput, ctx: RunContext): Promise<Evaluation>;
  /** Polishes existing music (the `refine` capability): same notes, refined timing or velocities. */
  refine?(sequence: NoteSequence, params: unknown, ctx: RunContext): Promise<RefineOutput>;
  dispose(): void;
}

export interface RefineOutput {
  sequence: NoteSequence;
  /** What changed, in numbers (e.g. mean onset shift in beats). */
  report: Record<string, number>;
  /** The parameters as applied. */
  params: Record<string, unknown>;
}

export interface ModelRef {
  dir: string;
  checkpointPath: string;
  manifest: ModelManifest;
}

/** What a kind's folder writes (kind.ts); defineKind checks it and erases its types for the registry. */
export interface KindDefinition<TS extends z.ZodObject, GS extends z.ZodObject | null = null> {
  /** Lower-case letters, digits and hyphens; also the kind's folder name. */
  id: string;
  label: string;
  description: string;
  representation: string;
  capabilities: readonly Capability[];
  trainSchema: TS;
  generateSchema: GS;
  /** Options of `deep-symphony evaluate` for this kind. */
  evaluateSchema?: z.ZodObject;
  /** Options of polishing (kinds with the refine capability). */
  refineSchema?: z.ZodObject;
  presets: Record<PresetId, PresetDefinition<z.input<TS>>>;
  defaultPreset: PresetId;
  metrics: readonly MetricInfo[];
  trainingMetrics: readonly MetricInfo[];
  train(ctx: TrainContext<z.output<TS>>): Promise<TrainOutcome>;
  load(ref: ModelRef): Promise<LoadedModel>;
}

export interface ModelKind {
  readonly id: string;
  readonly label: string;
  readonly capabilities: readonly Capability[];
  readonly definition: KindDefinition<z.ZodObject, z.ZodObject | null>;
  info(): KindInfo;
  /**
   * The preset's values overridden by `values`, validated.
   * @throws InvalidArgumentError naming the parameter and the value.
   */
  trainParams(preset: PresetId | undefined, values: Record<string, unknown>): { params: Record<string, unknown>; given: Set<string> };
  /** @throws InvalidArgumentError for values the kind refuses, or when it does not generate. */
  generateParams(values: unknown): Record<string, unknown>;
  evaluateOptions(values: unknown): Record<string, unknown>;
  /** @throws InvalidArgumentError for values the kind refuses, or when it does not polish. */
  refineParams(values: unknown): Record<string, unknown>;
  train(ctx: TrainContext<Record<string, unknown>>): Promise<TrainOutcome>;
  load(ref: ModelRef): Promise<LoadedModel>;
}

/** A kind's id must be a folder name and a CLI word. */
const KIND_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export function defineKind<TS extends z.ZodObject, GS extends z.ZodObject | null>(def: KindDefinition<TS, GS>): ModelKind {
  if (!KIND_ID.test(def.id)) throw new InvalidArgumentError(`a model kind id must be lower-case letters, digits and dashes, got "${def.id}"`);
  for (const [id, p] of Object.entries(def.presets)) {
    const r = def.trainSchema.partial().safeParse(p.values);
    if (!r.success) throw new InvalidArgumentError(`kind "${def.id}": preset "${id}" does not fit its own train schema: ${issues(r.error)}`);
  }
  const trainJson = jsonSchema(def.trainSchema.partial());
  const generateJson = def.generateSchema ? jsonSchema(def.generateSchema) : null;
  const evaluateJson = def.evaluateSchema ? jsonSchema(def.evaluateSchema) : null;
  const refineJson = def.refineSchema ? jsonSchema(def.refineSchema) : null;
  const erased = def as unknown as KindDefinition<z.ZodObject, z.ZodObject | null>;
  return {
    id: def.id,
    label: def.label,
    capabilities: def.capabilities,
    definition: erased,
    info: () => ({
      id: def.id,
      label: def.label,
      description: def.description,
      representation: def.representation,
      capabilities: [...def.capabilities],
      presets: (Object.entries(def.presets) as [PresetId, PresetDefinition<unknown>][]).map(([id, p]) => ({ id, label: p.label, hint: p.hint, values: { ...(p.values as object) } })),
      defaultPreset: def.defaultPreset,
      trainSchema: trainJson,
      generateSchema: generateJson,
      evaluateSchema: evaluateJson,
      refineSchema: refineJson,
      metrics: [...def.metrics],
      trainingMetrics: [...def.trainingMetrics],
    }),
    trainParams(preset, values) {
      const p = def.presets[preset ?? def.defaultPreset];
      const given = new Set(Object.keys(values).filter((k) => values[k] !== undefined && values[k] !== null));
      const merged: Record<string, unknown> = { ...(p.values as object) };
      for (const k of given) merged[k] = values[k];
      return { params: parseParams(def.trainSchema, merged, `${def.label} training`), given };
    },
    generateParams(values) {
      if (!def.generateSchema) throw new InvalidArgumentError(`${def.label} models do not generate music`);
      return parseParams(def.generateSchema, values, `${def.label} generation`);
    },
    evaluateOptions(values) {
      return def.evaluateSchema ? parseParams(def.evaluateSchema, values, `${def.label} evaluation`) : {};
    },
    refineParams(values) {
      if (!def.refineSchema) throw new InvalidArgumentError(`${def.label} models do not polish music`);
      return parseParams(def.refineSchema, values, `${def.label} polish`);
    },
    train: (ctx) => def.train(ctx as TrainContext<z.output<TS>>),
    load: (ref) => def.load(ref),
  };
}

function jsonSchema(schema: z.ZodObject): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** Unknown parameter names are refused, so a typo never passes silently. */
export function parseParams(schema: z.ZodObject, values: unknown, what: string): Record<string, unknown> {
  const r = schema.strict().safeParse(values ?? {});
  if (!r.success) throw new InvalidArgumentError(`invalid ${what} parameters: ${issues(r.error)}`);
  return r.data as Record<string, unknown>;
}

function issues(error: z.ZodError): string {
  return error.issues
    .map((i) => {
      const where = i.path.length ? i.path.join('.') : '(parameters)';
      if (i.code === 'unrecognized_keys') return `unknown parameter${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${k}"`).join(', ')}`;
      return `${where}: ${i.message}`;
    })
    .join('; ');
}
