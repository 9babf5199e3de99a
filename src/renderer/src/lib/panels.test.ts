// Checks which side panels show at the four window widths the studio is checked at, and that the editor keeps its share.
import { describe, expect, it } from 'vitest';
import { EDITOR_SHARE, PANEL_WIDTH, RAIL_WIDTH, visiblePanels } from './panels';

const both = { library: true, generate: true };

describe('visiblePanels', () => {
  it('shows both panels where the editor keeps its share, one where it would not', () => {
    expect(visiblePanels(1920, both, 'library')).toEqual(both);
    expect(visiblePanels(1440, both, 'library')).toEqual(both);
    expect(visiblePanels(1280, both, 'library')).toEqual({ library: true, generate: false });
    expect(visiblePanels(1024, both, 'generate')).toEqual({ library: false, generate: true });
    // One panel and one rail always leave the editor its share at the smallest width.
    expect(1024 - (PANEL_WIDTH.generate + RAIL_WIDTH + 32)).toBeGreaterThanOrEqual(EDITOR_SHARE * 1024);
  });

  it('keeps a panel the composer hid closed', () => {
    expect(visiblePanels(1920, { library: false, generate: true }, 'generate')).toEqual({ library: false, generate: true });
    expect(visiblePanels(1024, { library: false, generate: false }, 'library')).toEqual({ library: false, generate: false });
  });
});
