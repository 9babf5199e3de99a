// Noise vectors as a composition tool: named vectors, interpolations between two, and sections ordered into a form, planned bar by bar.

/** A noise vector is named by the user and made from its seed (the engine draws its numbers). */
export interface NoiseVector {
  name: string;
  seed: number;
}

/** Interpolation between two vectors: along a straight line, or along the sphere (keeps the vectors' length). */
export type InterpolationMode = 'linear' | 'slerp';

/** One section of a schedule: a fixed vector, or a move from one vector to another over its bars. */
export type ZPart =
  | { label: string; bars: number; vector: NoiseVector }
  | { label: string; bars: number; from: NoiseVector; to: NoiseVector; mode: InterpolationMode };

export interface ZSchedule {
  parts: ZPart[];
  /** Labels of parts in play order; repeats allowed (A B C A B). */
  order: string[];
}

/** What one bar is made from: a vector (or a mix of two), and where it sits in the form. */
export interface BarPlan {
  /** The section's label, and which occurrence of it in the form this is (0 for the first A). */
  label: string;
  occurrence: number;
  /** The bar's index inside its section, and inside the whole piece. */
  barInSection: number;
  bar: number;
  z: { seed: number } | { from: number; to: number; t: number; mode: InterpolationMode };
}

/** A schedule that cannot be played: an order naming a missing part, a part with no bars, too many bars. */
export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export const MAX_SCHEDULE_BARS = 4096;

/** @throws ScheduleError saying what is wrong. */
export function planBars(schedule: ZSchedule): BarPlan[] {
  const parts = new Map<string, ZPart>();
  for (const p of schedule.parts) {
    if (parts.has(p.label)) throw new ScheduleError(`two sections are labelled "${p.label}"`);
    if (!Number.isInteger(p.bars) || p.bars < 1) throw new ScheduleError(`section "${p.label}" must last at least one whole bar, got ${p.bars}`);
    parts.set(p.label, p);
  }
  if (schedule.order.length === 0) throw new ScheduleError('the form is empty');
  const plans: BarPlan[] = [];
  const seen = new Map<string, number>();
  for (const label of schedule.order) {
    const part = parts.get(label);
    if (!part) throw new ScheduleError(`the form names section "${label}", which is not defined (sections: ${[...parts.keys()].join(', ') || 'none'})`);
    const occurrence = seen.get(label) ?? 0;
    seen.set(label, occurrence + 1);
    for (let b = 0; b < part.bars; b++) {
      if (plans.length >= MAX_SCHEDULE_BARS) throw new ScheduleError(`the piece would last more than ${MAX_SCHEDULE_BARS} bars`);
      const z = 'vector' in part ? { seed: part.vector.seed } : { from: part.from.seed, to: part.to.seed, t: part.bars === 1 ? 0 : b / (part.bars - 1), mode: part.mode };
      plans.push({ label, occurrence, barInSection: b, bar: plans.length, z });
    }
  }
  return plans;
}

/** A form like "ABCAB": one section per distinct letter, each with the vector of seed + its letter's index. */
export function formSchedule(form: string, barsPerSection: number, seed: number): ZSchedule {
  if (!/^[A-Z]{1,64}$/.test(form)) throw new ScheduleError(`a form is capital letters, e.g. "ABCAB", got "${form}"`);
  const labels = [...new Set(form)];
  return {
    parts: labels.map((label) => ({ label, bars: barsPerSection, vector: { name: label, seed: seed + label.charCodeAt(0) - 65 } })),
    order: [...form],
  };
}
