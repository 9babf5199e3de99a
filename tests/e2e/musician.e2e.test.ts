// The studio as a musician uses it, in a real browser: a fragment in a key, its score and ABC, a pickup read as abc2midi bars it, DAW keys, honest plagiarism badges, and every area laid out and accessible at four window sizes.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sequenceKey } from '../../src/shared/keyFinding';
import { keyForSeed, keyLabel } from '../../src/shared/keys';
import { quantizeForScore } from '../../src/shared/score';
import type { NoteSequence } from '../../src/shared/song';
import { keyFifths } from '../../src/shared/spelling';
import { startHarness, type Harness } from './harness';
import { connected, download, FIXTURES, fragmentRow, fragmentRows, importFiles, readMidi, screenshot } from './steps';

const run = promisify(execFile);
const SIZES = [
  [1024, 700],
  [1280, 800],
  [1440, 900],
  [1920, 1080],
] as const;
const AREAS = ['compose', 'arrange', 'train', 'live'] as const;
const SEED = 42;
const ALDERMAN = "The Alderman's Hat";

let h: Harness;
let page: Page;
let dir: string;
let generatedName = '';

interface PageFragment {
  id: string;
  name: string;
  sequence: NoteSequence;
  plagiarism: unknown;
}

/** The library as the page holds it (window.__project, the renderer's project store). */
async function fragments(p: Page): Promise<PageFragment[]> {
  return p.evaluate(() => {
    type Store = { snapshot(): { fragments: unknown[] } };
    return (globalThis as unknown as { __project: Store }).__project.snapshot().fragments as never;
  });
}

const notesOf = (seq: NoteSequence): string[] => seq.notes.map((n) => `${n.pitch}@${n.startTick}-${n.endTick}`).sort();

/** Where bars start, from a sequence's time signatures (each one starts a bar; bars follow at its length). */
function barStarts(seq: NoteSequence): Set<number> {
  const end = Math.max(0, ...seq.notes.map((n) => n.endTick));
  const sigs = [...seq.timeSignatures].sort((a, b) => a.tick - b.tick);
  const out = new Set<number>();
  sigs.forEach((s, i) => {
    const until = sigs[i + 1]?.tick ?? end + 1;
    for (let t = s.tick; t < until; t += (seq.ppq * 4 * s.numerator) / s.denominator) out.add(t);
  });
  return out;
}

async function select(p: Page, name: string): Promise<void> {
  await fragmentRow(p, name).getByText(name, { exact: true }).click();
  await expect.poll(() => p.getByRole('heading', { level: 1 }).textContent()).toBe(name);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ds-e2e-musician-'));
  h = await startHarness();
  page = h.page;
  await connected(page);
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a musician in the studio', () => {
  it('generates a fragment in the key its seed picks, named by key, length and seed', async () => {
    await page.getByTestId('generate-model').waitFor({ timeout: 20_000 });
    await page.getByTestId('generate-seconds').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('generate-seconds').inputValue()).toBe('10');
    await page.getByTestId('generate-seed').fill(String(SEED));
    expect(await page.getByTestId('generate-key').inputValue()).toBe('');
    await page.getByTestId('generate-button').click();
    const key = keyLabel(keyForSeed(SEED).preset);
    const row = fragmentRows(page).filter({ hasText: `#${SEED}` }).first();
    await row.waitFor({ timeout: 60_000 });
    generatedName = (await row.locator('.name').textContent()) ?? '';
    expect(generatedName).toMatch(new RegExp(`^${key} · \\d+ s · #${SEED}$`));
    // The full origin is on hover; the header names the key.
    expect(await row.locator('.open').getAttribute('title')).toMatch(new RegExp(`seed ${SEED}[\\s\\S]*Key ${key}`));
    await select(page, generatedName);
    expect(await page.getByTestId('fragment-key').textContent()).toBe(key);
    const [f] = (await fragments(page)).filter((x) => x.name === generatedName);
    expect(f?.sequence.keySignatures).toEqual([{ tick: 0, ...keyForSeed(SEED).preset }]);
  });

  it('grades the generated fragment by its longest copied run, and no badge says "100%"', async () => {
    const badge = fragmentRow(page, generatedName).getByTestId('plagiarism-badge');
    await badge.waitFor({ timeout: 30_000 });
    expect(await badge.textContent()).toMatch(/^(original|quote \d+|copy \d+)$/);
    const title = (await badge.getAttribute('title')) ?? '';
    expect(title).toMatch(/× what unrelated music of this length shares/);
    for (const b of await page.getByTestId('plagiarism-badge').all()) {
      expect(`${await b.textContent()} ${await b.getAttribute('title')}`).not.toMatch(/100\s*%/);
    }
  });

  it('shows the fragment as a score in its key, and the exported ABC reads back to the same notes at the chosen grid', async () => {
    await page.getByTestId('score-grid').selectOption('8');
    await page.getByTestId('view-score').click();
    const score = page.getByTestId('score-view');
    await score.locator('svg').first().waitFor({ timeout: 20_000 });
    await expect.poll(() => score.getAttribute('aria-busy')).toBe('false');
    const preset = keyForSeed(SEED).preset;
    const fifths = keyFifths(preset.tonic, preset.mode);
    // The key signature drawn on the first staff holds as many sharps or flats as the key has.
    const signs = await score.locator('.abcjs-staff-extra.abcjs-key-signature').first().locator('path').count();
    expect(signs).toBe(Math.abs(fifths));
    expect(await score.getAttribute('data-key')).toMatch(preset.mode === 'minor' ? /^[A-G][b#]?m$/ : /^[A-G][b#]?$/);
    await screenshot(page, 'score-view.png');

    const abcPath = await download(page, page.getByTestId('export-abc'), dir, 'fragment.abc');
    const text = await readFile(abcPath, 'utf8');
    expect(text).toContain(`K:${await score.getAttribute('data-key')}`);
    expect(text).toMatch(/^%%score /m);
    // Readable: every length is a plain or dotted binary value at the eighth-note grid, no 25/32.
    expect(text).not.toMatch(/[A-Ga-gz][,']*\d*\/(?!2\b|4\b)\d+/);

    const [f] = (await fragments(page)).filter((x) => x.name === generatedName);
    const back = await page.evaluate(async (abc) => {
      type Api = { studio: { importFile(name: string, b64: string): Promise<{ fragments: { sequence: NoteSequence }[] }> } };
      const api = (globalThis as unknown as { __studio: { api: Api } }).__studio.api;
      const bytes = new TextEncoder().encode(abc);
      return (await api.studio.importFile('back.abc', btoa(String.fromCharCode(...bytes)))).fragments[0]!.sequence;
    }, text);
    const expected = quantizeForScore(f!.sequence, 8, sequenceKey(f!.sequence));
    expect(notesOf(back)).toEqual(notesOf(expected));
    await page.getByTestId('view-roll').click();
  });

  it('imports a pickup tune with its bar lines where abc2midi puts them', async () => {
    const all = await readFile(join(FIXTURES, 'nottingham', 'playford.abc'), 'utf8');
    const start = all.search(/^X: ?1$/m);
    const tune = all.slice(start, all.indexOf('\n\n', start) + 1);
    expect(tune).toContain(`T:${ALDERMAN}`);
    const abcFile = join(dir, 'alderman.abc');
    await writeFile(abcFile, tune);
    await importFiles(page, [abcFile]);
    await fragmentRow(page, ALDERMAN).waitFor();
    await select(page, ALDERMAN);
    // The D before the first bar line is an upbeat: the transport counts it as bar 0, beat 4.
    expect(await page.getByTestId('transport-position').textContent()).toBe('0.4');

    const seq = (await fragments(page)).find((x) => x.name === ALDERMAN)!.sequence;
    expect(seq.timeSignatures.slice(0, 2)).toEqual([
      { tick: 0, numerator: 1, denominator: 4 },
      { tick: 480, numerator: 4, denominator: 4 },
    ]);
    // abc2midi's beat stress gives the first note of each of its bars velocity 105: those notes start our bars.
    await run('/usr/bin/abc2midi', [abcFile, '-o', join(dir, 'alderman.mid'), '-silent']);
    const ref = await readMidi(join(dir, 'alderman.mid'));
    const loud = new Set(ref.notes.filter((n) => n.velocity === 105 && n.channel === 0).map((n) => n.start - 1));
    const ours = barStarts(seq);
    const melody = seq.notes.filter((n) => n.track === 0);
    expect(melody.length).toBeGreaterThan(50);
    for (const n of melody) expect(ours.has(n.startTick), `note at tick ${n.startTick}`).toBe(loud.has(n.startTick));
  });

  it('plays and pauses with Space, rewinds with Home, loops with L and lists the keys with ?', async () => {
    await select(page, generatedName);
    const play = page.getByTestId('transport-play');
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('Space');
    await expect.poll(() => play.getAttribute('aria-label'), { timeout: 20_000 }).toBe('Pause');
    await expect.poll(() => page.getByTestId('transport-position').textContent(), { timeout: 10_000 }).not.toBe('1.1');
    await page.keyboard.press('Space');
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Play');
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('transport-position').textContent()).toBe('1.1');
    await page.keyboard.press('l');
    expect(await page.getByTestId('transport-loop').isChecked()).toBe(true);
    await page.keyboard.press('l');
    expect(await page.getByTestId('transport-loop').isChecked()).toBe(false);
    // Space in the piano roll plays too (held, it pans).
    await page.getByRole('application', { name: 'Piano roll' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => play.getAttribute('aria-label'), { timeout: 10_000 }).toBe('Pause');
    await page.keyboard.press('Space');
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Play');
    await page.keyboard.press('Shift+?');
    const keys = page.getByTestId('shortcuts-dialog');
    await expect.poll(() => keys.isVisible()).toBe(true);
    expect(await keys.textContent()).toMatch(/Space[\s\S]*Play or pause/);
    await page.keyboard.press('Escape');
    await expect.poll(() => keys.isVisible()).toBe(false);
  });

  it('has a skip link to the editor and area tabs that say which is selected', async () => {
    // The skip link is the first stop: one Shift+Tab back from the first area tab.
    await page.getByTestId('area-compose').focus();
    await page.keyboard.press('Shift+Tab');
    const skip = page.getByTestId('skip-link');
    expect(await skip.isVisible()).toBe(true);
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Piano roll');
    const tabs = page.getByRole('tablist', { name: 'Studio areas' }).getByRole('tab');
    expect(await tabs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-selected')))).toEqual(['true', 'false', 'false', 'false']);
  });

  it('builds an arrangement to look at in every area', async () => {
    await importFiles(page, [join(FIXTURES, 'piano', 'chpn-p7.mid')]);
    await fragmentRows(page).nth(2).waitFor({ timeout: 20_000 });
    await page.getByTestId('area-arrange').click();
    for (let i = 0; i < 3; i++) await page.getByTestId('section-add').click();
    for (let i = 0; i < 3; i++) await page.getByTestId('section-append').nth(i).click();
    await page.getByTestId('render-button').click();
    await page.getByRole('region', { name: 'Rendered song' }).getByRole('application', { name: 'Piano roll' }).waitFor();
  });

  for (const [width, height] of SIZES) {
    it(`keeps every control inside its pane at ${width}×${height}, with no horizontal overflow`, async () => {
      await page.setViewportSize({ width, height });
      for (const area of AREAS) {
        await page.getByTestId(`area-${area}`).click();
        await page.waitForTimeout(300);
        const problems = await page.evaluate(() => {
          const out: string[] = [];
          const doc = document.documentElement;
          if (doc.scrollWidth > doc.clientWidth + 1) out.push(`the page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
          const describe = (el: Element): string => `${el.tagName.toLowerCase()}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}"`;
          const panes = [...document.querySelectorAll('.panel, .shell > header, .status, .toolbar, .bar')];
          for (const pane of panes) {
            const r = pane.getBoundingClientRect();
            if (r.width === 0) continue;
            if (pane.scrollWidth > pane.clientWidth + 1 && getComputedStyle(pane).overflowX !== 'auto') out.push(`${describe(pane)} overflows sideways (${pane.scrollWidth} > ${pane.clientWidth})`);
          }
          for (const el of document.querySelectorAll('button, select, input:not([type="file"]), [role="tab"], a[href]')) {
            const r = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[hidden], dialog:not([open]), .skip')) continue;
            if (r.left < -0.5 || r.right > window.innerWidth + 0.5) out.push(`${describe(el)} is outside the window (${Math.round(r.left)}..${Math.round(r.right)})`);
            const pane = el.closest('.panel, .shell > header, .status');
            if (!pane) continue;
            const p = pane.getBoundingClientRect();
            // Sideways the control must lie within its pane; it may sit below the fold of a pane that scrolls down.
            if (r.left < p.left - 0.5 || r.right > p.right + 0.5) out.push(`${describe(el)} sticks out of its pane (${Math.round(r.left)}..${Math.round(r.right)} vs ${Math.round(p.left)}..${Math.round(p.right)})`);
            // Below the fold is fine inside something that scrolls down (up to and including the pane).
            let scrolls = false;
            for (let a: Element | null = el.parentElement; a && !scrolls; a = a === pane ? null : a.parentElement) scrolls = ['auto', 'scroll'].includes(getComputedStyle(a).overflowY);
            if (!scrolls && (r.bottom > p.bottom + 0.5 || r.top < p.top - 0.5)) out.push(`${describe(el)} is cut off at the bottom of its pane`);
          }
          return out;
        });
        expect(problems, `${area} at ${width}×${height}`).toEqual([]);
        // Every piano-roll tool shows, or is in the "More" menu.
        for (const roll of await page.getByRole('application', { name: 'Piano roll' }).all()) {
          if (!(await roll.isVisible())) continue;
          const shown = await roll.locator('.toolbar [data-action]').evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetWidth > 0).map((e) => e.getAttribute('data-action')));
          let inMenu: (string | null)[] = [];
          const more = roll.getByTestId('roll-more');
          if (await more.isVisible()) {
            await more.click();
            inMenu = await page.getByTestId('roll-menu').locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
            await page.keyboard.press('Escape');
          }
          const all = new Set([...shown, ...inMenu]);
          for (const action of ['select', 'pencil', 'snap', 'zoom-out', 'zoom-in', 'fit', 'undo', 'redo', 'quantize', 'polish', 'velocity']) expect(all.has(action), `${area} ${width}×${height}: ${action}`).toBe(true);
        }
        if (area === 'compose') {
          const editor = await page.locator('#editor').boundingBox();
          // The editor keeps about 60% of the window.
          expect((editor?.width ?? 0) / width, `compose editor at ${width}×${height}`).toBeGreaterThanOrEqual(0.56);
          expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
        }
        await screenshot(page, `layout-${area}-${width}x${height}.png`);
      }
    });
  }

  it('folds the piano-roll tools that do not fit into a "More" menu, where they still work', async () => {
    await page.setViewportSize({ width: 800, height: 600 });
    await page.getByTestId('area-compose').click();
    const roll = page.getByRole('application', { name: 'Piano roll' });
    await roll.getByTestId('roll-more').click();
    const menu = page.getByTestId('roll-menu');
    const folded = await menu.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(folded).toContain('velocity');
    expect(await roll.locator('.toolbar [data-action="velocity"]').count()).toBe(0);
    const laneShown = (): Promise<boolean> => roll.locator('.body').evaluate((el) => !el.classList.contains('no-lane'));
    const before = await laneShown();
    await menu.locator('[data-action="velocity"]').click();
    await expect.poll(() => menu.isVisible()).toBe(false);
    expect(await laneShown()).toBe(!before);
    await screenshot(page, 'layout-compose-800x600.png');
  });

  for (const [width, height] of [SIZES[0], SIZES[2]]) {
    it(`has no serious or critical accessibility problem in any area (axe-core, ${width}×${height})`, async () => {
      await page.setViewportSize({ width, height });
      for (const area of AREAS) {
        await page.getByTestId(`area-${area}`).click();
        await page.waitForTimeout(300);
        const result = await new AxeBuilder({ page }).analyze();
        const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`), `${area} at ${width}×${height}`).toEqual([]);
      }
    });
  }

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
