// Picks the fastest TensorFlow.js backend present (node-gpu, node, wasm, cpu) and says why faster ones were skipped.
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import type { BackendReport } from '../../shared/api/app';
import { installGradientFixes } from './core/gradients';

const require = createRequire(import.meta.url);

interface Candidate {
  label: BackendReport['label'];
  backend: string;
  load(): Promise<void>;
}

const candidates: Candidate[] = [
  {
    label: 'node-gpu',
    backend: 'tensorflow',
    async load() {
      require('@tensorflow/tfjs-node-gpu');
    },
  },
  {
    label: 'node',
    backend: 'tensorflow',
    async load() {
      require('@tensorflow/tfjs-node');
    },
  },
  {
    label: 'wasm',
    backend: 'wasm',
    async load() {
      await import('@tensorflow/tfjs-backend-wasm');
      const { installWasmKernelFixes } = await import('./wasmKernels');
      installWasmKernelFixes();
    },
  },
  { label: 'cpu', backend: 'cpu', async load() {} },
];

let chosen: Promise<BackendReport> | undefined;

/**
 * Selects a backend once per process. `only` restricts the candidates (tests pin `cpu` or `wasm`);
 * the DEEP_SYMPHONY_BACKEND environment variable does the same for the app and the CLI.
 */
export function selectBackend(only?: BackendReport['label']): Promise<BackendReport> {
  chosen ??= select(only ?? (process.env.DEEP_SYMPHONY_BACKEND as BackendReport['label'] | undefined));
  return chosen;
}

async function select(only: BackendReport['label'] | undefined): Promise<BackendReport> {
  const skipped: BackendReport['skipped'] = [];
  for (const c of candidates) {
    if (only && c.label !== only) continue;
    try {
      await c.load();
      if (!(await tf.setBackend(c.backend))) throw new Error(`tf.setBackend('${c.backend}') returned false`);
      await tf.ready();
      installGradientFixes();
      return { name: tf.getBackend(), label: c.label, skipped };
    } catch (err) {
      skipped.push({ label: c.label, reason: shortReason(err) });
    }
  }
  return { name: null, label: 'none', skipped };
}

function shortReason(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Cannot find module/.test(msg)) return 'not installed';
  return msg.split('\n')[0]!.slice(0, 200);
}
