import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
function t(label: string, n: number, f: () => void) { for (let i = 0; i < 50; i++) f(); const s = performance.now(); for (let i = 0; i < n; i++) f(); console.log(label, ((performance.now() - s) / n * 1000).toFixed(1), 'us'); }
async function main() {
  await tf.setBackend('wasm'); await tf.ready(); installWasmKernelFixes();
  const w = tf.randomNormal([512, 1024]), w1 = tf.randomNormal([256, 1024]), b = tf.zeros([1024]);
  const v = new Float32Array(512), v1 = new Float32Array(256);
  t('tensor create+dispose', 2000, () => { tf.tensor2d(v, [1, 512]).dispose(); });
  const a = tf.tensor2d(v, [1, 512]), a1 = tf.tensor2d(v1, [1, 256]);
  t('matMul 1x256x1024', 2000, () => { tf.matMul(a1, w1).dispose(); });
  t('matMul 1x512x1024', 2000, () => { tf.matMul(a, w).dispose(); });
  t('fused 1x512x1024', 2000, () => { tf.fused.matMul({ a, b: w, bias: b }).dispose(); });
  const o = tf.matMul(a, w);
  t('dataSync 1024', 2000, () => { o.dataSync(); });
  const z = new Float32Array(1024);
  t('js cell 256', 2000, () => { for (let j = 0; j < 256; j++) { const i = 1 / (1 + Math.exp(-z[j]!)); const f = 1 / (1 + Math.exp(-z[256 + j]!)); const g = Math.tanh(z[512 + j]!); const oo = 1 / (1 + Math.exp(-z[768 + j]!)); z[j] = f * i + g * oo; } });
}
main();
