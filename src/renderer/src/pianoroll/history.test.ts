// Tests of undo/redo: order, labels, merging of drag steps, bounds, and undo of real editor commands.
import { describe, expect, it } from 'vitest';
import { emptySequence } from '../../../shared/song';
import { addNote, deleteSelected, editorState, moveSelection, type EditorState } from './commands';
import { EditHistory, type HistoryStatus } from './history';

describe('EditHistory', () => {
  it('undoes and redoes in order', () => {
    const h = new EditHistory<number>();
    h.record(0, 'one');
    h.record(1, 'two');
    let cur = 2;
    cur = h.undo(cur)!;
    expect(cur).toBe(1);
    cur = h.undo(cur)!;
    expect(cur).toBe(0);
    expect(h.undo(cur)).toBeNull();
    cur = h.redo(cur)!;
    expect(cur).toBe(1);
    expect(h.status).toEqual({ canUndo: true, canRedo: true, undoLabel: 'one', redoLabel: 'two' });
    cur = h.redo(cur)!;
    expect(cur).toBe(2);
    expect(h.redo(cur)).toBeNull();
  });

  it('drops the redo branch on a new edit', () => {
    const h = new EditHistory<string>();
    h.record('a', 'x');
    h.undo('b');
    h.record('a', 'y');
    expect(h.status.canRedo).toBe(false);
  });

  it('merges records with the same key into one entry', () => {
    const h = new EditHistory<number>();
    h.record(0, 'Move', 'drag-1');
    h.record(1, 'Move', 'drag-1');
    h.record(2, 'Move', 'drag-1');
    h.record(3, 'Move', 'drag-2');
    expect(h.undoDepth).toBe(2);
    expect(h.undo(4)).toBe(3);
    expect(h.undo(3)).toBe(0);
  });

  it('does not merge an edit into a redone step', () => {
    const h = new EditHistory<number>();
    h.record(0, 'Move', 'k');
    h.undo(1);
    h.redo(0);
    h.record(1, 'Move', 'k');
    expect(h.undoDepth).toBe(2);
  });

  it('keeps at most `limit` steps and at most `maxCost`', () => {
    const h = new EditHistory<number>({ limit: 200 });
    for (let i = 0; i < 1000; i++) h.record(i, 'edit');
    expect(h.undoDepth).toBe(200);
    let cur = 1000;
    for (let i = 0; i < 200; i++) cur = h.undo(cur)!;
    expect(cur).toBe(800);

    const big = new EditHistory<number[]>({ cost: (a) => a.length, maxCost: 1000 });
    for (let i = 0; i < 50; i++) big.record(new Array<number>(100).fill(i), 'edit');
    expect(big.undoDepth).toBe(10);
  });

  it('notifies subscribers like a Svelte store', () => {
    const h = new EditHistory<number>();
    const seen: HistoryStatus[] = [];
    const stop = h.subscribe((s) => seen.push(s));
    h.record(0, 'Add note');
    stop();
    h.record(1, 'Add note');
    expect(seen.map((s) => s.undoLabel)).toEqual([null, 'Add note']);
  });

  it('restores editor states with their selection', () => {
    const h = new EditHistory<EditorState>({ cost: (s) => s.sequence.notes.length + 1 });
    let s = editorState(emptySequence());
    const apply = (next: EditorState, label: string, key?: string) => {
      h.record(s, label, key);
      s = next;
    };
    apply(addNote(s, { pitch: 60, startTick: 0, endTick: 480 }), 'Add note');
    const origin = s;
    for (let dx = 100; dx <= 500; dx += 100) apply(moveSelection(origin, { deltaTicks: dx, deltaPitch: 1 }), 'Move', 'drag-7');
    apply(deleteSelected(s), 'Delete');
    expect(s.sequence.notes).toHaveLength(0);
    s = h.undo(s)!;
    expect(s.sequence.notes[0]).toMatchObject({ pitch: 61, startTick: 500 });
    expect([...s.selection]).toEqual([0]);
    s = h.undo(s)!; // the whole drag at once
    expect(s.sequence.notes[0]).toMatchObject({ pitch: 60, startTick: 0 });
    s = h.undo(s)!;
    expect(s.sequence.notes).toHaveLength(0);
    s = h.redo(s)!;
    s = h.redo(s)!;
    expect(s.sequence.notes[0]).toMatchObject({ pitch: 61, startTick: 500 });
  });
});
