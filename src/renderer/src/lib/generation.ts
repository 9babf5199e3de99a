// The Generate panel as plain data: the form of a model's kind, what it sends, and the engine's plagiarism report as the library keeps it.
import type { KindInfo, ModelInfo } from '../../../shared/api/models';
import { describeParams, formFields, formParams, type FormField } from '../../../shared/forms';
import type { GenerationResult } from '../../../shared/generation';
import type { PlagiarismSummary } from '../../../shared/studio';

/** The generation form of a model: its kind's fields; empty when the kind does not generate. */
export function generateFields(model: Pick<ModelInfo, 'kind'> | undefined, kinds: readonly KindInfo[]): FormField[] {
  const schema = kinds.find((k) => k.id === model?.kind)?.generateSchema;
  return schema ? formFields(schema) : [];
}

/** What the form sends: the values set, each checked by the engine against the kind's schema. */
export function generateParams(fields: readonly FormField[], values: Readonly<Record<string, unknown>>): Record<string, string | number | boolean> {
  return formParams(fields, values);
}

/** The parameters worth showing in the library's origin line, by their titles. */
export function describeResult(fields: readonly FormField[], result: Pick<GenerationResult, 'params'>): Record<string, string> {
  return describeParams(fields, result.params);
}

/** The engine's per-model plagiarism report, in the form the project keeps. */
export function toPlagiarismSummary(report: GenerationResult['plagiarism'], corpus: string): PlagiarismSummary | null {
  if (!report) return null;
  return {
    longestRun: report.longestRun?.length ?? 0,
    longestRunPiece: report.longestRun?.name ?? null,
    lcsRatio: report.lcs?.ratio ?? 0,
    lcsPiece: report.lcs?.name ?? null,
    corpus,
  };
}
