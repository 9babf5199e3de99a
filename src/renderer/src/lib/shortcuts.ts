// Every keyboard shortcut of the studio, as the "?" overlay lists them, and the rule for when a key belongs to a text field instead.

export interface Shortcut {
  /** Keys pressed together, e.g. Ctrl + S. */
  keys: string[];
  does: string;
  /** The keys are alternatives (↑ or ↓), not a combination. */
  either?: boolean;
}

export const SHORTCUTS: { group: string; items: Shortcut[] }[] = [
  {
    group: 'Playback',
    items: [
      { keys: ['Space'], does: 'Play or pause the piece on screen' },
      { keys: ['Home'], does: 'Back to the start (of the loop, when looping)' },
      { keys: ['L'], does: 'Loop on or off' },
    ],
  },
  {
    group: 'Project',
    items: [
      { keys: ['Ctrl', 'S'], does: 'Save' },
      { keys: ['Ctrl', 'Shift', 'S'], does: 'Save as…' },
      { keys: ['Ctrl', 'O'], does: 'Open a project' },
      { keys: ['?'], does: 'Show this list' },
    ],
  },
  {
    group: 'Library',
    items: [
      { keys: ['↑', '↓'], does: 'Previous or next fragment', either: true },
      { keys: ['F2'], does: 'Rename the fragment' },
    ],
  },
  {
    group: 'Piano roll',
    items: [
      { keys: ['V'], does: 'Select tool' },
      { keys: ['P'], does: 'Pencil tool (B too)' },
      { keys: ['Ctrl', 'A'], does: 'Select all notes' },
      { keys: ['Ctrl', 'C'], does: 'Copy' },
      { keys: ['Ctrl', 'X'], does: 'Cut' },
      { keys: ['Ctrl', 'V'], does: 'Paste at the pointer' },
      { keys: ['Ctrl', 'D'], does: 'Duplicate the selection after itself' },
      { keys: ['Delete'], does: 'Delete the selection' },
      { keys: ['←', '→'], does: 'Move the selection by a grid step', either: true },
      { keys: ['↑', '↓'], does: 'Transpose the selection (Shift: an octave)', either: true },
      { keys: ['Q'], does: 'Quantize the selection' },
      { keys: ['Ctrl', 'Z'], does: 'Undo' },
      { keys: ['Ctrl', 'Shift', 'Z'], does: 'Redo (Ctrl+Y too)' },
      { keys: ['+', '−'], does: 'Zoom in or out', either: true },
      { keys: ['Esc'], does: 'Select nothing' },
      { keys: ['Space', 'drag'], does: 'Pan the view (hold Space while dragging)' },
    ],
  },
];

/** Keys typed into these go to them: text boxes, numbers, lists. */
export function isTextEntry(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

/** Keys (other than Space) that go to the element itself: text fields, and sliders, whose Home and arrows move them. */
export function ownsKeys(el: Element | null): boolean {
  return isTextEntry(el) || (el instanceof HTMLInputElement && el.type === 'range');
}

/**
 * Whether Space on this element is the element's own (pressing a button reached by keyboard, ticking a box) rather
 * than the transport's. A button clicked with the mouse keeps focus without the keyboard focus ring, and there Space
 * plays, as it does in a DAW.
 */
export function spaceBelongsTo(el: Element | null): boolean {
  if (!el || el === document.body) return false;
  if (isTextEntry(el)) return true;
  if (el instanceof HTMLInputElement && el.type === 'range') return false;
  const pressable = el instanceof HTMLButtonElement || el instanceof HTMLInputElement || el.getAttribute('role') === 'button' || el.getAttribute('role')?.startsWith('menuitem') === true;
  return pressable && el.matches(':focus-visible');
}
