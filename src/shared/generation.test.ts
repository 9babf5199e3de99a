// The engine checks a primer note by note before any model sees it.
import { describe, expect, it } from 'vitest';
import { generateOptionsSchema } from './generation';
import { emptySequence } from './song';

describe('generateOptionsSchema', () => {
  it('accepts a real primer and refuses one with an impossible note', () => {
    const primer = emptySequence();
    primer.notes.push({ pitch: 60, velocity: 80, startTick: 0, endTick: 480, track: 0 });
    expect(generateOptionsSchema.safeParse({ seed: 1, primer }).success).toBe(true);
    const bad = { ...primer, notes: [{ pitch: 200, velocity: 80, startTick: 0, endTick: 480, track: 0 }] };
    const r = generateOptionsSchema.safeParse({ seed: 1, primer: bad });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['primer', 'notes', 0, 'pitch']);
  });
});
