// The composer's path in Arrange, in a real browser: sections A B C from three fragments, an A-B-C-A-B form built by drag and drop, rendered and exported, checked with mido.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import { connected, download, FIXTURES, fragmentRow, fragmentRows, importFiles, readMidi, screenshot, type MidoDump, type MidoNote } from './steps';

/** Three 4/4 tunes from ashover.abc without a pickup, so one time signature each. */
const TUNES = { A: 'Roman Reel', B: 'Caymann Reel', C: 'Busker Brag' } as const;
type Label = keyof typeof TUNES;
const FORM: Label[] = ['A', 'B', 'C', 'A', 'B'];

let h: Harness;
let page: Page;
let dir: string;
const fragments = new Map<Label, MidoDump>();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ds-e2e-arrange-'));
  h = await startHarness();
  page = h.page;
  await connected(page);
});
afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Notes as comparable text, shifted to start at `offset` and scaled to `ppq`. */
function shifted(notes: readonly MidoNote[], offset: number, scale = 1): string[] {
  return notes.map((n) => `${n.channel}:${n.pitch}@${Math.round((n.start - offset) * scale)}-${Math.round((n.end - offset) * scale)}v${n.velocity}`).sort();
}

/** The fragment's length as the arrangement lays it out: whole bars of its first time signature, at least one. */
function barsLength(f: MidoDump, ppq: number): number {
  const ts = f.timeSignatures[0] ?? { tick: 0, numerator: 4, denominator: 4 };
  const bar = (ppq * 4 * ts.numerator) / ts.denominator;
  const end = Math.max(0, ...f.notes.map((n) => n.end)) * (ppq / f.ppq);
  return Math.max(1, Math.ceil(end / bar - 1e-9)) * bar;
}

describe('arrange: A B C A B', () => {
  it('imports the tunes and exports each chosen fragment for reference', async () => {
    await importFiles(page, [join(FIXTURES, 'nottingham', 'ashover.abc')]);
    await expect.poll(() => fragmentRows(page).count(), { timeout: 20_000 }).toBe(46);
    for (const label of ['A', 'B', 'C'] as const) {
      await fragmentRow(page, TUNES[label]).getByText(TUNES[label], { exact: true }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(TUNES[label]);
      const dump = await readMidi(await download(page, page.getByTestId('export-midi'), dir, `${label}.mid`));
      expect(dump.notes.length).toBeGreaterThan(100);
      expect(dump.timeSignatures).toHaveLength(1);
      fragments.set(label, dump);
    }
  });

  it('builds sections A, B, C and the form A B C A B by dragging them onto the timeline', async () => {
    await page.getByTestId('area-arrange').click();
    for (const label of ['A', 'B', 'C'] as const) {
      await page.getByTestId('section-add').click();
      const card = page.locator(`[data-testid="arranger-section"][data-section-label="${label}"]`);
      await card.getByTestId('section-fragment').selectOption({ label: TUNES[label] });
    }
    const timeline = page.getByTestId('arranger-timeline');
    for (const label of FORM) {
      const box = await timeline.boundingBox();
      if (!box) throw new Error('the timeline is not on screen');
      const slots = await page.getByTestId('timeline-slot').count();
      // Drop past the last slot, on the timeline's own padding: that appends.
      await page.dragAndDrop(`[data-testid="arranger-section"][data-section-label="${label}"] >> text="${label}"`, '[data-testid="arranger-timeline"]', {
        targetPosition: { x: box.width - 4, y: box.height / 2 },
      });
      await expect.poll(() => page.getByTestId('timeline-slot').count()).toBe(slots + 1);
    }
    expect(await page.getByTestId('arranger-form').textContent()).toBe(FORM.join(' '));
    const slotLabels = await page.getByTestId('timeline-slot').evaluateAll((els) => els.map((e) => e.getAttribute('data-section-label')));
    expect(slotLabels).toEqual(FORM);
  });

  it('renders the song into the piano roll and exports a MIDI file whose sections follow A B C A B', async () => {
    await page.getByTestId('render-button').click();
    const song = page.getByRole('region', { name: 'Rendered song' });
    const roll = song.getByRole('application', { name: 'Piano roll' });
    await roll.waitFor();
    const total = FORM.reduce((sum, l) => sum + (fragments.get(l)?.notes.length ?? 0), 0);
    await expect.poll(() => roll.locator('.info.count').textContent()).toBe(`${total} notes`);
    expect(await song.getByRole('heading', { level: 2 }).textContent()).toContain(FORM.join(' '));
    await screenshot(page, 'arrange-abcab.png');

    const file = await readMidi(await download(page, song.getByTestId('export-midi'), dir, 'song.mid'));
    expect(file.notes).toHaveLength(total);

    // Sections start on the bar after the previous one ends; each writes its time signature there.
    const starts: number[] = [];
    let cursor = 0;
    for (const label of FORM) {
      starts.push(cursor);
      cursor += barsLength(fragments.get(label)!, file.ppq);
    }
    expect([...new Set(file.timeSignatures.map((t) => t.tick))]).toEqual(starts);

    const spans = FORM.map((label, i) => {
      const from = starts[i]!;
      const to = starts[i + 1] ?? Infinity;
      return { label, from, notes: file.notes.filter((n) => n.start >= from && n.start < to) };
    });
    for (const span of spans) {
      const f = fragments.get(span.label)!;
      expect(span.notes, `section ${span.label} at tick ${span.from}`).toHaveLength(f.notes.length);
      expect(shifted(span.notes, span.from), `section ${span.label} at tick ${span.from}`).toEqual(shifted(f.notes, 0, file.ppq / f.ppq));
    }
    // The repeats are the same music, only later.
    expect(shifted(spans[3]!.notes, spans[3]!.from)).toEqual(shifted(spans[0]!.notes, spans[0]!.from));
    expect(shifted(spans[4]!.notes, spans[4]!.from)).toEqual(shifted(spans[1]!.notes, spans[1]!.from));
  });

  it('shows no errors in the page console', () => {
    expect(h.pageErrors).toEqual([]);
  });
});
