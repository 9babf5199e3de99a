// The DCRNN's configuration: the roll it writes, the generator (DCRNN or a plain RNN), the critic (CNN or RNN), and its checkpoint format.
import { z } from 'zod';

/** 4 steps a beat (sixteenths) at 120 bpm: 125 ms a step, 16 steps a 4/4 bar. See roll.ts for why a fixed grid. */
export const STEPS_PER_BAR = 16;
export const STEP_SECONDS = 0.125;
/** 88 keys, A0 to C8. */
export const ROLL_LOW = 21;
export const ROLL_PITCHES = 88;
export const CONDITION_SIZE = 12;

export interface DcrnnConfig {
  /** 'dcrnn': RNN-a over a bar, repeated, refined by RNN-b, a strip transposed conv over pitch; 'rnn': one GRU, a dense output. */
  generator: 'dcrnn' | 'rnn';
  critic: 'cnn' | 'rnn';
  noiseSize: number;
  /** Condition both networks on the segment's pitch-class histogram (the study's scale input). */
  conditional: boolean;
  /** Bars of structure RNN-a writes, and how many times it is repeated: a segment is barsA * repeat bars. */
  barsA: number;
  repeat: number;
  unitsA: number;
  /** RNN-b's units are (88 / stripStride) * stripChannels: one row of stripChannels per group of keys. */
  stripChannels: number;
  stripStride: number;
  /** Keys one strip kernel spans. */
  stripWidth: number;
  /** The RNN generator's and the RNN critic's units. */
  rnnUnits: number;
  criticChannels: [number, number, number];
  initSeed: number;
}

export const dcrnnConfigSchema = z.object({
  generator: z.enum(['dcrnn', 'rnn']),
  critic: z.enum(['cnn', 'rnn']),
  noiseSize: z.number().int().min(1).max(1024),
  conditional: z.boolean(),
  barsA: z.number().int().min(1).max(16),
  repeat: z.number().int().min(1).max(16),
  unitsA: z.number().int().min(4).max(2048),
  stripChannels: z.number().int().min(1).max(256),
  stripStride: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8), z.literal(11)]),
  stripWidth: z.number().int().min(1).max(88),
  rnnUnits: z.number().int().min(4).max(2048),
  criticChannels: z.tuple([z.number().int().min(1).max(512), z.number().int().min(1).max(512), z.number().int().min(1).max(512)]),
  initSeed: z.number().int(),
});

export function segmentSteps(c: Pick<DcrnnConfig, 'barsA' | 'repeat'>): number {
  return c.barsA * c.repeat * STEPS_PER_BAR;
}

export const CHECKPOINT_FORMAT = 'deep-symphony-dcrnn/1';

export interface DcrnnCheckpointConfig {
  format: typeof CHECKPOINT_FORMAT;
  model: DcrnnConfig;
  /** The training data's mean pitch-class histogram: the condition when none is asked for. */
  meanHistogram: number[];
  train?: Record<string, unknown>;
}
