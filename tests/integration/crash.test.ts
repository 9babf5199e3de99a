// Crash safety: a process saving and autosaving a large project is SIGKILLed at random moments; every time, the last saved
// version (or the one being written) opens whole, and the next start leaves no temporary file behind.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/main/studio/projects';
import { rng } from './kit/hostile';
import { largeProject, versionOf } from './kit/projects';

const root = fileURLToPath(new URL('../../', import.meta.url));
const KILLS = 30;

interface Run {
  lines: string[];
  /** How many writes had begun when the kill came. */
  begun: number;
}

/** Starts a saver, kills it `delayMs` after its first write began, and returns what it said. */
function killDuringSaves(userData: string, first: number, delayMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/integration/kit/saveChild.ts'), userData, String(first)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timer: ReturnType<typeof setTimeout> | undefined;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      timer ??= setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the saver exited with ${code} before the kill: ${err}`));
      const lines = out.split('\n').filter(Boolean);
      resolve({ lines, begun: lines.filter((l) => l.startsWith('begin')).length });
    });
  });
}

/** The versions a file may hold after a kill: the last one written whole, or one whose write had begun after it. */
function acceptable(lines: string[], kind: 'save' | 'autosave', before: number): number[] {
  let last = before;
  let inFlight: number | undefined;
  for (const l of lines) {
    const [word, what, v] = l.split(' ');
    if (word === 'begin' && what === kind) inFlight = Number(v);
    if ((word === 'saved' && kind === 'save') || (word === 'autosaved' && kind === 'autosave')) {
      last = Number(what);
      inFlight = undefined;
    }
  }
  return inFlight === undefined ? [last] : [last, inFlight];
}

function tempFiles(userData: string): string[] {
  const all = [...readdirSync(userData), ...readdirSync(join(userData, 'projects')).map((f) => `projects/${f}`)];
  return all.filter((f) => f.endsWith('.tmp'));
}

describe('saving under SIGKILL', () => {
  it(`keeps the last saved project and autosave whole through ${KILLS} kills, and cleans up at the next start`, async () => {
    const userData = mkdtempSync(join(tmpdir(), 'ds-crash-'));
    const start = new ProjectStore(userData);
    await start.save('Big', largeProject(0));
    await start.autosave(largeProject(0));
    let saved = 0;
    let autosaved = 0;
    let next = 1;
    let leftBehind = 0;
    let midWrite = 0;
    const random = rng(2024);
    for (let k = 0; k < KILLS; k++) {
      const run = await killDuringSaves(userData, next, Math.floor(random() * 400));
      const okSave = acceptable(run.lines, 'save', saved);
      const okAuto = acceptable(run.lines, 'autosave', autosaved);
      if (okSave.length > 1 || okAuto.length > 1) midWrite++;
      leftBehind += tempFiles(userData).length;
      // The next start: a new store over the same folder.
      const store = new ProjectStore(userData);
      const project = await store.open('Big');
      const recovered = await store.recovery();
      expect(okSave, `kill ${k}: project`).toContain(versionOf(project));
      expect(recovered, `kill ${k}: autosave`).not.toBeNull();
      expect(okAuto, `kill ${k}: autosave`).toContain(versionOf(recovered!));
      expect(project.fragments).toHaveLength(20);
      expect(tempFiles(userData), `kill ${k}: temp files after the next start`).toEqual([]);
      saved = versionOf(project);
      autosaved = versionOf(recovered!);
      // Versions only grow, so an old file can never pass for a new one.
      next += run.begun + 1;
    }
    // The kills really landed in the middle of writes, and really left temp files for the next start to clean.
    console.log(`crash test: ${KILLS} kills, ${midWrite} during a write, ${leftBehind} temp files left by the kills and removed at the next start`);
    expect(midWrite).toBeGreaterThan(KILLS / 3);
    expect(leftBehind).toBeGreaterThan(0);
  });
});
