// The Generate panel as plain data: the form of a model's kind, what it sends (a seed and a key chosen when left open), and the engine's plagiarism report as the library keeps it.
import type { KindInfo, ModelInfo } from '../../../shared/api/models';
import { describeParams, formFields, formParams, type FormField } from '../../../shared/forms';
import type { GenerationResult } from '../../../shared/generation';
import { keyForSeed } from '../../../shared/keys';
import type { PlagiarismSummary } from '../../../shared/studio';

/** The key field's value meaning "no key": the model's own average, as it was trained (the engine's default). */
export const KEY_NONE = 'none';

/** The generation form of a model: its kind's fields; empty when the kind does not generate. */
export function generateFields(model: Pick<ModelInfo, 'kind'> | undefined, kinds: readonly KindInfo[]): FormField[] {
  const schema = kinds.find((k) => k.id === model?.kind)?.generateSchema;
  return schema ? formFields(schema) : [];
}

/** What the form sends: the values set, each checked by the engine against the kind's schema. */
export function generateParams(fields: readonly FormField[], values: Readonly<Record<string, unknown>>): Record<string, string | number | boolean> {
  return formParams(fields, values);
}

export interface ResolvedGeneration {
  params: Record<string, string | number | boolean>;
  /** The seed sent (picked here when the form left it open); null when the kind takes none. */
  seed: number | null;
  /** The key sent; null when none was (the kind has no key, or "no key" was chosen). */
  key: string | null;
  /** Whether the key came from the seed rather than from the composer. */
  keyFromSeed: boolean;
}

/**
 * The parameters of one generation. A seed left open is picked now, so that it is known before the notes are;
 * a key left on "Auto" is the one that seed picks (keyForSeed), so every fragment is in a key a composer can
 * name. "No key" sends none, and the engine conditions as it always has without one.
 */
export function resolveGeneration(fields: readonly FormField[], values: Readonly<Record<string, unknown>>, random: () => number = Math.random): ResolvedGeneration {
  const params = formParams(fields, values);
  const seedField = fields.find((f) => f.widget === 'seed');
  let seed: number | null = null;
  if (seedField) {
    const given = params[seedField.key];
    seed = typeof given === 'number' ? given : Math.floor(random() * 2 ** 31);
    params[seedField.key] = seed;
  }
  let key: string | null = null;
  let keyFromSeed = false;
  const keyField = fields.find((f) => f.widget === 'key');
  if (keyField) {
    const given = params[keyField.key];
    if (given === KEY_NONE) delete params[keyField.key];
    else if (typeof given === 'string') key = given;
    else {
      key = keyForSeed(seed ?? Math.floor(random() * 2 ** 31)).name;
      keyFromSeed = true;
      params[keyField.key] = key;
    }
  }
  return { params, seed, key, keyFromSeed };
}

/** The parameters worth showing in the library's origin line, by their titles. */
export function describeResult(fields: readonly FormField[], result: Pick<GenerationResult, 'params'>): Record<string, string> {
  return describeParams(fields, result.params);
}

/** The engine's per-model plagiarism report, in the form the project keeps. */
export function toPlagiarismSummary(report: GenerationResult['plagiarism'], corpus: string, chanceMeasured: boolean): PlagiarismSummary | null {
  if (!report) return null;
  return {
    longestRun: report.longestRun?.length ?? 0,
    longestRunPiece: report.longestRun?.name ?? null,
    lcsRatio: report.lcs?.ratio ?? 0,
    lcsPiece: report.lcs?.name ?? null,
    corpus,
    chanceMeasured,
  };
}
