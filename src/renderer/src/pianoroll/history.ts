// Undo/redo for the piano roll: bounded snapshot history with merging of drag steps into one entry.
import { InvalidArgumentError } from '../../../shared/errors';
import type { EditorState } from './commands';

export interface HistoryStatus {
  canUndo: boolean;
  canRedo: boolean;
  /** What Undo would revert ("Move notes"), for menu items and tooltips. */
  undoLabel: string | null;
  redoLabel: string | null;
}

export interface HistoryOptions<T> {
  /** Most undo steps kept; the oldest are dropped first. */
  limit?: number;
  /** Size of one snapshot in any unit, e.g. its note count. */
  cost?: (state: T) => number;
  /** Most total cost kept over all undo and redo snapshots (older ones are dropped). */
  maxCost?: number;
}

interface Entry<T> {
  state: T;
  label: string;
  mergeKey: string | null;
  cost: number;
}

/**
 * Snapshot based: `record(before)` keeps the whole state before an edit. Edits return
 * new objects that share everything they did not change (the notes array is new, the
 * untouched Note objects are the same), so a snapshot costs one pointer per note.
 * Memory stays bounded by `limit` steps and by `maxCost`.
 *
 * Implements Svelte's store contract (`subscribe`), so a parent can write
 * `$history.canUndo` to enable its Edit menu.
 */
export class EditHistory<T> {
  private past: Entry<T>[] = [];
  private future: Entry<T>[] = [];
  private readonly listeners = new Set<(s: HistoryStatus) => void>();
  private readonly limit: number;
  private readonly cost: (state: T) => number;
  private readonly maxCost: number;

  constructor(options: HistoryOptions<T> = {}) {
    this.limit = options.limit ?? 200;
    this.cost = options.cost ?? (() => 1);
    this.maxCost = options.maxCost ?? Infinity;
    if (!(this.limit >= 1)) throw new InvalidArgumentError(`history limit must be at least 1, got ${this.limit}`);
  }

  /**
   * Call with the state before an edit. Consecutive records with the same
   * `mergeKey` (one drag gesture) make one entry holding the state before the first.
   */
  record(before: T, label: string, mergeKey?: string): void {
    this.future = [];
    const last = this.past[this.past.length - 1];
    if (mergeKey !== undefined && last !== undefined && last.mergeKey === mergeKey) {
      this.emit();
      return;
    }
    this.past.push({ state: before, label, mergeKey: mergeKey ?? null, cost: this.cost(before) });
    this.trim();
    this.emit();
  }

  /** Returns the state to restore, or null if there is nothing to undo. */
  undo(current: T): T | null {
    const entry = this.past.pop();
    if (!entry) return null;
    this.future.push({ state: current, label: entry.label, mergeKey: null, cost: this.cost(current) });
    this.emit();
    return entry.state;
  }

  /** Returns the state to restore, or null if there is nothing to redo. */
  redo(current: T): T | null {
    const entry = this.future.pop();
    if (!entry) return null;
    // mergeKey is cleared so a later edit never merges into a redone step.
    this.past.push({ state: current, label: entry.label, mergeKey: null, cost: this.cost(current) });
    this.trim();
    this.emit();
    return entry.state;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.emit();
  }

  get status(): HistoryStatus {
    return {
      canUndo: this.past.length > 0,
      canRedo: this.future.length > 0,
      undoLabel: this.past[this.past.length - 1]?.label ?? null,
      redoLabel: this.future[this.future.length - 1]?.label ?? null,
    };
  }

  get undoDepth(): number {
    return this.past.length;
  }

  get redoDepth(): number {
    return this.future.length;
  }

  subscribe(listener: (s: HistoryStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  private trim(): void {
    while (this.past.length > this.limit) this.past.shift();
    let total = 0;
    for (const e of this.past) total += e.cost;
    for (const e of this.future) total += e.cost;
    // Drop the oldest undo steps first; the newest step is always kept.
    while (total > this.maxCost && this.past.length > 1) total -= this.past.shift()!.cost;
  }

  private emit(): void {
    if (this.listeners.size === 0) return;
    const s = this.status;
    for (const l of this.listeners) l(s);
  }
}

/**
 * The piano roll's history: 200 steps, and at most two million note references
 * in all snapshots together (about 16 MB), so a long session on a big piece stays bounded.
 */
export function editorHistory(): EditHistory<EditorState> {
  return new EditHistory<EditorState>({ limit: 200, cost: (s) => s.sequence.notes.length + 1, maxCost: 2_000_000 });
}
