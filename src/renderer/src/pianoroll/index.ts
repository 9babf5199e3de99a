// What the rest of the studio uses from the piano roll: the component, its history and the editing commands.
export { default as PianoRoll } from './PianoRoll.svelte';
export { EditHistory, editorHistory, type HistoryStatus } from './history';
export type { EditorState, Clipboard } from './commands';
export type { RenderStats } from './draw';
export { SNAP_DIVISIONS, type SnapDivision } from './grid';
