// Canvas painters for the piano roll: grid, notes, keyboard, ruler and velocity lane. They only read geometry from the transforms.
import type { Note } from '../../../shared/song';
import type { Ticks } from '../../../shared/units';
import type { BarGrid, LineKind } from './grid';
import { isBlackKey, pitchName, type KeyTransform } from './KeyTransform';
import type { NoteCoordTransform, Rect } from './NoteCoordTransform';
import type { TickTransform } from './TickTransform';
import type { VelocityTransform } from './VelocityTransform';

/** Canvas colours; they match the CSS variables in app.css (a canvas cannot read them per frame cheaply). */
export const COLORS = {
  rowWhite: '#1b1e25',
  rowBlack: '#16181e',
  rowC: '#2a2f3b',
  rowHover: 'rgba(108, 196, 255, 0.07)',
  noteLabel: 'rgba(10, 12, 16, 0.72)',
  bar: '#3c4252',
  beat: '#2a2e39',
  sub: '#20232b',
  outside: 'rgba(0, 0, 0, 0.25)',
  noteOutline: 'rgba(8, 10, 14, 0.7)',
  selectedOutline: '#ffffff',
  marqueeFill: 'rgba(108, 196, 255, 0.12)',
  marqueeLine: 'rgba(108, 196, 255, 0.8)',
  keyWhite: '#d8dce4',
  keyWhiteSeam: '#9aa1ae',
  keyBlack: '#20232b',
  keyLabel: '#4a5060',
  rulerBg: '#1c1f26',
  rulerText: '#8b93a7',
  rulerTick: '#3c4252',
  laneBg: '#17191f',
  laneLine: '#242833',
  /** The other version in a comparison (before or after a polish): outlines over the notes. */
  ghost: 'rgba(236, 239, 244, 0.85)',
};

/**
 * One colour per velocity, computed once: quiet notes are a deep blue, loud notes
 * a warm orange, passing through violet and rose (hue 215 -> 385 = 25).
 */
function velocityRamp(selected: boolean): string[] {
  const out: string[] = [];
  for (let v = 0; v < 128; v++) {
    const t = v / 127;
    const hue = (215 + t * 170) % 360;
    const sat = 62 + t * 28;
    const light = (selected ? 72 : 48) + t * (selected ? 8 : 14);
    out.push(`hsl(${hue.toFixed(0)} ${sat.toFixed(0)}% ${light.toFixed(0)}%)`);
  }
  return out;
}
export const VELOCITY_COLORS = velocityRamp(false);
export const VELOCITY_COLORS_SELECTED = velocityRamp(true);

/** What the roll reports after each painted frame (for profiling). */
export interface RenderStats {
  /** Time spent painting the canvases for this frame, in ms. */
  drawMs: number;
  /** Notes drawn in the roll (after culling). */
  visibleNotes: number;
  totalNotes: number;
}

/** Scratch rectangle reused for every note drawn. */
const r: Rect = { x: 0, y: 0, width: 0, height: 0 };

/** Smallest spacing, in pixels, at which a kind of grid line is still worth drawing. */
const MIN_LINE_GAP = 7;

export interface GridLevels {
  beats: boolean;
  /** Subdivision step to draw (the snap step), or null. */
  sub: Ticks | null;
  /** Draw every n-th barline only, when bars are very narrow. */
  barEvery: number;
}

/** Which grid lines are dense enough to draw at this zoom. */
export function gridLevels(ticks: TickTransform, grid: BarGrid, at: Ticks, snapStep: Ticks | null): GridLevels {
  const beatPx = ticks.width(grid.beatTicks(at));
  const barPx = ticks.width(grid.barTicks(at));
  let barEvery = 1;
  while (barPx * barEvery < MIN_LINE_GAP * 2) barEvery *= 2;
  return {
    beats: beatPx >= MIN_LINE_GAP,
    sub: snapStep !== null && ticks.width(snapStep) >= MIN_LINE_GAP ? snapStep : null,
    barEvery,
  };
}

function strokeLines(
  ctx: CanvasRenderingContext2D,
  ticks: TickTransform,
  grid: BarGrid,
  width: number,
  y0: number,
  y1: number,
  levels: GridLevels,
  kind: LineKind,
  color: string,
): void {
  ctx.beginPath();
  grid.forEachLine(ticks.scrollTick, ticks.endTick(width), levels.sub, (t, k, bar) => {
    if (k !== kind) return;
    if (k === 'beat' && !levels.beats) return;
    if (k === 'bar' && bar % levels.barEvery !== 0) return;
    const x = Math.round(ticks.x(t)) + 0.5;
    ctx.moveTo(x, y0);
    ctx.lineTo(x, y1);
  });
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Key rows (black-key rows darker, a line under every B/C seam) and bar/beat/grid lines. */
export function drawRollBackground(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  coords: NoteCoordTransform,
  grid: BarGrid,
  snapStep: Ticks | null,
  contentEnd: Ticks,
  hoverPitch: number | null = null,
): void {
  const { keys, ticks } = coords;
  ctx.fillStyle = COLORS.rowWhite;
  ctx.fillRect(0, 0, width, height);
  const high = keys.visibleHigh();
  const low = keys.visibleLow(height);
  ctx.fillStyle = COLORS.rowBlack;
  for (let p = high; p >= low; p--) if (isBlackKey(p)) ctx.fillRect(0, keys.y(p), width, keys.keyHeight);
  if (hoverPitch !== null) {
    ctx.fillStyle = COLORS.rowHover;
    ctx.fillRect(0, keys.y(hoverPitch), width, keys.keyHeight);
  }
  ctx.beginPath();
  for (let p = high; p >= low; p--) {
    if (p % 12 !== 0 && p % 12 !== 5) continue;
    // Octave seams (B|C) and E|F seams help the eye find its place, as on a keyboard.
    const y = Math.round(keys.y(p) + keys.keyHeight) - 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.strokeStyle = COLORS.beat;
  ctx.stroke();
  ctx.beginPath();
  for (let p = high; p >= low; p--) {
    if (p % 12 !== 0) continue;
    const y = Math.round(keys.y(p) + keys.keyHeight) - 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.strokeStyle = COLORS.rowC;
  ctx.stroke();

  const levels = gridLevels(ticks, grid, ticks.scrollTick, snapStep);
  if (levels.sub !== null) strokeLines(ctx, ticks, grid, width, 0, height, levels, 'sub', COLORS.sub);
  strokeLines(ctx, ticks, grid, width, 0, height, levels, 'beat', COLORS.beat);
  strokeLines(ctx, ticks, grid, width, 0, height, levels, 'bar', COLORS.bar);

  // Shade the space after the song so its end is visible.
  const endX = ticks.x(contentEnd);
  if (endX < width) {
    ctx.fillStyle = COLORS.outside;
    ctx.fillRect(Math.max(0, endX), 0, width - Math.max(0, endX), height);
  }
}

/**
 * Draws `indices[0 .. count)`, coloured by velocity; outlines are batched into two
 * paths so a frame issues few stroke calls however many notes are visible.
 */
export function drawNotes(
  ctx: CanvasRenderingContext2D,
  notes: readonly Note[],
  indices: ArrayLike<number>,
  count: number,
  coords: NoteCoordTransform,
  selection: ReadonlySet<number>,
  /** Each pitch's name as the labels show it (spelled in the piece's key). */
  names: readonly string[] = PITCH_NAMES,
): void {
  const tall = coords.keys.keyHeight >= 6;
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    const n = notes[i]!;
    coords.rect(n, r);
    const sel = selection.has(i);
    ctx.fillStyle = (sel ? VELOCITY_COLORS_SELECTED : VELOCITY_COLORS)[n.velocity | 0] ?? VELOCITY_COLORS[100]!;
    ctx.fillRect(r.x, r.y + 0.5, r.width, r.height - 1);
  }
  if (!tall) return;
  drawNoteLabels(ctx, notes, indices, count, coords, names);
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    if (selection.has(i)) continue;
    coords.rect(notes[i]!, r);
    ctx.rect(Math.round(r.x) + 0.5, Math.round(r.y) + 0.5, Math.max(1, Math.round(r.width) - 1), r.height - 1);
  }
  ctx.strokeStyle = COLORS.noteOutline;
  ctx.stroke();
  if (selection.size === 0) return;
  ctx.beginPath();
  for (let k = 0; k < count; k++) {
    const i = indices[k]!;
    if (!selection.has(i)) continue;
    coords.rect(notes[i]!, r);
    ctx.rect(Math.round(r.x) + 0.5, Math.round(r.y) + 0.5, Math.max(1, Math.round(r.width) - 1), r.height - 1);
  }
  ctx.strokeStyle = COLORS.selectedOutline;
  ctx.stroke();
}

/**
 * Notes of another version of the piece as dashed outlines over the notes: where a polish moved or stretched a
 * note, they show where it was (or will be). The caller passes only the notes that differ (compare.ts).
 */
export function drawGhostNotes(ctx: CanvasRenderingContext2D, notes: readonly Note[], indices: ArrayLike<number>, count: number, coords: NoteCoordTransform): void {
  if (count === 0) return;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.setLineDash([3, 2]);
  ctx.beginPath();
  for (let k = 0; k < count; k++) {
    coords.rect(notes[indices[k]!]!, r);
    ctx.rect(Math.round(r.x) + 0.5, Math.round(r.y) + 0.5, Math.max(1, Math.round(r.width) - 1), Math.max(1, r.height - 1));
  }
  ctx.strokeStyle = COLORS.ghost;
  ctx.stroke();
  ctx.restore();
}

/** The other version's velocities as hollow caps over the lane's bars, so a change of loudness reads at a glance. */
export function drawGhostVelocities(
  ctx: CanvasRenderingContext2D,
  width: number,
  notes: readonly Note[],
  indices: ArrayLike<number>,
  count: number,
  ticks: TickTransform,
  vel: VelocityTransform,
): void {
  if (count === 0) return;
  ctx.save();
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let k = 0; k < count; k++) {
    const n = notes[indices[k]!]!;
    const x = Math.round(ticks.x(n.startTick));
    if (x < -4 || x > width + 4) continue;
    const y = Math.round(vel.y(n.velocity));
    ctx.rect(x - 2.5, y - 1.5, 8, 3);
  }
  ctx.strokeStyle = COLORS.ghost;
  ctx.stroke();
  ctx.restore();
}

/** Pitch names inside notes wide and tall enough to hold them, so a composer can read the line without the keyboard. */
function drawNoteLabels(ctx: CanvasRenderingContext2D, notes: readonly Note[], indices: ArrayLike<number>, count: number, coords: NoteCoordTransform, names: readonly string[]): void {
  const h = coords.keys.keyHeight;
  if (h < 11) return;
  ctx.font = `${Math.min(10, h - 3)}px Inter, system-ui, sans-serif`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = COLORS.noteLabel;
  for (let k = 0; k < count; k++) {
    const n = notes[indices[k]!]!;
    coords.rect(n, r);
    if (r.width < 30) continue;
    ctx.fillText(names[n.pitch] ?? '', Math.max(r.x, 0) + 4, r.y + h / 2 + 0.5);
  }
}

const PITCH_NAMES = Array.from({ length: 128 }, (_, p) => pitchName(p));

export function drawMarquee(ctx: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  const x = Math.min(x0, x1);
  const y = Math.min(y0, y1);
  ctx.fillStyle = COLORS.marqueeFill;
  ctx.fillRect(x, y, Math.abs(x1 - x0), Math.abs(y1 - y0));
  ctx.strokeStyle = COLORS.marqueeLine;
  ctx.lineWidth = 1;
  ctx.strokeRect(Math.round(x) + 0.5, Math.round(y) + 0.5, Math.round(Math.abs(x1 - x0)), Math.round(Math.abs(y1 - y0)));
}

/** A vertical piano keyboard: one row per semitone, black keys shorter, C keys labelled with their octave. */
export function drawKeyboard(ctx: CanvasRenderingContext2D, width: number, height: number, keys: KeyTransform, activePitch: number | null): void {
  ctx.fillStyle = COLORS.keyWhite;
  ctx.fillRect(0, 0, width, height);
  const high = keys.visibleHigh();
  const low = keys.visibleLow(height);
  const h = keys.keyHeight;
  ctx.beginPath();
  for (let p = high; p >= low; p--) {
    // White keys meet in the middle of a black key's row, or at the E|F and B|C seams.
    const pc = p % 12;
    let y: number | null = null;
    if (pc === 4 || pc === 11) y = keys.y(p);
    else if (isBlackKey(p)) y = keys.y(p) + h / 2;
    if (y === null) continue;
    y = Math.round(y) + 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.strokeStyle = COLORS.keyWhiteSeam;
  ctx.lineWidth = 1;
  ctx.stroke();
  if (activePitch !== null && activePitch >= low && activePitch <= high) {
    ctx.fillStyle = 'rgba(108, 196, 255, 0.45)';
    ctx.fillRect(0, keys.y(activePitch), width, h);
  }
  const blackW = Math.round(width * 0.58);
  for (let p = high; p >= low; p--) {
    if (!isBlackKey(p)) continue;
    const y = keys.y(p);
    ctx.fillStyle = p === activePitch ? '#3b6d92' : COLORS.keyBlack;
    ctx.fillRect(0, y, blackW, h);
    ctx.fillStyle = 'rgba(255, 255, 255, 0.08)';
    ctx.fillRect(0, y + h - 2, blackW, 1);
  }
  if (h >= 7) {
    ctx.fillStyle = COLORS.keyLabel;
    ctx.font = `${Math.min(11, h - 1)}px Inter, system-ui, sans-serif`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let p = high; p >= low; p--) if (p % 12 === 0) ctx.fillText(pitchName(p), width - 4, keys.y(p) + h / 2 + 0.5);
  }
  ctx.fillStyle = COLORS.keyWhiteSeam;
  ctx.fillRect(width - 1, 0, 1, height);
}

/** Bar numbers (1-based, as musicians count; a pickup is bar 0) and beat ticks above the roll. */
export function drawRuler(ctx: CanvasRenderingContext2D, width: number, height: number, ticks: TickTransform, grid: BarGrid, snapStep: Ticks | null): void {
  ctx.fillStyle = COLORS.rulerBg;
  ctx.fillRect(0, 0, width, height);
  const levels = gridLevels(ticks, grid, ticks.scrollTick, snapStep);
  // Labels need more room than lines.
  let labelEvery = levels.barEvery;
  while (ticks.width(grid.barTicks(ticks.scrollTick)) * labelEvery < 28) labelEvery *= 2;
  ctx.font = '11px Inter, system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  ctx.beginPath();
  grid.forEachLine(ticks.scrollTick - grid.barTicks(ticks.scrollTick), ticks.endTick(width), null, (t, kind, bar) => {
    const x = Math.round(ticks.x(t)) + 0.5;
    if (kind === 'bar') {
      if (bar % levels.barEvery !== 0) return;
      ctx.moveTo(x, bar % labelEvery === 0 ? 2 : height - 8);
      ctx.lineTo(x, height);
      if (bar % labelEvery === 0) {
        ctx.fillStyle = COLORS.rulerText;
        ctx.fillText(String(bar + grid.firstNumber), x + 4, 4);
      }
    } else if (levels.beats) {
      ctx.moveTo(x, height - 5);
      ctx.lineTo(x, height);
    }
  });
  ctx.strokeStyle = COLORS.rulerTick;
  ctx.lineWidth = 1;
  ctx.stroke();
  ctx.fillStyle = COLORS.bar;
  ctx.fillRect(0, height - 1, width, 1);
}

/** One bar per visible note at its onset, as tall as its velocity, with a round handle on top. */
export function drawVelocityLane(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  notes: readonly Note[],
  indices: ArrayLike<number>,
  count: number,
  ticks: TickTransform,
  vel: VelocityTransform,
  grid: BarGrid,
  selection: ReadonlySet<number>,
): void {
  ctx.fillStyle = COLORS.laneBg;
  ctx.fillRect(0, 0, width, height);
  const levels = gridLevels(ticks, grid, ticks.scrollTick, null);
  strokeLines(ctx, ticks, grid, width, 0, height, levels, 'bar', COLORS.laneLine);
  ctx.beginPath();
  for (const v of [32, 64, 96]) {
    const y = Math.round(vel.y(v)) + 0.5;
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
  }
  ctx.strokeStyle = COLORS.laneLine;
  ctx.stroke();
  // Selected bars last, so they stay visible inside dense chords.
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < count; k++) {
      const i = indices[k]!;
      const sel = selection.has(i);
      if (sel !== (pass === 1)) continue;
      const n = notes[i]!;
      const x = Math.round(ticks.x(n.startTick));
      if (x < -4 || x > width + 4) continue;
      const y = vel.y(n.velocity);
      ctx.fillStyle = (sel ? VELOCITY_COLORS_SELECTED : VELOCITY_COLORS)[n.velocity | 0] ?? VELOCITY_COLORS[100]!;
      ctx.fillRect(x, y, 3, height - y);
      ctx.fillRect(x - 2, y - 1, 7, 3);
    }
  }
}
