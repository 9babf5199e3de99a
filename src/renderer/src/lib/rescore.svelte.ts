// Plagiarism scores that keep themselves up to date: a fragment without a current score is checked by itself once its notes rest for a moment.
import { untrack } from 'svelte';
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { NoteSequence } from '../../../shared/song';
import type { FragmentId } from '../../../shared/units';
import { projectStore } from './project.svelte';
import { studio } from './studio.svelte';

/** How long the notes must stay unchanged after an edit before the check runs. */
export const RESCORE_PAUSE_MS = 1200;

class Rescorer {
  /** Fragments waiting for their check (the badge says "checking…"). */
  readonly waiting = new SvelteSet<FragmentId>();
  /** Fragments the engine could not check: no corpus to compare with, or the check failed; with why. */
  readonly unscored = new Map<FragmentId, string>();
  unscoredVersion = $state(0);
  private readonly timers = new Map<FragmentId, { sequence: NoteSequence; timer: ReturnType<typeof setTimeout> }>();
  private started = false;

  /** Watches the library from now on (after the engine is connected). */
  start(): void {
    if (this.started) return;
    this.started = true;
    $effect.root(() => {
      $effect(() => {
        // Scores from before the chance level was kept are checked again too.
        const stale = projectStore.project.fragments.filter((f) => f.plagiarism === null || f.plagiarism.chanceMeasured === undefined).map((f): [FragmentId, NoteSequence] => [f.id, f.sequence]);
        untrack(() => this.plan(new SvelteMap(stale)));
      });
    });
  }

  private plan(stale: ReadonlyMap<FragmentId, NoteSequence>): void {
    for (const [id, t] of this.timers) {
      if (stale.get(id) !== t.sequence) {
        clearTimeout(t.timer);
        this.timers.delete(id);
        this.waiting.delete(id);
      }
    }
    for (const [id, sequence] of stale) {
      if (this.timers.has(id) || (this.unscored.has(id) && this.unscoredFor.get(id) === sequence)) continue;
      this.waiting.add(id);
      this.timers.set(id, { sequence, timer: setTimeout(() => void this.check(id, sequence), RESCORE_PAUSE_MS) });
    }
  }

  /** The sequence each unscored fragment had when its check gave up, so that an edit tries again. */
  private readonly unscoredFor = new Map<FragmentId, NoteSequence>();

  private async check(id: FragmentId, sequence: NoteSequence): Promise<void> {
    try {
      const summary = await studio.api.studio.plagiarism($state.snapshot(sequence) as NoteSequence);
      if (projectStore.fragment(id)?.sequence !== sequence) return;
      if (summary) {
        this.unscored.delete(id);
        projectStore.setPlagiarism(id, summary, { quiet: true });
      } else this.giveUp(id, sequence, 'No training corpus to compare with: train or install a model first.');
    } catch (err) {
      this.giveUp(id, sequence, `The check failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      if (this.timers.get(id)?.sequence === sequence) this.timers.delete(id);
      this.waiting.delete(id);
    }
  }

  private giveUp(id: FragmentId, sequence: NoteSequence, why: string): void {
    this.unscored.set(id, why);
    this.unscoredFor.set(id, sequence);
    this.unscoredVersion++;
  }

  /** Why a fragment has no score, when it has none and is not waiting for one. */
  why(id: FragmentId): string | null {
    void this.unscoredVersion;
    return this.unscored.get(id) ?? null;
  }
}

export const rescorer = new Rescorer();
