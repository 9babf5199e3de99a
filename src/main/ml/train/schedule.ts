// Learning-rate schedule: linear warmup, then cosine, linear or no decay down to a floor.

export type DecayKind = 'cosine' | 'linear' | 'none';

export interface ScheduleOptions {
  learningRate: number;
  warmupSteps: number;
  totalSteps: number;
  decay: DecayKind;
  /** The rate reached at the last step, as a fraction of learningRate. */
  finalFraction: number;
}

/** The learning rate for a 0-based step. */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  if (o.warmupSteps > 0 && step < o.warmupSteps) return (o.learningRate * (step + 1)) / o.warmupSteps;
  const span = Math.max(1, o.totalSteps - o.warmupSteps);
  const t = Math.min(1, Math.max(0, (step - o.warmupSteps) / span));
  const floor = o.learningRate * o.finalFraction;
  switch (o.decay) {
    case 'none':
      return o.learningRate;
    case 'linear':
      return floor + (o.learningRate - floor) * (1 - t);
    case 'cosine':
      return floor + (o.learningRate - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
  }
}
