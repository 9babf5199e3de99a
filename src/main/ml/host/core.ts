// Keeps models loaded between calls (least recently used released first, under a memory cap) and runs their sessions.
import { join } from 'node:path';
import { CancelledError, InvalidArgumentError, NotFoundError } from '../../../shared/errors';
import type { GenerationResult, RefineResult, SessionChunk } from '../../../shared/generation';
import type { NoteSequence } from '../../../shared/song';
import type { PlagiarismIndex } from '../eval/plagiarism';
import { getKind } from '../models';
import { loadPlagiarismIndex, plagiarismSummary } from '../platform/corpus';
import type { Evaluation, EvaluationInput, LoadedModel, ModelSession, RunContext } from '../platform/kind';
import { CHECKPOINT_DIR, readManifest } from '../registry';

export interface HostOptions {
  /** Loaded models are released, least recently used first, while their estimated memory exceeds this. */
  memoryCapBytes: number;
  /** Sessions nobody has stepped for this long are closed. */
  sessionIdleMs: number;
}

export const DEFAULT_HOST_OPTIONS: HostOptions = { memoryCapBytes: 768 * 1024 * 1024, sessionIdleMs: 15 * 60 * 1000 };

interface Entry {
  dir: string;
  loading: Promise<{ model: LoadedModel; index: PlagiarismIndex | null }>;
  bytes: number;
  lastUsed: number;
  /** Open sessions and calls in progress: a model in use is never released. */
  users: number;
}

interface OpenSession {
  dir: string;
  modelId: string;
  kind: string;
  session: ModelSession;
  lastUsed: number;
}

export interface SessionOpened {
  id: string;
  modelId: string;
  kind: string;
  params: Record<string, unknown>;
}

export class ModelHostCore {
  private readonly models = new Map<string, Entry>();
  private readonly sessions = new Map<string, OpenSession>();
  private nextSession = 1;
  private readonly options: HostOptions;

  constructor(options: Partial<HostOptions> = {}) {
    this.options = { ...DEFAULT_HOST_OPTIONS, ...options };
  }

  /** Loads a model folder (and its corpus index) if it is not loaded yet. */
  async load(dir: string, ctx: RunContext = {}): Promise<void> {
    const entry = this.entry(dir, ctx);
    entry.users++;
    try {
      await entry.loading;
    } finally {
      entry.users--;
    }
  }

  /**
   * Generates with the model in `dir`. With `velocityModel` (a model that refines), music a kind writes at one
   * velocity gets the Velocity Net's instead, when the kind asks for it.
   */
  async generate(dir: string, params: unknown, extras: { primer?: NoteSequence; velocityModel?: string }, ctx: RunContext = {}): Promise<GenerationResult> {
    const result = await this.using(dir, ctx, async ({ model, index }) => {
      if (!model.generate) throw new InvalidArgumentError(`${model.manifest.name} (${model.manifest.kind}) does not generate music`);
      const out = await model.generate(params, extras, {
        ...ctx,
        progress: (f, message) => ctx.progress?.(LOAD_SHARE + (1 - LOAD_SHARE - CHECK_SHARE) * f, message),
      });
      const m = model.manifest;
      out.sequence.meta = { ...out.sequence.meta, title: `${m.name} #${out.seed}`, source: `deep-symphony ${m.id}` };
      const result: GenerationResult = {
        sequence: out.sequence,
        modelId: m.id,
        modelKind: m.kind,
        seed: out.seed,
        seconds: out.seconds,
        params: out.params,
        ...(out.events !== undefined ? { events: out.events } : {}),
      };
      if (index) {
        ctx.progress?.(1 - CHECK_SHARE, 'checking for copying');
        result.plagiarism = plagiarismSummary(index, out.sequence);
      }
      return { result, wantsVelocities: out.wantsVelocities === true };
    });
    if (result.wantsVelocities && extras.velocityModel) {
      ctx.progress?.(1 - CHECK_SHARE / 2, 'velocities');
      const polished = await this.refine(extras.velocityModel, result.result.sequence, { durations: false, velocities: true, strength: 1 }, ctx);
      result.result.sequence = { ...polished.sequence, sections: result.result.sequence.sections, meta: result.result.sequence.meta };
      result.result.params = { ...result.result.params, velocitiesFrom: polished.modelId };
    }
    return result.result;
  }

  async refine(dir: string, sequence: NoteSequence, params: unknown, ctx: RunContext = {}): Promise<RefineResult> {
    return this.using(dir, ctx, async ({ model }) => {
      if (!model.refine) throw new InvalidArgumentError(`${model.manifest.name} (${model.manifest.kind}) does not polish music`);
      const out = await model.refine(sequence, params, {
        ...ctx,
        progress: (f, message) => ctx.progress?.(LOAD_SHARE + (1 - LOAD_SHARE) * f, message),
      });
      return { sequence: out.sequence, modelId: model.manifest.id, report: out.report, params: out.params };
    });
  }

  async evaluate(dir: string, input: EvaluationInput, ctx: RunContext = {}): Promise<Evaluation> {
    return this.using(dir, ctx, async ({ model }) => {
      if (!model.evaluate) throw new InvalidArgumentError(`${model.manifest.kind} models cannot be scored on music`);
      return model.evaluate(input, ctx);
    });
  }

  async openSession(dir: string, params: unknown, extras: { primer?: NoteSequence } = {}, ctx: RunContext = {}): Promise<SessionOpened> {
    this.closeIdle();
    const entry = this.entry(dir, ctx);
    entry.users++;
    try {
      const { model } = await entry.loading;
      if (!model.openSession) throw new InvalidArgumentError(`${model.manifest.name} (${model.manifest.kind}) cannot stream`);
      const session = model.openSession(params, extras);
      const id = `session-${this.nextSession++}`;
      this.sessions.set(id, { dir, modelId: model.manifest.id, kind: model.manifest.kind, session, lastUsed: Date.now() });
      return { id, modelId: model.manifest.id, kind: model.manifest.kind, params: { ...session.params } };
    } catch (err) {
      entry.users--;
      throw err;
    }
  }

  step(id: string, seconds: number): SessionChunk {
    const s = this.session(id);
    s.lastUsed = Date.now();
    return s.session.step(seconds);
  }

  control(id: string, values: unknown): void {
    const s = this.session(id);
    s.lastUsed = Date.now();
    s.session.control(values);
  }

  closeSession(id: string): void {
    const s = this.session(id);
    this.sessions.delete(id);
    s.session.dispose();
    const entry = this.models.get(s.dir);
    if (entry) entry.users--;
    this.evict();
  }

  /** The plagiarism index of a loaded (or loadable) model folder. */
  async index(dir: string): Promise<PlagiarismIndex | null> {
    return this.using(dir, {}, async ({ index }) => index);
  }

  loadedModels(): { dir: string; bytes: number; users: number }[] {
    return [...this.models.values()].map((e) => ({ dir: e.dir, bytes: e.bytes, users: e.users }));
  }

  dispose(): void {
    for (const id of [...this.sessions.keys()]) this.closeSession(id);
    for (const e of this.models.values()) void e.loading.then(({ model }) => model.dispose(), () => undefined);
    this.models.clear();
  }

  private async using<T>(dir: string, ctx: RunContext, f: (m: { model: LoadedModel; index: PlagiarismIndex | null }) => Promise<T>): Promise<T> {
    const entry = this.entry(dir, ctx);
    entry.users++;
    try {
      const loaded = await entry.loading;
      if (ctx.signal?.aborted) throw new CancelledError('cancelled by the user');
      return await f(loaded);
    } finally {
      entry.users--;
      entry.lastUsed = Date.now();
    }
  }

  private entry(dir: string, ctx: RunContext): Entry {
    let entry = this.models.get(dir);
    if (entry) {
      entry.lastUsed = Date.now();
      return entry;
    }
    ctx.progress?.(0.02, 'loading the model');
    const created = { dir, bytes: 0, lastUsed: Date.now(), users: 0 } as Entry;
    created.loading = (async () => {
        const manifest = await readManifest(dir);
        const kind = getKind(manifest.kind);
        const model = await kind.load({ dir, checkpointPath: join(dir, CHECKPOINT_DIR), manifest });
        let index: PlagiarismIndex | null;
        try {
          index = await loadPlagiarismIndex(dir, manifest);
        } catch (err) {
          model.dispose();
          throw err;
        }
        created.bytes = model.bytes + (index?.byteSize ?? 0);
        return { model, index };
      })();
    entry = created;
    this.models.set(dir, entry);
    // A folder that fails to load is forgotten, so that the next call tries again (after the user fixed it).
    entry.loading.then(
      () => this.evict(),
      () => {
        if (this.models.get(dir) === created) this.models.delete(dir);
      },
    );
    return entry;
  }

  /** Releases idle models, least recently used first, until the rest fit under the cap. */
  private evict(): void {
    let total = [...this.models.values()].reduce((n, e) => n + e.bytes, 0);
    const idle = [...this.models.values()].filter((e) => e.users === 0 && e.bytes > 0).sort((a, b) => a.lastUsed - b.lastUsed);
    for (const e of idle) {
      if (total <= this.options.memoryCapBytes) break;
      this.models.delete(e.dir);
      total -= e.bytes;
      void e.loading.then(({ model }) => model.dispose());
    }
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (now - s.lastUsed > this.options.sessionIdleMs) this.closeSession(id);
  }

  private session(id: string): OpenSession {
    const s = this.sessions.get(id);
    if (!s) throw new NotFoundError(`no open session "${id}" (it was closed, or idle for too long)`);
    return s;
  }
}

/** Shares of a generation's progress bar: loading, then the model, then the plagiarism check. */
const LOAD_SHARE = 0.1;
const CHECK_SHARE = 0.05;
