// The models the engine offers (shipped and user-trained), refreshed when a training job finishes.
import type { ModelInfo } from '../../../shared/api/models';
import { studio } from './studio.svelte';

class Models {
  list = $state<ModelInfo[]>([]);
  loaded = $state(false);
  error = $state<string | null>(null);
  private watching = false;

  async refresh(): Promise<void> {
    try {
      this.list = await studio.api.models.list();
      this.error = null;
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    } finally {
      this.loaded = true;
    }
    if (!this.watching) {
      this.watching = true;
      // A finished training run adds (or updates) a model.
      studio.onJob((job) => {
        if (job.kind === 'train-model' && job.state === 'done') void this.refresh();
      });
    }
  }

  byId(id: string): ModelInfo | undefined {
    return this.list.find((m) => m.id === id);
  }
}

export const models = new Models();
