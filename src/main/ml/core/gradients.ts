// Gradient fixes for tfjs 4.22 on every backend: second-order gradients through tanh, sigmoid and exp, and comparisons that train.
import * as tf from '@tensorflow/tfjs';

let installed = false;

/**
 * tfjs saves these ops' outputs for their gradients through a clone that lands on the tape before the op itself, so
 * a gradient of their gradient misses the part that flows through the saved output (measured: the gradient penalty
 * of a tanh critic came out at half its numerical value). Saving the input and recomputing the output inside the
 * gradient keeps everything on the tape in order; first-order results are unchanged.
 */
export function installGradientFixes(): void {
  if (installed) return;
  tf.registerGradient({
    kernelName: tf.Tanh,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.sub(1, tf.square(tf.tanh(saved[0]!)))) }),
  });
  tf.registerGradient({
    kernelName: tf.Sigmoid,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      return {
        x: () => {
          const s = tf.sigmoid(saved[0]!);
          return tf.mul(dy as tf.Tensor, tf.mul(s, tf.sub(1, s)));
        },
      };
    },
  });
  tf.registerGradient({
    kernelName: tf.Exp,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.exp(saved[0]!)) }),
  });
  // Comparisons have no gradient, so units built on tf.maximum or tf.leakyRelu's select cannot train on any backend.
  for (const name of [tf.Greater, tf.Less, tf.GreaterEqual, tf.LessEqual, tf.Equal, tf.NotEqual]) {
    if (!tf.getGradient(name)) {
      tf.registerGradient({
        kernelName: name,
        inputsToSave: ['a', 'b'],
        gradFunc: (_dy, saved) => ({ a: () => tf.zerosLike(saved[0]!), b: () => tf.zerosLike(saved[1]!) }),
      });
    }
  }
  installed = true;
}
