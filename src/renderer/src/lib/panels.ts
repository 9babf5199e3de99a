// Which side panels fit beside the editor at a window width: narrow windows show fewer, so the editor keeps its room.
export type SidePanel = 'library' | 'generate';

/** Panel widths in px, and the share of the width the editor keeps at least ("about 60%"). */
export const PANEL_WIDTH: Record<SidePanel, number> = { library: 260, generate: 290 };
export const WIDE_PANEL_WIDTH: Record<SidePanel, number> = { library: 300, generate: 320 };
export const RAIL_WIDTH = 36;
export const EDITOR_SHARE = 0.58;
const GAPS = 8 * 2 + 16;

/** What shows at a width: the panels wanted open that fit beside an editor of EDITOR_SHARE, the last opened first. */
export function visiblePanels(width: number, wanted: Record<SidePanel, boolean>, last: SidePanel): Record<SidePanel, boolean> {
  const w = width >= 1700 ? WIDE_PANEL_WIDTH : PANEL_WIDTH;
  const fits = (lib: boolean, gen: boolean): boolean => width - ((lib ? w.library : RAIL_WIDTH) + (gen ? w.generate : RAIL_WIDTH) + GAPS) >= EDITOR_SHARE * width;
  if (wanted.library && wanted.generate && !fits(true, true)) return last === 'library' ? { library: true, generate: false } : { library: false, generate: true };
  return { library: wanted.library, generate: wanted.generate };
}
