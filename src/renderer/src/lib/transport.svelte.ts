// The transport the DAW keys drive (Space, Home, L): the piece in the editor on screen, its loop in bars, and play, pause, rewind.
import { untrack } from 'svelte';
import { sequenceEndTick, type NoteSequence } from '../../../shared/song';
import { barTicks } from '../../../shared/arrange';
import { pickupTicks } from '../../../shared/meter';
import { playback } from './playback.svelte';

export interface TransportTarget {
  /** Who plays (a fragment id, "arrangement"): the play buttons compare it with playback.owner. */
  owner: string;
  /** The piece as it is now (edits included). */
  sequence: () => NoteSequence;
}

class TransportControls {
  /** The editor whose piece the keys play; the one shown last. */
  target = $state.raw<TransportTarget | null>(null);
  loopOn = $state(false);
  loopFrom = $state(1);
  loopTo = $state(2);
  private stack: TransportTarget[] = [];

  /** An editor on screen offers its piece; returns the function that withdraws it. Safe to call from an effect. */
  register(t: TransportTarget): () => void {
    untrack(() => {
      this.stack.push(t);
      this.setTarget(t);
    });
    return () =>
      untrack(() => {
        this.stack = this.stack.filter((x) => x !== t);
        if (this.target === t) this.setTarget(this.stack[this.stack.length - 1] ?? null);
      });
  }

  private setTarget(t: TransportTarget | null): void {
    if (this.target?.owner !== t?.owner) {
      this.loopOn = false;
      this.loopFrom = 1;
      this.loopTo = 2;
    }
    this.target = t;
  }

  get mine(): boolean {
    return this.target !== null && playback.owner === this.target.owner && playback.state !== 'stopped';
  }

  /** Bars of the piece, as the loop counts them (a pickup is bar 0 and not counted). */
  bars(seq: NoteSequence): number {
    const bar = barTicks(seq);
    const pickup = pickupTicks(seq);
    return Math.max(1, Math.ceil((sequenceEndTick(seq) - pickup) / bar));
  }

  /** The loop region in ticks, or null when looping is off. */
  region(seq: NoteSequence): { startTick: number; endTick: number } | null {
    if (!this.loopOn) return null;
    const bar = barTicks(seq);
    const pickup = pickupTicks(seq);
    const bars = this.bars(seq);
    const from = Math.max(1, Math.min(this.loopFrom, bars));
    const to = Math.max(from, Math.min(this.loopTo, bars));
    return { startTick: pickup + (from - 1) * bar, endTick: pickup + to * bar };
  }

  /** Play, pause or go on: Space and the play button. */
  async toggle(): Promise<void> {
    const t = this.target;
    if (!t) return;
    if (this.mine && playback.state === 'playing') playback.pause();
    else if (this.mine && playback.state === 'paused') playback.resume();
    else {
      const seq = $state.snapshot(t.sequence()) as NoteSequence;
      playback.loop = this.region(seq);
      await playback.play(seq, t.owner, playback.loop?.startTick ?? 0, playback.bpm);
    }
  }

  /** Back to the start (of the loop, when looping): Home. Keeps playing if it was. */
  rewind(): void {
    if (!this.target) return;
    const seq = this.target.sequence();
    const start = this.region(seq)?.startTick ?? 0;
    if (this.mine) playback.seek(start);
    else playback.tick = start;
  }

  /** Loop on or off: L and the Loop switch. */
  setLoop(on: boolean): void {
    this.loopOn = on;
    if (this.target && this.mine) playback.setLoop(this.region(this.target.sequence()));
  }

  /** The loop's bars changed. */
  updateLoop(): void {
    if (this.target && this.mine) playback.setLoop(this.region(this.target.sequence()));
  }
}

export const transport = new TransportControls();
