import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
function t(label: string, n: number, f: () => void) { f(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) f(); const cu = process.cpuUsage(c); console.log(label, ((cu.user + cu.system) / n / 1000).toFixed(2), 'ms cpu'); }
async function main() {
  await tf.setBackend('wasm'); await tf.ready();
  const d = tf.randomNormal([2048, 1024]), h = tf.randomNormal([2048, 256]), g = tf.randomNormal([2048, 1024]);
  for (const label of ['stock', 'fixed']) {
    if (label === 'fixed') installWasmKernelFixes();
    t(label + ' slice 32 rows of 2048x1024', 200, () => { tf.slice(d, [64, 0], [32, 1024]).dispose(); });
    t(label + ' clone 2048x1024', 50, () => { tf.clone(d).dispose(); });
    t(label + ' transpose 2048x1024', 10, () => { tf.transpose(d).dispose(); });
    t(label + ' transpose 2048x256', 20, () => { tf.transpose(h).dispose(); });
    t(label + ' sum0 2048x1024 fresh', 10, () => { const x = tf.add(d, 1); tf.sum(x, 0).dispose(); x.dispose(); });
    t(label + ' matMul hT d', 5, () => { tf.matMul(h, d, true, false).dispose(); });
    t(label + ' gather 2048 rows', 10, () => { tf.gather(g, tf.randomUniform([2048], 0, 2048, 'int32')).dispose(); });
  }
}
main();
