import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
function t(label: string, n: number, f: () => void) { f(); const s = performance.now(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) f(); const cu = process.cpuUsage(c); console.log(label, ((performance.now() - s) / n).toFixed(3), 'ms; cpu', ((cu.user + cu.system) / 1000 / n).toFixed(3)); }
async function main() {
  await tf.setBackend('wasm'); await tf.ready(); installWasmKernelFixes();
  const a = tf.randomNormal([2048, 388]), w = tf.randomNormal([388, 1024]), h = tf.randomNormal([2048, 256]), r = tf.randomNormal([256, 1024]), d = tf.randomNormal([2048, 1024]);
  t('proj 2048x388x1024', 5, () => tf.tidy(() => { tf.matMul(a, w).dataSync(); }));
  t('dW  388x2048 T x 2048x1024', 5, () => tf.tidy(() => { tf.matMul(a, d, true, false).dataSync(); }));
  t('dX 2048x1024 x 1024x256 (B^T)', 5, () => tf.tidy(() => { tf.matMul(d, r, false, true).dataSync(); }));
  const hs = tf.randomNormal([32, 256]), ds = tf.randomNormal([32, 1024]), rT = tf.randomNormal([1024, 256]);
  t('step 32x256x1024', 50, () => tf.tidy(() => { tf.matMul(hs, r).dataSync(); }));
  t('step 32x1024x256', 50, () => tf.tidy(() => { tf.matMul(ds, rT).dataSync(); }));
  t('add 32x256 x100', 10, () => tf.tidy(() => { let x = hs; for (let i = 0; i < 100; i++) x = tf.add(x, hs); x.dataSync(); }));
  t('slice x100', 10, () => tf.tidy(() => { for (let i = 0; i < 100; i++) tf.slice(d, [i * 16, 0], [32, 1024]); }));
  t('transpose 2048x1024', 5, () => tf.tidy(() => { tf.transpose(d).dataSync(); }));
  t('sum0 2048x1024', 5, () => tf.tidy(() => { tf.sum(d, 0).dataSync(); }));
}
main();
