// Draws the next event from logits with temperature, top-k and nucleus (top-p) filtering, from a seeded generator.
import { InvalidArgumentError } from '../../../../shared/errors';
import type { Rng } from '../../train/rng';

export interface SamplingOptions {
  temperature: number;
  /** 0 = no limit. */
  topK: number;
  /** 1 = no limit. */
  topP: number;
}

export function checkSampling(o: SamplingOptions): void {
  if (!(o.temperature > 0) || !Number.isFinite(o.temperature)) throw new InvalidArgumentError(`temperature must be a positive number, got ${o.temperature}`);
  if (!Number.isInteger(o.topK) || o.topK < 0) throw new InvalidArgumentError(`topK must be an integer >= 0, got ${o.topK}`);
  if (!(o.topP > 0 && o.topP <= 1)) throw new InvalidArgumentError(`topP must be in (0, 1], got ${o.topP}`);
}

/** Samples one index from softmax(logits / temperature), restricted by topK and topP. */
export function sampleLogits(logits: Float32Array, o: SamplingOptions, rng: Rng): number {
  const n = logits.length;
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i]! > max) max = logits[i]!;
  const probs = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.exp((logits[i]! - max) / o.temperature);
    probs[i] = p;
    total += p;
  }
  const filtered = o.topK > 0 && o.topK < n;
  if (filtered || o.topP < 1) {
    // Sort indices by probability once; both filters keep a prefix of this order.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
    let keep = filtered ? o.topK : n;
    if (o.topP < 1) {
      let cumulative = 0;
      for (let r = 0; r < keep; r++) {
        cumulative += probs[order[r]!]! / total;
        if (cumulative >= o.topP) {
          keep = r + 1;
          break;
        }
      }
    }
    total = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      if (r >= keep) probs[i] = 0;
      else total += probs[i]!;
    }
  }
  let u = rng.next() * total;
  let last = 0;
  for (let i = 0; i < n; i++) {
    if (probs[i]! <= 0) continue;
    last = i;
    u -= probs[i]!;
    if (u < 0) return i;
  }
  return last;
}
