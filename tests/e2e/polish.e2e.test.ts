// The Polish step in a real browser with the shipped Refine Net: a generated fragment polished, A/B compared while it plays, accepted, undone and redone, exported and read back by mido; kept as a new fragment, discarded, and polished in Arrange.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ModelInfo } from '../../src/shared/api/models';
import type { NoteSequence } from '../../src/shared/song';
import { startHarness, type Harness } from './harness';
import { connected, download, fragmentRow, fragmentRows, readMidi, screenshot, type MidoDump, type MidoNote } from './steps';

const REFINE_ID = 'piano-refine-net';
const REFINE_NAME = 'Piano Refine Net';
const SEED = 7;

let h: Harness;
let page: Page;
let dir: string;
let fragmentName = '';
let before: MidoDump;
let accepted: MidoDump;
let beforePath = '';
let acceptedPath = '';

/** What a note is apart from its loudness: a polish of the velocities alone must leave these exactly as they were. */
const shape = (n: MidoNote): string => `${n.pitch}@${n.start}-${n.end}`;
const shapes = (notes: readonly MidoNote[]): string[] => notes.map(shape);
const velocities = (notes: readonly MidoNote[]): number[] => notes.map((n) => n.velocity);
/** Every note with its loudness, in any order: from mido, and from the page's library. */
const midoNotes = (notes: readonly MidoNote[]): string[] => notes.map((n) => `${shape(n)}v${n.velocity}`).sort();
const storeNotes = (seq: NoteSequence): string[] => seq.notes.map((n) => `${n.pitch}@${n.startTick}-${n.endTick}v${n.velocity}`).sort();

async function fragmentSequence(name: string): Promise<NoteSequence> {
  return page.evaluate((n) => {
    type Store = { snapshot(): { fragments: { name: string; sequence: NoteSequence }[] } };
    return (globalThis as unknown as { __project: Store }).__project.snapshot().fragments.find((f) => f.name === n)!.sequence;
  }, name);
}

/** A piano-roll tool, from the toolbar, or from the "More" menu where the toolbar folded it. */
async function rollTool(roll: Locator, action: string): Promise<void> {
  const button = roll.locator(`.toolbar [data-action="${action}"]`);
  if (await button.isVisible()) return button.click();
  await roll.getByTestId('roll-more').click();
  await page.getByTestId('roll-menu').locator(`[data-action="${action}"]`).click();
}

/** Opens the Polish step, turns durations off (so every note keeps its place), and runs it; resolves once the result is under review. */
async function polishVelocities(scope: Locator): Promise<void> {
  await rollTool(scope.getByRole('application', { name: 'Piano roll' }), 'polish');
  const step = scope.getByTestId('polish-step');
  await step.waitFor();
  await step.getByTestId('polish-run').waitFor();
  expect(await step.textContent()).toContain(`with ${REFINE_NAME}`);
  const durations = step.getByTestId('polish-durations');
  if (await durations.isChecked()) await durations.uncheck();
  expect(await step.getByTestId('polish-velocities').isChecked()).toBe(true);
  await step.getByTestId('polish-run').click();
  await step.getByTestId('polish-review').waitFor({ timeout: 60_000 });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ds-e2e-polish-'));
  h = await startHarness();
  page = h.page;
  await h.studio.engine.ready();
  // The shipped Refine Net (resources/models/piano-refine-net) is the one a user polishes with, with no set-up.
  await connected(page);
}, 180_000);
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('polish: velocities by a Refine Net, compared, accepted, undone, exported', () => {
  it('lists only models that generate in the Generate panel: the Refine Net is not one', async () => {
    const select = page.getByTestId('generate-model');
    await select.waitFor({ timeout: 20_000 });
    const list = await page.evaluate(() => {
      type Api = { models: { list(): Promise<ModelInfo[]> } };
      return (globalThis as unknown as { __studio: { api: Api } }).__studio.api.models.list();
    });
    expect(list.some((m) => m.id === REFINE_ID && m.capabilities.includes('refine'))).toBe(true);
    const offered = await select.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
    expect(offered).not.toContain(REFINE_ID);
    expect(offered.sort()).toEqual(list.filter((m) => m.capabilities.includes('sample')).map((m) => m.id).sort());
  });

  it('generates a fragment to polish', async () => {
    await page.getByTestId('generate-seconds').focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('generate-seconds').inputValue()).toBe('5');
    await page.getByTestId('generate-seed').fill(String(SEED));
    await page.getByTestId('generate-button').click();
    const row = fragmentRows(page).filter({ hasText: `#${SEED}` }).first();
    await row.waitFor({ timeout: 60_000 });
    fragmentName = (await row.locator('.name').textContent()) ?? '';
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(fragmentName);
    beforePath = await download(page, page.getByTestId('export-midi'), dir, 'before.mid');
    before = await readMidi(beforePath);
    expect(before.notes.length).toBeGreaterThan(3);
  });

  it('polishes with progress, then shows before and after, each audible, with an A/B toggle', async () => {
    // The progress may show for less than a poll interval: a mutation observer sees it anyway.
    await page.evaluate(() => {
      const seen = globalThis as unknown as { __polishProgress: boolean };
      seen.__polishProgress = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="polish-step"] progress') && document.querySelector('[data-testid="polish-cancel"]')) seen.__polishProgress = true;
      }).observe(document.body, { childList: true, subtree: true });
    });
    const centre = page.locator('#editor');
    await polishVelocities(centre);
    expect(await page.evaluate(() => (globalThis as unknown as { __polishProgress: boolean }).__polishProgress)).toBe(true);
    const step = centre.getByTestId('polish-step');
    expect(await step.getByTestId('polish-report').getAttribute('title')).toContain(`Polished with ${REFINE_NAME}.`);
    expect(await step.getByTestId('polish-report').textContent()).toMatch(/^\s*On average: velocity ±\d+\s*$/);
    expect(await step.getByTestId('polish-report').getAttribute('title')).toMatch(/^Velocities changed by \d+ on average; \d+ notes, none added, dropped or re-pitched/);
    const a = step.getByTestId('polish-a');
    const b = step.getByTestId('polish-b');
    expect(await b.getAttribute('aria-checked')).toBe('true');
    // While under review the roll is locked; the fragment in the library is still the original.
    const roll = centre.getByRole('application', { name: 'Piano roll' });
    expect(await roll.locator('.toolbar [data-action="pencil"]').isDisabled()).toBe(true);
    expect(storeNotes(await fragmentSequence(fragmentName))).toEqual(midoNotes(before.notes));
    await screenshot(page, 'polish-review-1440x900.png');

    // What is exported (and played) is the side picked: B the polish, A the original.
    const afterPath = await download(page, page.getByTestId('export-midi'), dir, 'review-b.mid');
    const after = await readMidi(afterPath);
    expect(shapes(after.notes)).toEqual(shapes(before.notes));
    expect(velocities(after.notes)).not.toEqual(velocities(before.notes));
    await a.click();
    expect(await a.getAttribute('aria-checked')).toBe('true');
    const aPath = await download(page, page.getByTestId('export-midi'), dir, 'review-a.mid');
    expect(Buffer.compare(await readFile(aPath), await readFile(beforePath))).toBe(0);
    await screenshot(page, 'polish-review-a-1440x900.png');

    // Both are heard: A/B while playing goes on playing, from where it was.
    const play = page.getByTestId('transport-play');
    await play.click();
    await expect.poll(() => play.getAttribute('aria-label'), { timeout: 20_000 }).toBe('Pause');
    await expect.poll(() => page.getByTestId('transport-position').textContent(), { timeout: 10_000 }).not.toBe('1.1');
    await b.click();
    expect(await b.getAttribute('aria-checked')).toBe('true');
    await page.waitForTimeout(300);
    expect(await play.getAttribute('aria-label')).toBe('Pause');
    expect(await page.getByTestId('transport-position').textContent()).not.toBe('1.1');
    await page.getByTestId('transport-stop').click();
    await expect.poll(() => play.getAttribute('aria-label')).toBe('Play');
  });

  it('accepts the polish as one undoable edit: the same notes with new velocities, read back by mido', async () => {
    const centre = page.locator('#editor');
    await centre.getByTestId('polish-accept').click();
    await expect.poll(() => centre.getByTestId('polish-step').count()).toBe(0);
    const roll = centre.getByRole('application', { name: 'Piano roll' });
    acceptedPath = await download(page, page.getByTestId('export-midi'), dir, 'accepted.mid');
    accepted = await readMidi(acceptedPath);
    expect(accepted.notes).toHaveLength(before.notes.length);
    expect(shapes(accepted.notes)).toEqual(shapes(before.notes));
    const changed = accepted.notes.filter((n, i) => n.velocity !== before.notes[i]!.velocity).length;
    expect(changed).toBeGreaterThan(0);
    for (const n of accepted.notes) expect(n.velocity).toBeGreaterThanOrEqual(1);
    // The library holds the polished fragment now.
    expect(storeNotes(await fragmentSequence(fragmentName))).toEqual(midoNotes(accepted.notes));

    const undo = roll.locator('[data-action="undo"]').first();
    if (await undo.isVisible()) expect(await undo.getAttribute('title')).toBe('Undo Polish (Ctrl+Z)');
    await roll.focus();
    await page.keyboard.press('Control+z');
    const undonePath = await download(page, page.getByTestId('export-midi'), dir, 'undone.mid');
    expect(Buffer.compare(await readFile(undonePath), await readFile(beforePath))).toBe(0);
    await roll.focus();
    await page.keyboard.press('Control+Shift+z');
    const redonePath = await download(page, page.getByTestId('export-midi'), dir, 'redone.mid');
    expect(Buffer.compare(await readFile(redonePath), await readFile(acceptedPath))).toBe(0);
    await screenshot(page, 'polish-accepted-1440x900.png');
  });

  it('keeps a polish as a new fragment and leaves the original as it was', async () => {
    const centre = page.locator('#editor');
    const rows = await fragmentRows(page).count();
    await polishVelocities(centre);
    await centre.getByTestId('polish-keep').click();
    const copy = `${fragmentName} · polished`;
    await fragmentRow(page, copy).waitFor();
    expect(await fragmentRows(page).count()).toBe(rows + 1);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(copy);
    // The original still holds the accepted version; the copy holds the notes with velocities of its own.
    expect(storeNotes(await fragmentSequence(fragmentName))).toEqual(midoNotes(accepted.notes));
    const polished = await fragmentSequence(copy);
    expect(polished.notes.map((n) => `${n.pitch}@${n.startTick}-${n.endTick}`).sort()).toEqual(shapes(before.notes).sort());
  });

  it('discards a polish: back to the piece as it was', async () => {
    const centre = page.locator('#editor');
    const copy = `${fragmentName} · polished`;
    const was = await fragmentSequence(copy);
    await polishVelocities(centre);
    await centre.getByTestId('polish-discard').click();
    await expect.poll(() => centre.getByTestId('polish-step').count()).toBe(0);
    expect(await fragmentSequence(copy)).toEqual(was);
    expect(await centre.getByRole('application', { name: 'Piano roll' }).locator('.toolbar [data-action="pencil"]').isDisabled()).toBe(false);
  });

  it('polishes the rendered arrangement in Arrange, in the same editor', async () => {
    await page.getByTestId('area-arrange').click();
    await page.getByTestId('section-add').click();
    await page.getByTestId('section-append').first().click();
    await page.getByTestId('render-button').click();
    const song = page.getByRole('region', { name: 'Rendered song' });
    await song.getByRole('application', { name: 'Piano roll' }).waitFor();
    await polishVelocities(song);
    expect(await song.getByTestId('polish-report').textContent()).toMatch(/On average: velocity ±/);
    await screenshot(page, 'polish-arrange-1440x900.png');
    await song.getByTestId('polish-accept').click();
    await expect.poll(() => song.getByTestId('polish-step').count()).toBe(0);
  });

  for (const [width, height] of [
    [1024, 700],
    [1440, 900],
  ] as const) {
    it(`lays the Polish step out inside its pane at ${width}×${height}`, async () => {
      await page.setViewportSize({ width, height });
      for (const area of ['compose', 'arrange'] as const) {
        await page.getByTestId(`area-${area}`).click();
        const scope = area === 'compose' ? page.locator('#editor') : page.getByRole('region', { name: 'Rendered song' });
        await polishVelocities(scope);
        const problems = await scope.getByTestId('polish-step').evaluate((step) => {
          const out: string[] = [];
          const pane = step.getBoundingClientRect();
          for (const el of step.querySelectorAll('button, select, input, progress')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0) continue;
            if (r.left < pane.left - 0.5 || r.right > pane.right + 0.5 || r.bottom > pane.bottom + 0.5) out.push(`${el.getAttribute('data-testid') ?? el.tagName} sticks out`);
          }
          if (step.scrollWidth > step.clientWidth + 1) out.push('the step scrolls sideways');
          return out;
        });
        expect(problems, `${area} ${width}×${height}`).toEqual([]);
        await screenshot(page, `polish-${area}-${width}x${height}.png`);
        // Under review the step takes a row (two where Compose is narrow), so the roll keeps its room to compare in.
        const strip = await scope.getByTestId('polish-step').boundingBox();
        expect(strip?.height ?? 0, `${area} ${width}×${height}`).toBeLessThan(area === 'arrange' ? 56 : 80);
        const roll = await scope.getByRole('application', { name: 'Piano roll' }).boundingBox();
        expect(roll?.height ?? 0, `${area} ${width}×${height}`).toBeGreaterThanOrEqual(180);
        await scope.getByTestId('polish-discard').click();
      }
    });
  }

  it('has no serious or critical accessibility problem while a polish is under review (axe-core)', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('area-compose').click();
    const centre = page.locator('#editor');
    await polishVelocities(centre);
    await centre.getByTestId('polish-options').click();
    const result = await new AxeBuilder({ page }).include('#editor').analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await centre.getByTestId('polish-discard').click();
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
