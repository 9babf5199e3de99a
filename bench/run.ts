// Runs every benchmark in turn (each in its own process, so none warms another) and prints one JSON object of all results.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => only.length === 0 || only.includes(n));

/** The last JSON object a bench printed, whether on one line or pretty-printed over many. */
function lastJsonObject(stdout: string): unknown {
  const text = stdout.trimEnd();
  for (let at = text.lastIndexOf('{'); at >= 0; at = text.lastIndexOf('{', at - 1)) {
    if (at > 0 && text[at - 1] !== '\n') continue;
    try {
      return JSON.parse(text.slice(at));
    } catch {
      // An inner object of a pretty-printed one; keep looking further up.
    }
  }
  return undefined;
}

const results: Record<string, unknown> = {};
for (const name of names) {
  process.stderr.write(`bench ${name}…\n`);
  const r = spawnSync(process.execPath, [join(here, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(here, `${name}.ts`)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  results[name] = r.status === 0 ? lastJsonObject(r.stdout) ?? { error: 'printed no JSON', stdout: r.stdout.slice(-2000) } : { error: `exit ${r.status}`, stdout: r.stdout.slice(-2000) };
}
console.log(JSON.stringify({ machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, results }, null, 2));
