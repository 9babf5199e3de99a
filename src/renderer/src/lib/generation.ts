// The Generate panel's form as plain data: key presets, turning the form into GenerateOptions, and the engine's plagiarism report into the library's badge.
import type { GenerateOptions, GenerationResult, KeyPreset } from '../../../shared/generation';
import type { NoteSequence } from '../../../shared/song';
import type { PlagiarismSummary } from '../../../shared/studio';

const TONICS = ['C', 'C♯/D♭', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

export interface KeyChoice {
  id: string;
  label: string;
  preset: KeyPreset;
}

/** The 24 major and minor keys, majors first. */
export const KEY_CHOICES: KeyChoice[] = (['major', 'minor'] as const).flatMap((mode) =>
  TONICS.map((name, tonic) => ({ id: `${tonic}-${mode}`, label: `${name} ${mode}`, preset: { tonic, mode } })),
);

export interface GenerateForm {
  /** A KEY_CHOICES id, or '' for no key condition. */
  key: string;
  /** Mean MIDI pitch to aim at, or null for no condition. */
  pitchMean: number | null;
  /** Notes per second, or null for no condition. */
  density: number | null;
  temperature: number;
  lengthSeconds: number;
  /** null = a random seed, reported back in the result. */
  seed: number | null;
  /** Music for the model to continue (the selected fragment), or null. */
  primer: NoteSequence | null;
}

export const DEFAULT_FORM: GenerateForm = { key: '', pitchMean: null, density: null, temperature: 1, lengthSeconds: 20, seed: null, primer: null };

/** Conditions go only to models that take them; unconditional models would reject nothing but ignore them silently. */
export function toGenerateOptions(form: GenerateForm, conditional: boolean): GenerateOptions {
  const options: GenerateOptions = { temperature: form.temperature, lengthSeconds: form.lengthSeconds };
  if (form.seed !== null) options.seed = form.seed;
  if (form.primer && form.primer.notes.length > 0) options.primer = form.primer;
  if (conditional) {
    const key = KEY_CHOICES.find((k) => k.id === form.key);
    const conditions: GenerateOptions['conditions'] = {};
    if (key) conditions.keyPreset = key.preset;
    if (form.pitchMean !== null) conditions.pitchMean = form.pitchMean;
    if (form.density !== null) conditions.density = form.density;
    if (Object.keys(conditions).length > 0) options.conditions = conditions;
  }
  return options;
}

/** The options worth showing in the library's origin line, in words. */
export function describeOptions(result: Pick<GenerationResult, 'options'>): Record<string, unknown> {
  const o = result.options;
  const out: Record<string, unknown> = { temperature: o.temperature, length: o.lengthSeconds === undefined ? undefined : `${o.lengthSeconds}s` };
  const c = o.conditions;
  if (c?.keyPreset) out.key = KEY_CHOICES.find((k) => k.preset.tonic === c.keyPreset!.tonic && k.preset.mode === c.keyPreset!.mode)?.label;
  if (c?.pitchMean !== undefined) out.pitch = c.pitchMean;
  if (c?.density !== undefined) out.density = `${c.density}/s`;
  return out;
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

/** Checks the shape of a finished generate job's result before the library takes it. */
export function isGenerationResult(v: unknown): v is GenerationResult {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<GenerationResult>;
  return typeof r.seed === 'number' && typeof r.sequence === 'object' && r.sequence !== null && Array.isArray(r.sequence.notes) && typeof r.options === 'object';
}
