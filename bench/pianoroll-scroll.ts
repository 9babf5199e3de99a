// Benchmark: scrolls the real PianoRoll over a 10,000-note piece in headless Chromium and prints frame and draw times as one JSON object.
// Usage: npx tsx bench/pianoroll-scroll.ts [--seconds 4] [--notes 10000] [--screenshot out.png]
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const repo = resolve(fileURLToPath(import.meta.url), '../..');
const entry = resolve(repo, 'src/renderer/src/pianoroll/bench/entry.svelte.ts');

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '4' },
    notes: { type: 'string', default: '10000' },
    screenshot: { type: 'string' },
  },
});
const seconds = Number(values.seconds);
const noteCount = Number(values.notes);
const shotPath = values.screenshot ?? join(mkdtempSync(join(tmpdir(), 'pianoroll-')), 'pianoroll.png');

interface Summary {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}
interface ScrollResult {
  frames: number;
  frameMs: Summary;
  drawMs: Summary;
  visibleNotes: Summary;
  slowDraws: number;
}
/** What entry.svelte.ts puts on the page's window. */
interface BenchApi {
  mountRoll(notes: number): number;
  setPlayhead(tick: number | null): void;
  zoomOut(wheelDelta: number): void;
  scrollRoll(seconds: number): Promise<ScrollResult>;
  scrollNaive(notes: number, seconds: number, width: number, height: number): Promise<ScrollResult>;
}
/** The page's globals; written out inside each evaluate() because those callbacks run in the browser, not here. */
type Page = { pianorollBench: BenchApi };

/** Bundles the bench entry (PianoRoll and its CSS) into one inline page. */
async function bundle(): Promise<string> {
  const result = await build({
    configFile: false,
    root: repo,
    logLevel: 'warn',
    plugins: [svelte({ configFile: resolve(repo, 'svelte.config.js') })],
    build: {
      write: false,
      minify: true,
      cssCodeSplit: false,
      rollupOptions: { input: entry, output: { format: 'iife' } },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  let js = '';
  let css = '';
  for (const out of outputs) {
    if (!('output' in out)) throw new Error('vite build returned a watcher, not a bundle');
    for (const item of out.output) {
      if (item.type === 'chunk') js += item.code;
      else if (item.fileName.endsWith('.css')) css += String(item.source);
    }
  }
  // The script is inlined, so a literal "</script" inside it would end the tag early.
  return `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body><div id="app"></div><script>${js.replaceAll('</script', '<\\/script')}</script></body></html>`;
}

const html = await bundle();
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setContent(html);
  await page.waitForFunction(() => 'pianorollBench' in globalThis);

  const notes = await page.evaluate((n) => (globalThis as unknown as Page).pianorollBench.mountRoll(n), noteCount);
  await page.waitForTimeout(300);
  const rollBox = (await page.locator('.roll canvas').boundingBox())!;
  const culled = await page.evaluate((s) => (globalThis as unknown as Page).pianorollBench.scrollRoll(s), seconds);
  // Zoomed far out (about 8 px per quarter note) many more notes are on screen at once.
  await page.evaluate((n) => (globalThis as unknown as Page).pianorollBench.mountRoll(n), noteCount);
  await page.waitForTimeout(300);
  await page.evaluate(() => (globalThis as unknown as Page).pianorollBench.zoomOut(830));
  const zoomedOut = await page.evaluate((s) => (globalThis as unknown as Page).pianorollBench.scrollRoll(s), seconds);
  const naive = await page.evaluate(
    ([n, s, w, h]) => (globalThis as unknown as Page).pianorollBench.scrollNaive(n!, s!, w!, h!),
    [noteCount, seconds, Math.round(rollBox.width), Math.round(rollBox.height)],
  );

  // A screenshot of a realistic piece: rubber-band select part of a phrase, place the playhead, hover a key.
  await page.evaluate(() => (globalThis as unknown as Page).pianorollBench.mountRoll(0));
  await page.waitForTimeout(200);
  const box = (await page.locator('.roll canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.42, box.y + box.height * 0.12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.5, { steps: 5 });
  await page.mouse.up();
  await page.evaluate(() => (globalThis as unknown as Page).pianorollBench.setPlayhead(480 * 4 * 1 + 480 * 2.5));
  await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await page.waitForTimeout(200);
  await page.screenshot({ path: shotPath });

  const report = {
    bench: 'pianoroll-scroll',
    notes,
    seconds,
    viewport: { width: Math.round(rollBox.width), height: Math.round(rollBox.height) },
    culled,
    culledZoomedOut: zoomedOut,
    naiveBaseline: naive,
    screenshot: shotPath,
    pageErrors: errors,
  };
  writeFileSync(1, `${JSON.stringify(report)}\n`);
} finally {
  await browser.close();
}
