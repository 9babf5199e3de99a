// `npm test`: installs what is missing, then runs every check: types, lint, build, Electron audit, unit and end-to-end tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies…');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Each step, in order; a failed step does not stop the later ones, so one run shows every problem. */
const steps = [
  { name: 'types (engine)', cmd: [bin('tsc'), '-p', 'tsconfig.node.json', '--noEmit'] },
  { name: 'types (renderer)', cmd: [bin('tsc'), '-p', 'tsconfig.web.json', '--noEmit'] },
  { name: 'types (renderer tests)', cmd: [bin('tsc'), '-p', 'tsconfig.web-tests.json', '--noEmit'] },
  { name: 'types (end-to-end tests)', cmd: [bin('tsc'), '-p', 'tsconfig.e2e.json', '--noEmit'] },
  { name: 'svelte-check', cmd: [bin('svelte-check'), '--tsconfig', 'tsconfig.web.json', '--threshold', 'warning', '--output', 'human'] },
  { name: 'lint', cmd: [bin('eslint'), '.'] },
  { name: 'build (electron-vite)', cmd: [process.execPath, join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'] },
  { name: 'Electron security audit', cmd: [process.execPath, join(root, 'scripts', 'electron-audit.mjs')] },
  { name: 'unit and integration tests', cmd: [bin('vitest'), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'unit.json')}`], report: 'unit.json' },
  { name: 'end-to-end tests (headless Chromium)', cmd: [bin('vitest'), 'run', '--config', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'e2e.json')}`], report: 'e2e.json', needs: 'build (electron-vite)' },
];

const only = process.argv.slice(2);
const summary = [];
let passedTests = 0;
let failedTests = 0;
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.includes(o))) continue;
  const dep = step.needs && summary.find((s) => s.name === step.needs);
  if (dep && !dep.ok) {
    summary.push({ name: step.name, ok: false, seconds: 0, note: `skipped: ${step.needs} failed` });
    continue;
  }
  console.log(`\n=== ${step.name}`);
  const t0 = Date.now();
  const r = spawnSync(step.cmd[0], step.cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  const entry = { name: step.name, ok: r.status === 0, seconds: (Date.now() - t0) / 1000, note: '' };
  if (step.report && existsSync(join(results, step.report))) {
    const rep = JSON.parse(readFileSync(join(results, step.report), 'utf8'));
    passedTests += rep.numPassedTests;
    failedTests += rep.numFailedTests + (rep.numTotalTests === 0 ? 1 : 0);
    entry.note = `${rep.numPassedTests} passed, ${rep.numFailedTests} failed of ${rep.numTotalTests}`;
    if (rep.numTotalTests === 0) entry.ok = false;
  }
  summary.push(entry);
}

console.log('\n=== Summary');
for (const s of summary) console.log(`${s.ok ? 'ok  ' : 'FAIL'} ${s.name.padEnd(40)} ${s.seconds.toFixed(1).padStart(7)} s  ${s.note}`);
const failedSteps = summary.filter((s) => !s.ok).length;
console.log(`checks: ${summary.length - failedSteps} passed, ${failedSteps} failed`);
console.log(`tests: ${passedTests} passed, ${failedTests} failed`);
process.exit(failedSteps ? 1 : 0);
