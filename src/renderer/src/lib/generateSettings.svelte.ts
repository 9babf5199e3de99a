// What the Generate panel is set to, kept in the open project (settings.generate): leaving Compose, saving and reopening lose nothing.
import { emptyGenerateSettings, type GenerateSettings as Stored } from '../../../shared/studio';
import { projectStore } from './project.svelte';

/** A view of the open project's Generate settings; a project saved before they were kept gets defaults. */
class GenerateSettings {
  /** The project store gives every project its settings when it takes it in, so reading never writes. */
  private get stored(): Stored {
    return projectStore.project.settings.generate ?? emptyGenerateSettings();
  }

  get modelId(): string {
    return this.stored.modelId;
  }
  set modelId(id: string) {
    this.stored.modelId = id;
  }

  /**
   * Form values by model id, as the form edits them: a field it clears holds undefined until the project is next
   * written (ProjectStore.snapshot leaves those out), hence the wider type.
   */
  get values(): Record<string, Record<string, unknown>> {
    return this.stored.values as Record<string, Record<string, unknown>>;
  }

  get usePrimer(): boolean {
    return this.stored.usePrimer;
  }
  set usePrimer(on: boolean) {
    this.stored.usePrimer = on;
  }

  get advanced(): boolean {
    return this.stored.advanced;
  }
  set advanced(on: boolean) {
    this.stored.advanced = on;
  }

  /** Makes sure a model has a form (call from an effect or a handler, never while rendering). */
  of(modelId: string): Record<string, unknown> {
    this.stored.values[modelId] ??= {};
    return this.values[modelId]!;
  }

  /** A change the composer made: the project has something new to save. */
  changed(): void {
    projectStore.touch();
  }
}

export const generateSettings = new GenerateSettings();
