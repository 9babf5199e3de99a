// The long hostile-client session: the CI suite's probe groups (tests/integration/kit/hostile.ts) over and over, seeded, for --minutes.
// Run: npx tsx scripts/hostile-long.ts --minutes 5 [--seed 1] [--scale 2]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { assertHealthy, autosave, GROUPS, rng, startEngine } from '../tests/integration/kit/hostile';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, scale: { type: 'string', default: '2' } } });
const minutes = Number(values.minutes);
const seed = Number(values.seed);
const scale = Number(values.scale);
for (const [flag, v, ok] of [['--minutes', minutes, minutes > 0], ['--seed', seed, Number.isInteger(seed)], ['--scale', scale, Number.isInteger(scale) && scale >= 1]] as const) {
  if (!ok || !Number.isFinite(v)) {
    console.error(`${flag} must be a positive number, got "${String(v)}"`);
    process.exit(2);
  }
}

const engine = await startEngine();
const t0 = Date.now();
const totals: Record<string, { rounds: number; probes: number; handled: number; ms: number }> = {};
const failures: string[] = [];
let rounds = 0;
let peakMb: number | null;

/** The engine process's peak resident memory (Linux /proc), to see that floods and huge messages stay bounded. */
function peakRssMb(pid: number | undefined): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}
try {
  await autosave(engine);
  while (Date.now() - t0 < minutes * 60_000 && failures.length === 0) {
    for (const [name, group] of Object.entries(GROUPS)) {
      const started = Date.now();
      const r = await group(engine, rng(seed * 1_000_003 + rounds), scale);
      const t = (totals[name] ??= { rounds: 0, probes: 0, handled: 0, ms: 0 });
      t.rounds++;
      t.probes += r.probes;
      t.handled += r.handled;
      t.ms += Date.now() - started;
      for (const note of r.notes) if (!note.startsWith('a reader that never reads got')) failures.push(`round ${rounds} ${name}: ${note}`);
      try {
        await assertHealthy(engine, `${name} round ${rounds}`);
      } catch (err) {
        failures.push(err instanceof Error ? err.message : String(err));
        break;
      }
    }
    rounds++;
    process.stderr.write(`round ${rounds} done after ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
} finally {
  peakMb = peakRssMb(engine.child.pid);
  await engine.stop();
}
console.log(JSON.stringify({ minutes, seed, scale, rounds, seconds: Math.round((Date.now() - t0) / 1000), groups: totals, enginePeakRssMb: peakMb, engineAlive: failures.length === 0, failures: failures.slice(0, 20) }, null, 2));
process.exit(failures.length ? 1 : 0);
