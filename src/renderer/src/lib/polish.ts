// The Polish step and the model lists as plain data: which models generate and which polish, the one a polish uses, what the Train view offers after a run, and a polish report in words.
import type { Capability, KindInfo, ModelInfo } from '../../../shared/api/models';
import { formFields, type FormField } from '../../../shared/forms';

/** Which version a polish review shows and plays: A, the piece as it was, or B, the polished one. */
export type PolishSide = 'before' | 'after';

/** Models that make music from nothing: the Generate panel lists these and no others. */
export function generatorModels<M extends Pick<ModelInfo, 'capabilities'>>(list: readonly M[]): M[] {
  return list.filter((m) => m.capabilities.includes('sample'));
}

/** Models that polish music a composer already has. */
export function polishModels<M extends Pick<ModelInfo, 'capabilities'>>(list: readonly M[]): M[] {
  return list.filter((m) => m.capabilities.includes('refine'));
}

/**
 * The model a polish uses: the one the composer chose while it still exists, else the newest of their own, else a
 * shipped one (the engine picks the same when it is sent none).
 */
export function pickPolishModel<M extends Pick<ModelInfo, 'id' | 'source' | 'createdAt'>>(candidates: readonly M[], chosen: string | null): M | undefined {
  const mine = candidates.find((m) => m.id === chosen);
  if (mine) return mine;
  const own = candidates.filter((m) => m.source === 'user').sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return own[0] ?? candidates[0];
}

/** The polish form of a model: its kind's refine options; empty when the kind does not polish. */
export function polishFields(model: Pick<ModelInfo, 'kind'> | undefined, kinds: readonly KindInfo[]): FormField[] {
  const schema = kinds.find((k) => k.id === model?.kind)?.refineSchema;
  return schema ? formFields(schema) : [];
}

/** The kind a composer would train to be able to polish, named as the Train view names it. */
export function polishKind(kinds: readonly KindInfo[]): KindInfo | undefined {
  return kinds.find((k) => k.capabilities.includes('refine'));
}

/** What the Train view offers once a model is trained: to generate with it, to polish with it, or nothing. */
export function nextStepAfterTraining(capabilities: readonly Capability[] | undefined): 'generate' | 'polish' | null {
  if (!capabilities) return null;
  if (capabilities.includes('sample')) return 'generate';
  if (capabilities.includes('refine')) return 'polish';
  return null;
}

const beats = (b: number): string => (b >= 0.095 ? b.toFixed(1) : b >= 0.00095 ? b.toFixed(3) : '0');

/** The mean changes a polish report holds that its options asked for, as [what, how much]. */
function changes(report: Readonly<Record<string, number>>, params: Readonly<Record<string, unknown>>): [string, string][] {
  const out: [string, string][] = [];
  if (params.velocities !== false && report.velocityChange !== undefined) out.push(['velocity', String(Math.round(report.velocityChange))]);
  if (params.durations !== false) {
    if (report.onsetShiftBeats !== undefined) out.push(['onsets', `${beats(report.onsetShiftBeats)} beats`]);
    if (report.durationChangeBeats !== undefined) out.push(['lengths', `${beats(report.durationChangeBeats)} beats`]);
  }
  return out;
}

/** The engine's polish report (mean changes per note) in a few words for the review row: "On average: velocity ±9, onsets ±0.031 beats". */
export function polishSummary(report: Readonly<Record<string, number>>, params: Readonly<Record<string, unknown>>): string {
  if ((report.notes ?? 0) === 0) return 'Nothing to polish: the piece has no notes';
  const parts = changes(report, params);
  return parts.length > 0 ? `On average: ${parts.map(([what, by]) => `${what} ±${by}`).join(', ')}` : 'Nothing was changed';
}

/**
 * The same report in full sentences (the review row's tooltip): "Velocities changed by 9, onsets moved 0.031 beats
 * on average; 42 notes, none added, dropped or re-pitched".
 */
export function describePolishReport(report: Readonly<Record<string, number>>, params: Readonly<Record<string, unknown>>): string {
  const notes = report.notes ?? 0;
  if (notes === 0) return 'Nothing to polish: the piece has no notes';
  const verbs: Record<string, string> = { velocity: 'velocities changed by', onsets: 'onsets moved', lengths: 'lengths changed' };
  const parts = changes(report, params).map(([what, by]) => `${verbs[what]} ${by}`);
  const what = parts.length > 0 ? `${parts.join(', ')} on average` : 'nothing was changed';
  return `${what.charAt(0).toUpperCase()}${what.slice(1)}; ${notes} note${notes === 1 ? '' : 's'}, none added, dropped or re-pitched`;
}
