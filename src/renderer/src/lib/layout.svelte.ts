// Which side panels the composer wants open in Compose, kept while other areas are shown.
import type { SidePanel } from './panels';

class ComposeLayout {
  wanted = $state<Record<SidePanel, boolean>>({ library: true, generate: true });
  /** The panel opened last; null until the composer opens one (then the empty library gives way to Generate). */
  last = $state<SidePanel | null>(null);

  open(panel: SidePanel): void {
    this.wanted[panel] = true;
    this.last = panel;
  }

  hide(panel: SidePanel): void {
    this.wanted[panel] = false;
    if (this.last === panel) this.last = null;
  }
}

export const composeLayout = new ComposeLayout();
