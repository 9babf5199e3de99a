// What the Polish step is set to for this session: the options per model kind, the model chosen, and a request from the Train view to open the step.
class PolishSettings {
  /** Form values by kind id (the options are the kind's, so one form serves all its models). */
  values = $state<Record<string, Record<string, unknown>>>({});
  /** The model the composer picked, or the one just trained; null lets the step take the newest. */
  modelId = $state<string | null>(null);
  /** Set by "Polish with it" after training: the next fragment editor on screen opens its Polish step. */
  openNext = $state(false);

  /** Makes sure a kind has a form (call from an effect or a handler, never while rendering). */
  of(kindId: string): Record<string, unknown> {
    this.values[kindId] ??= {};
    return this.values[kindId]!;
  }
}

export const polishSettings = new PolishSettings();
