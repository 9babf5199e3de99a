// Device probing reports every device kind and never throws, whatever this machine lacks.
import { describe, expect, it } from 'vitest';
import { probeDevices } from './probe';

describe('probeDevices', () => {
  it('reports the four device kinds with a reason each', async () => {
    const devices = await probeDevices();
    expect(devices.map((d) => d.kind)).toEqual(['myo', 'jevois', 'hid', 'midi-out']);
    for (const d of devices) {
      expect(typeof d.available).toBe('boolean');
      expect(d.detail.length).toBeGreaterThan(5);
    }
  });
});
