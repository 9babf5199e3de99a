// Hostile clients against web mode, from real sockets: after each group of probes the engine still answers and keeps the unsaved work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertHealthy, autosave, GROUPS, rng, startEngine, type EngineUnderTest } from './kit/hostile';

let engine: EngineUnderTest;

beforeAll(async () => {
  engine = await startEngine();
  await autosave(engine);
  await assertHealthy(engine, 'start');
});
afterAll(async () => {
  await engine?.stop();
});

describe('web mode under hostile clients', () => {
  for (const [name, group] of Object.entries(GROUPS)) {
    it(`survives ${name} probes`, async () => {
      const report = await group(engine, rng(9), 1);
      expect(report.notes.filter((n) => !n.startsWith('a reader that never reads got')), name).toEqual([]);
      expect(report.handled, name).toBe(report.probes);
      await assertHealthy(engine, name);
    });
  }

  it('logged the refusals and protocol errors, without a stack trace', () => {
    const log = engine.log.join('\n');
    expect(log).toMatch(/refused an upgrade/);
    expect(log).toMatch(/protocol error/);
    expect(log).not.toMatch(/\n\s+at /);
    // The launch token never reaches the log, even from refused requests that carried it.
    expect(log).not.toContain(engine.token);
  });
});
