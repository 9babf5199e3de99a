// The kinds and models the engine offers (shipped and user-trained), refreshed when a training job finishes.
import type { KindInfo, ModelInfo } from '../../../shared/api/models';
import { studio } from './studio.svelte';

class Models {
  list = $state<ModelInfo[]>([]);
  kinds = $state<KindInfo[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  /** The model a training run just made: the Generate panel selects it. */
  fresh = $state<string | null>(null);
  private watching = false;

  async refresh(): Promise<void> {
    try {
      const [list, kinds] = await Promise.all([studio.api.models.list(), this.kinds.length ? Promise.resolve(this.kinds) : studio.api.models.kinds()]);
      this.list = list;
      this.kinds = kinds;
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loaded = true;
    }
    if (!this.watching) {
      this.watching = true;
      // A finished training run adds (or updates) a model.
      studio.onJob((e) => {
        if (e.kind === 'train-model' && e.job.state === 'done') {
          const id = e.job.result?.modelId ?? null;
          void this.refresh().then(() => (this.fresh = id));
        }
      });
    }
  }

  byId(id: string): ModelInfo | undefined {
    return this.list.find((m) => m.id === id);
  }

  kindOf(model: Pick<ModelInfo, 'kind'> | undefined): KindInfo | undefined {
    return this.kinds.find((k) => k.id === model?.kind);
  }
}

export const models = new Models();
