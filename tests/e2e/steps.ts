// Steps the end-to-end tests share: waiting for the engine, importing files, catching exports, reading MIDI with mido, aiming at the piano roll.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { KeyTransform } from '../../src/renderer/src/pianoroll/KeyTransform';
import { TickTransform } from '../../src/renderer/src/pianoroll/TickTransform';
import { SCREENSHOTS } from './harness';

const run = promisify(execFile);

export const FIXTURES = join(process.cwd(), 'tests', 'fixtures');
/** Debian's interpreter: its python3-mido is the independent MIDI reader (another python3 on PATH may lack it). */
const PYTHON = '/usr/bin/python3';
const MIDO_DUMP = join(process.cwd(), 'src', 'main', 'music', 'midi', 'mido-dump.py');

export interface MidoNote {
  /** Track index in the file (0 is the conductor track of a format-1 file). */
  track: number;
  channel: number;
  pitch: number;
  velocity: number;
  start: number;
  end: number;
}

export interface MidoDump {
  ppq: number;
  notes: MidoNote[];
  timeSignatures: { tick: number; numerator: number; denominator: number }[];
  /** Marker meta events (sections), as [tick, text]. */
  markers: [number, string][];
}

/** Reads a MIDI file with mido, not with the studio's own reader. Notes come sorted by start, pitch, end. */
export async function readMidi(path: string): Promise<MidoDump> {
  const { stdout } = await run(PYTHON, [MIDO_DUMP, '--notes', path]);
  const raw = JSON.parse(stdout) as { ok: boolean; error?: string; ppq: number; notes: number[][]; timeSignatures: number[][]; markers: [number, string][]; unclosed: number };
  if (!raw.ok) throw new Error(`mido cannot read ${path}: ${raw.error}`);
  if (raw.unclosed) throw new Error(`${path} leaves ${raw.unclosed} notes without a note-off`);
  const notes = raw.notes.map(([pitch = 0, velocity = 0, start = 0, end = 0, channel = 0, track = 0]) => ({ track, channel, pitch, velocity, start, end }));
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end || a.track - b.track);
  return {
    ppq: raw.ppq,
    notes,
    timeSignatures: raw.timeSignatures.map(([tick = 0, numerator = 0, denominator = 0]) => ({ tick, numerator, denominator })),
    markers: raw.markers,
  };
}

/** Waits until the page has connected to the engine (the project buttons come alive). */
export async function connected(page: Page): Promise<void> {
  await page.locator('[data-testid="project-save"]:enabled').waitFor({ timeout: 30_000 });
}

/** Paths, or in-memory files (Playwright takes one kind or the other per call, not a mix). */
export type FilesToImport = string[] | { name: string; mimeType: string; buffer: Buffer }[];

/** Picks files in the library's Import… chooser, as the composer would. */
export async function importFiles(page: Page, files: FilesToImport): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId('import-button').click()]);
  await chooser.setFiles(files);
}

export function fragmentRows(page: Page): Locator {
  return page.getByTestId('fragment-row');
}

export function fragmentRow(page: Page, name: string): Locator {
  return fragmentRows(page).filter({ has: page.getByText(name, { exact: true }) });
}

/** The "N notes" the library row shows. */
export async function rowNoteCount(row: Locator): Promise<number> {
  const m = /(\d+) notes/.exec((await row.textContent()) ?? '');
  if (!m?.[1]) throw new Error(`the library row does not show a note count: ${await row.textContent()}`);
  return Number(m[1]);
}

/** Clicks an export button, catches the browser download, saves it under `dir` and returns its path. */
export async function download(page: Page, button: Locator, dir: string, fileName: string): Promise<string> {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(dir, fileName);
  await dl.saveAs(path);
  return path;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, name);
  await page.screenshot({ path });
  return path;
}

/**
 * Where a tick and pitch are on the screen in a freshly opened piano roll: the roll starts at tick 0,
 * 64 px per quarter note, 13 px per key, centred on the notes' mean pitch (PianoRoll.svelte's defaults).
 */
export class RollAim {
  private constructor(
    private readonly box: { x: number; y: number; width: number; height: number },
    private readonly ticks: TickTransform,
    private readonly keys: KeyTransform,
  ) {}

  static async of(page: Page, ppq: number, pitches: readonly number[]): Promise<RollAim> {
    const box = await page.locator('[aria-label="Piano roll"] canvas[id$="-roll"]').boundingBox();
    if (!box) throw new Error('the piano roll canvas is not on screen');
    const mean = pitches.length > 0 ? Math.round(pitches.reduce((a, b) => a + b, 0) / pitches.length) : 60;
    return new RollAim(box, TickTransform.forQuarter(ppq, 64), KeyTransform.of(88, 13).centeredOn(mean, box.height));
  }

  /** A page point `dx` pixels right of the tick, in the middle of the pitch's row. */
  point(tick: number, pitch: number, dx = 0): { x: number; y: number } {
    return { x: this.box.x + this.ticks.x(tick) + dx, y: this.box.y + this.keys.y(pitch) + this.keys.keyHeight / 2 };
  }

  /** Whether the whole row of the pitch and the tick are inside the canvas. */
  shows(tick: number, pitch: number, dx = 0): boolean {
    const x = this.ticks.x(tick) + dx;
    const y = this.keys.y(pitch);
    return x >= 0 && x < this.box.width - 12 && y >= 0 && y + this.keys.keyHeight <= this.box.height - 12;
  }

  /** The highest pitch whose row is wholly visible. */
  get topPitch(): number {
    return this.keys.pitch(0) - 1;
  }
}
