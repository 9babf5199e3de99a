// Sampling from logits: temperature, top-k and top-p keep what they should, and a seed fixes the draw.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../train/rng';
import { checkSampling, sampleLogits } from './sampler';

const logits = Float32Array.from([2, 1, 0, -1]);

function histogram(o: { temperature: number; topK: number; topP: number }, n = 4000): number[] {
  const rng = new Rng(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) counts[sampleLogits(logits, o, rng)]!++;
  return counts.map((c) => c / n);
}

describe('sampleLogits', () => {
  it('follows softmax(logits / temperature)', () => {
    const z = [2, 1, 0, -1].map(Math.exp);
    const total = z.reduce((a, b) => a + b, 0);
    const h = histogram({ temperature: 1, topK: 0, topP: 1 }, 20000);
    h.forEach((p, i) => expect(p).toBeCloseTo(z[i]! / total, 1));
    // A low temperature all but picks the maximum.
    expect(histogram({ temperature: 0.05, topK: 0, topP: 1 })[0]).toBeGreaterThan(0.99);
  });

  it('keeps only the k most likely with top-k, and the nucleus with top-p', () => {
    const k2 = histogram({ temperature: 1, topK: 2, topP: 1 });
    expect(k2[2]).toBe(0);
    expect(k2[3]).toBe(0);
    // p(0) = 0.64, p(0) + p(1) = 0.88: top-p 0.8 keeps two, 0.5 keeps one.
    expect(histogram({ temperature: 1, topK: 0, topP: 0.8 }).slice(2)).toEqual([0, 0]);
    expect(histogram({ temperature: 1, topK: 0, topP: 0.5 })).toEqual([1, 0, 0, 0]);
  });

  it('draws the same sequence from the same seed', () => {
    const draw = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 50 }, () => sampleLogits(logits, { temperature: 1, topK: 0, topP: 1 }, rng));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it('rejects settings outside their range with the value in the message', () => {
    expect(() => checkSampling({ temperature: -1, topK: 0, topP: 1 })).toThrow(/-1/);
    expect(() => checkSampling({ temperature: 1, topK: 1.5, topP: 1 })).toThrow(/1.5/);
    expect(() => checkSampling({ temperature: 1, topK: 0, topP: 0 })).toThrow(/topP/);
  });
});
