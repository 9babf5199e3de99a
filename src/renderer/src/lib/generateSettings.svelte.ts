// What the Generate panel was set to, per model, kept outside the panel so that leaving Compose loses nothing.
class GenerateSettings {
  modelId = $state('');
  /** Form values by model id. */
  values = $state<Record<string, Record<string, unknown>>>({});
  usePrimer = $state(false);
  advanced = $state(false);

  /** The form values of a model (created on first use). */
  of(modelId: string): Record<string, unknown> {
    this.values[modelId] ??= {};
    return this.values[modelId];
  }
}

export const generateSettings = new GenerateSettings();
