// Browser side of bench/pianoroll-scroll.ts: mounts the real PianoRoll on a generated piece and measures scrolling frame by frame.
import { mount, unmount } from 'svelte';
import '../../app.css';
import type { Note, NoteSequence } from '../../../../shared/song';
import { drawNotes, drawRollBackground, type RenderStats } from '../draw';
import { BarGrid } from '../grid';
import { KeyTransform } from '../KeyTransform';
import { NoteCoordTransform } from '../NoteCoordTransform';
import PianoRoll from '../PianoRoll.svelte';
import { TickTransform } from '../TickTransform';
import { generatePiece, pieceWithNotes } from './piece';

export interface Summary {
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface ScrollResult {
  frames: number;
  frameMs: Summary;
  drawMs: Summary;
  visibleNotes: Summary;
  /** Frames whose own drawing took longer than 16 ms. */
  slowDraws: number;
}

function summary(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))] ?? 0;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { p50: r(q(0.5)), p95: r(q(0.95)), max: r(s[s.length - 1] ?? 0), mean: r(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)) };
}

const target = document.getElementById('app')!;
let roll: ReturnType<typeof mount> | null = null;
let stats: RenderStats[] = [];
let playhead = $state<number | null>(null);
// Bound like `bind:sequence`, so a harness can read back what the roll's edits produced.
let current = $state.raw<NoteSequence | null>(null);

function clear(): void {
  if (roll) void unmount(roll);
  roll = null;
  target.replaceChildren();
}

function rollCanvas(): HTMLCanvasElement {
  const c = target.querySelector<HTMLCanvasElement>('.roll canvas');
  if (!c) throw new Error('the piano roll has no note canvas');
  return c;
}

function wheel(el: HTMLElement, deltaX: number, deltaY: number, ctrlKey = false): void {
  const r = el.getBoundingClientRect();
  el.dispatchEvent(new WheelEvent('wheel', { deltaX, deltaY, ctrlKey, bubbles: true, cancelable: true, clientX: r.left + 1, clientY: r.top + r.height / 2 }));
}

function frames(seconds: number, onFrame: (i: number) => void): Promise<number[]> {
  return new Promise((resolve) => {
    const deltas: number[] = [];
    let last = 0;
    let i = 0;
    const end = performance.now() + seconds * 1000;
    const tick = (now: number) => {
      if (last > 0) deltas.push(now - last);
      last = now;
      if (now > end) return resolve(deltas);
      onFrame(i++);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

const api = {
  /** Mounts the roll with a `notes`-note piece (or the 200-note demo) and returns how many notes it has. */
  mountRoll(notes: number): number {
    clear();
    const sequence = notes <= 0 ? generatePiece(18, 3) : pieceWithNotes(notes);
    stats = [];
    current = sequence;
    roll = mount(PianoRoll, {
      target,
      props: {
        get sequence() {
          return current ?? sequence;
        },
        set sequence(s: NoteSequence) {
          current = s;
        },
        get playheadTick() {
          return playhead;
        },
        onrender: (s: RenderStats) => stats.push(s),
      },
    });
    return sequence.notes.length;
  },

  /** The notes as the roll last handed them back. */
  notes(): Note[] {
    return current?.notes ?? [];
  },

  setPlayhead(tick: number | null): void {
    playhead = tick;
  },

  /** Zooms the real roll through its ctrl+wheel path; positive wheel zooms out. */
  zoomOut(wheelDelta: number): void {
    wheel(rollCanvas(), 0, wheelDelta, true);
  },

  /** Scrolls the mounted roll with wheel events, one per frame, sideways with a slow vertical sway. */
  async scrollRoll(seconds: number): Promise<ScrollResult> {
    const canvas = rollCanvas();
    stats = [];
    const deltas = await frames(seconds, (i) => wheel(canvas, 24, Math.round(8 * Math.sin(i / 20))));
    return {
      frames: deltas.length,
      frameMs: summary(deltas),
      drawMs: summary(stats.map((s) => s.drawMs)),
      visibleNotes: summary(stats.map((s) => s.visibleNotes)),
      slowDraws: stats.filter((s) => s.drawMs > 16).length,
    };
  },

  /** Baseline: the same background and note painters, but every note is drawn every frame (no culling, no index). */
  async scrollNaive(notes: number, seconds: number, width: number, height: number): Promise<ScrollResult> {
    clear();
    const seq = pieceWithNotes(notes);
    const canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = width * dpr;
    canvas.height = height * dpr;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    target.append(canvas);
    const ctx = canvas.getContext('2d', { alpha: false })!;
    const grid = BarGrid.of(seq);
    const all = Int32Array.from(seq.notes.keys());
    let ticks = TickTransform.forQuarter(seq.ppq, 64);
    let keys = KeyTransform.of(88, 13).centeredOn(64, height);
    const draws: number[] = [];
    const visible: number[] = [];
    const deltas = await frames(seconds, (i) => {
      ticks = ticks.scrolledBy(24);
      keys = keys.scrolledBy(Math.round(8 * Math.sin(i / 20)), height);
      const t0 = performance.now();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const coords = new NoteCoordTransform(ticks, keys);
      drawRollBackground(ctx, width, height, coords, grid, 120, Infinity);
      drawNotes(ctx, seq.notes, all, all.length, coords, new Set());
      draws.push(performance.now() - t0);
      visible.push(countVisible(seq.notes, coords, width, height));
    });
    return { frames: deltas.length, frameMs: summary(deltas), drawMs: summary(draws), visibleNotes: summary(visible), slowDraws: draws.filter((d) => d > 16).length };
  },
};

function countVisible(notes: readonly Note[], coords: NoteCoordTransform, width: number, height: number): number {
  let n = 0;
  for (const note of notes) {
    const r = coords.rect(note);
    if (r.x + r.width >= 0 && r.x <= width && r.y + r.height >= 0 && r.y <= height) n++;
  }
  return n;
}

(window as unknown as { pianorollBench: typeof api }).pianorollBench = api;
