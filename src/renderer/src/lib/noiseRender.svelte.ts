// The music of the arranger's noise sections: asked of their model once per vector (the same vector gives the same bars), with progress and cancel.
import { noiseParams } from '../../../shared/arrange';
import type { NoteSequence } from '../../../shared/song';
import type { ArrangementSection, NoiseSection } from '../../../shared/studio';
import type { JobId, SectionId } from '../../../shared/units';
import { studio } from './studio.svelte';

/** A noise section that could not be played, and why. */
export class NoiseRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoiseRenderError';
  }
}

const keyOf = (n: NoiseSection): string => JSON.stringify([n.modelId, noiseParams(n)]);

class NoiseRenderer {
  /** Rendered vectors by model and parameters: a generation is deterministic, so this never goes stale. */
  private readonly cache = new Map<string, NoteSequence>();
  /** Counts cache additions, so that what shows a cached vector redraws when one arrives. */
  private version = $state(0);
  busy = $state(false);
  done = $state(0);
  total = $state(0);
  private job: JobId | null = null;
  private cancelled = false;

  cached(n: NoiseSection | null | undefined): NoteSequence | undefined {
    void this.version;
    return n ? this.cache.get(keyOf(n)) : undefined;
  }

  /** The music of every noise section among `sections`, generating what is not cached yet. */
  async render(sections: readonly ArrangementSection[]): Promise<Map<SectionId, NoteSequence>> {
    const wanted = sections.filter((s): s is ArrangementSection & { noise: NoiseSection } => Boolean(s.noise));
    const missing = [...new Map(wanted.filter((s) => !this.cache.has(keyOf(s.noise))).map((s) => [keyOf(s.noise), s.noise])).values()];
    this.busy = true;
    this.cancelled = false;
    this.done = 0;
    this.total = missing.length;
    try {
      for (const n of missing) {
        if (this.cancelled) throw new NoiseRenderError('rendering was cancelled');
        if (!n.modelId) throw new NoiseRenderError(`vector "${n.name}" has no model to play it: choose one on its section`);
        const started = await studio.api.models.generate(n.modelId, noiseParams(n));
        this.job = started.id;
        const end = await studio.api.jobs.wait(started.id);
        if (end.kind !== 'generate' || end.state !== 'done' || !end.result) {
          throw new NoiseRenderError(end.state === 'cancelled' ? 'rendering was cancelled' : `vector "${n.name}" could not be played: ${end.error?.message ?? end.state}`);
        }
        this.cache.set(keyOf(n), end.result.sequence);
        this.version++;
        this.done++;
      }
    } finally {
      this.busy = false;
      this.job = null;
    }
    return new Map(wanted.map((s) => [s.id, this.cache.get(keyOf(s.noise))!]));
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.job) await studio.api.jobs.cancel(this.job);
  }
}

export const noiseRenderer = new NoiseRenderer();
