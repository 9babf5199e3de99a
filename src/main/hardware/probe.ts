// Finds which live-control devices this machine can reach, loading each hardware library only when asked.
import { createRequire } from 'node:module';
import type { DeviceReport } from '../../shared/api/app';

const require = createRequire(import.meta.url);

/** The JeVois camera enumerates as a USB CDC-ACM serial port with this vendor/product. */
const JEVOIS_USB = { vendorId: '1d6b', productId: '0102' };

function reason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find module/.test(msg)) return 'library not installed';
  return msg.split('\n')[0]!.slice(0, 160);
}

async function probeMyo(): Promise<DeviceReport> {
  try {
    // noble opens the Bluetooth adapter as soon as it is loaded; without one it throws (EAFNOSUPPORT).
    require('@abandonware/noble');
    return { kind: 'myo', available: true, detail: 'Bluetooth LE ready: connect a Myo armband in the Live area' };
  } catch (err) {
    return { kind: 'myo', available: false, detail: `Myo needs Bluetooth LE: ${reason(err)}` };
  }
}

async function probeJevois(): Promise<DeviceReport> {
  try {
    const { SerialPort } = require('serialport') as typeof import('serialport');
    const ports = await SerialPort.list();
    const cam = ports.find((p) => p.vendorId?.toLowerCase() === JEVOIS_USB.vendorId && p.productId?.toLowerCase() === JEVOIS_USB.productId);
    return cam
      ? { kind: 'jevois', available: true, detail: `JeVois camera on ${cam.path}` }
      : { kind: 'jevois', available: false, detail: `no JeVois camera among ${ports.length} serial port(s)` };
  } catch (err) {
    return { kind: 'jevois', available: false, detail: `serial ports unavailable: ${reason(err)}` };
  }
}

async function probeHid(): Promise<DeviceReport> {
  try {
    const HID = require('node-hid') as typeof import('node-hid');
    const n = HID.devices().length;
    return { kind: 'hid', available: n > 0, detail: n > 0 ? `${n} HID device(s)` : 'no HID controllers found' };
  } catch (err) {
    return { kind: 'hid', available: false, detail: `HID unavailable: ${reason(err)}` };
  }
}

async function probeMidiOut(): Promise<DeviceReport> {
  try {
    const easymidi = require('easymidi') as { getOutputs(): string[] };
    const outs = easymidi.getOutputs();
    return { kind: 'midi-out', available: outs.length > 0, detail: outs.length ? `MIDI out: ${outs.join(', ')}` : 'no MIDI outputs' };
  } catch (err) {
    return { kind: 'midi-out', available: false, detail: `MIDI out unavailable: ${reason(err)}` };
  }
}

/** Probes every device kind; never throws: a missing device is a report, not an error. */
export async function probeDevices(): Promise<DeviceReport[]> {
  return Promise.all([probeMyo(), probeJevois(), probeHid(), probeMidiOut()]);
}
