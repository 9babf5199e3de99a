import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
function t(label: string, n: number, f: () => void) { f(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) f(); const cu = process.cpuUsage(c); console.log(label, ((cu.user + cu.system) / n).toFixed(1), 'us cpu'); }
async function main() {
  await tf.setBackend('wasm'); await tf.ready(); installWasmKernelFixes();
  const a = tf.randomNormal([32, 256]), b = tf.randomNormal([32, 256]), big = tf.randomNormal([32, 1024]);
  const eng = tf.engine();
  t('tf.add 32x256', 3000, () => { tf.add(a, b).dispose(); });
  t('runKernel Add', 3000, () => { (eng.runKernel('Add', { a, b }) as tf.Tensor).dispose(); });
  t('tf.mul 32x1024', 3000, () => { tf.mul(big, big).dispose(); });
  t('tf.sigmoid 32x1024', 3000, () => { tf.sigmoid(big).dispose(); });
  t('tf.slice 32x256 of 32x1024', 3000, () => { tf.slice(big, [0, 256], [32, 256]).dispose(); });
  t('tf.reshape', 3000, () => { tf.reshape(big, [32, 1, 1024]).dispose(); });
  t('tidy(add)', 3000, () => { tf.tidy(() => tf.add(a, b)).dispose(); });
}
main();
