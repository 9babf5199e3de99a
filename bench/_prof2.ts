import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
import { createLstmLayer, lstmSequence, zeroState } from '../src/main/ml/core/lstm';
async function main() {
  await tf.setBackend('wasm'); await tf.ready(); installWasmKernelFixes();
  const l1 = createLstmLayer('a', 388, 256, 1), l2 = createLstmLayer('b', 256, 256, 2);
  const W = tf.variable(tf.randomNormal([256, 388], 0, 0.05)), bo = tf.variable(tf.zeros([388]));
  const x = tf.oneHot(tf.randomUniform([32, 64], 0, 388, 'int32'), 388).toFloat() as tf.Tensor3D;
  const y = tf.oneHot(tf.randomUniform([2048], 0, 388, 'int32'), 388).toFloat();
  const s1 = zeroState(32, 256), s2 = zeroState(32, 256);
  const loss = () => { const a = lstmSequence(l1, x, s1); const b = lstmSequence(l2, a.y, s2); return tf.losses.softmaxCrossEntropy(y, tf.add(tf.matMul(tf.reshape(b.y, [2048, 256]), W), bo)) as tf.Scalar; };
  const opt = tf.train.adam(1e-3);
  const t = (label: string, f: () => void) => { f(); const times = []; const cpus = []; for (let i = 0; i < 3; i++) { const s = performance.now(); const c = process.cpuUsage(); f(); const cu = process.cpuUsage(c); cpus.push((cu.user + cu.system) / 1000); times.push(performance.now() - s); } console.log(label, times.map(v => v.toFixed(0)).join(' '), 'ms wall; cpu', cpus.map(v => v.toFixed(0)).join(' ')); };
  t('forward', () => tf.tidy(() => { loss().dataSync(); }));
  t('grads', () => tf.tidy(() => { const g = tf.variableGrads(loss); g.value.dataSync(); }));
  t('minimize', () => tf.tidy(() => { opt.minimize(loss, true)!.dataSync(); }));
  if (process.env.PROF) { const prof = await tf.profile(() => tf.tidy(() => { tf.variableGrads(loss).value.dataSync(); }));
  const byName = new Map<string, [number, number]>();
  for (const k of prof.kernels) { const e = byName.get(k.name) ?? [0, 0]; e[0]++; e[1] += k.kernelTimeMs as number; byName.set(k.name, e); }
  console.log('kernels', prof.kernels.length);
  console.log([...byName.entries()].sort((a, b) => b[1][1] - a[1][1]).slice(0, 15).map(([n, [c, ms]]) => `${n} x${c} ${ms.toFixed(0)}ms`).join('\n')); }
}
main();
