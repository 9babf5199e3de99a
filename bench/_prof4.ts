import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from '../src/main/ml/wasmKernels';
import { createLstmLayer, projectTokens } from '../src/main/ml/core/lstm';
async function main() {
  await tf.setBackend('wasm'); await tf.ready(); installWasmKernelFixes();
  const l1 = createLstmLayer('a', 388, 256, 1);
  const tok = tf.randomUniform([32, 64], 0, 388, 'int32') as tf.Tensor2D;
  const x = tf.oneHot(tok, 388).toFloat();
  const w = tf.randomNormal([32, 64, 1024]);
  const t = (label: string, f: () => void) => { f(); const times = []; for (let i = 0; i < 3; i++) { const s = performance.now(); f(); times.push(performance.now() - s); } console.log(label, times.map(v => v.toFixed(0)).join(' '), 'ms'); };
  t('lookup grads', () => tf.tidy(() => { const g = tf.variableGrads(() => tf.sum(tf.mul(projectTokens(l1, tok, 388), w)) as tf.Scalar, [l1.kernel, l1.bias]); g.grads[l1.kernel.name]!.dataSync(); }));
  t('matmul grads', () => tf.tidy(() => { const g = tf.variableGrads(() => tf.sum(tf.mul(tf.add(tf.reshape(tf.matMul(tf.reshape(x, [2048, 388]), l1.kernel), [32, 64, 1024]), l1.bias), w)) as tf.Scalar, [l1.kernel, l1.bias]); g.grads[l1.kernel.name]!.dataSync(); }));
  const prof = await tf.profile(() => tf.tidy(() => { tf.variableGrads(() => tf.sum(tf.mul(projectTokens(l1, tok, 388), w)) as tf.Scalar, [l1.kernel, l1.bias]).value.dataSync(); }));
  for (const k of prof.kernels) console.log(k.name, (k.kernelTimeMs as number).toFixed(1), JSON.stringify(k.inputShapes));
}
main();
