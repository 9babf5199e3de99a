// Seeded weight initializers computed in plain JS, so a model's starting weights are the same on every backend.

/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Glorot (Xavier) uniform values for a [rows, cols] weight matrix, row-major. */
export function glorotUniform(rows: number, cols: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rand() * 2 - 1) * limit;
  return out;
}

/**
 * A [rows, cols] matrix whose rows (if rows <= cols) or columns are orthonormal, as Keras' orthogonal
 * initializer gives; modified Gram-Schmidt in float64 is exact enough and avoids tf.linalg.qr, which is slow.
 */
export function orthogonal(rows: number, cols: number, seed: number): Float32Array {
  const rand = seededRandom(seed);
  const n = Math.min(rows, cols);
  const len = Math.max(rows, cols);
  const gaussian = (): number => {
    // Box-Muller; 1 - rand() keeps the logarithm finite.
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const vecs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    const v = new Float64Array(len);
    for (let j = 0; j < len; j++) v[j] = gaussian();
    for (const q of vecs) {
      let dot = 0;
      for (let j = 0; j < len; j++) dot += v[j]! * q[j]!;
      for (let j = 0; j < len; j++) v[j] = v[j]! - dot * q[j]!;
    }
    let norm = 0;
    for (let j = 0; j < len; j++) norm += v[j]! * v[j]!;
    norm = Math.sqrt(norm);
    for (let j = 0; j < len; j++) v[j] = v[j]! / norm;
    vecs.push(v);
  }
  const out = new Float32Array(rows * cols);
  for (let k = 0; k < n; k++) {
    const v = vecs[k]!;
    for (let j = 0; j < len; j++) {
      if (rows <= cols) out[k * cols + j] = v[j]!;
      else out[j * cols + k] = v[j]!;
    }
  }
  return out;
}
