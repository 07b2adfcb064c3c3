/**
 * `@tensorflow/tfjs-core` with its CPU backend, for the micrograd and MLP comparisons, loaded on
 * first use (so that the other benchmarks do not pay for it).
 *
 * tfjs-core alone registers no gradients (the `@tensorflow/tfjs` bundle does that with
 * `register_all_gradients`, whose ESM files Node.js cannot import as published). The few the
 * benchmark needs are registered here, copied from tfjs-core 4.22's `dist/gradients/*_grad.js`
 * with the same ops in the same order (`cast`, `reshape` included), leaving out only the broadcasting
 * branch, which never runs on scalars. Production mode is on: it silences the Node.js banner and
 * turns off tfjs's debug checks, the fastest configuration for tfjs.
 *
 * @example
 * const tf = await loadTf()
 * tf.tidy(() => tf.variableGrads(() => tf.mul(w, x), [w]))
 */
import type * as TF from '@tensorflow/tfjs-core'

export type Tf = typeof TF

let loaded: Promise<Tf> | undefined

/** tfjs-core on the CPU backend, with the gradients of Add, Sub, Multiply, Tanh, Relu, BatchMatMul and Sum. */
export function loadTf(): Promise<Tf> {
  loaded ??= load()
  return loaded
}

async function load(): Promise<Tf> {
  const tf = await import('@tensorflow/tfjs-core')
  await import('@tensorflow/tfjs-backend-cpu')
  tf.enableProdMode()
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend did not load')
  registerGradients(tf)
  return tf
}

function registerGradients(tf: Tf): void {
  const has = (name: string): boolean => tf.getGradient(name) !== undefined
  const one = (dy: TF.Tensor | TF.Tensor[]): TF.Tensor => (Array.isArray(dy) ? dy[0] : dy)
  if (!has(tf.Add))
    tf.registerGradient({
      kernelName: tf.Add,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({ a: () => tf.reshape(one(dy), a.shape), b: () => tf.reshape(one(dy), b.shape) }),
    })
  if (!has(tf.Sub))
    tf.registerGradient({
      kernelName: tf.Sub,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({ a: () => tf.reshape(one(dy), a.shape), b: () => tf.reshape(tf.neg(one(dy)), b.shape) }),
    })
  if (!has(tf.Multiply))
    tf.registerGradient({
      kernelName: tf.Multiply,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({ a: () => tf.mul(one(dy), tf.cast(b, 'float32')), b: () => tf.mul(one(dy), tf.cast(a, 'float32')) }),
    })
  if (!has(tf.Tanh))
    tf.registerGradient({
      kernelName: tf.Tanh,
      outputsToSave: [true],
      gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), one(dy)) }),
    })
  if (!has(tf.Relu))
    tf.registerGradient({
      kernelName: tf.Relu,
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({ x: () => tf.mul(one(dy), tf.cast(tf.step(x), 'float32')) }),
    })
  // The MLP's: tf.matMul is the BatchMatMul kernel; tf.losses.softmaxCrossEntropy has a custom
  // gradient of its own, then sums the rows (Sum). BatchMatMul without its branches for
  // transposed operands, which the benchmark does not use.
  if (!has(tf.BatchMatMul))
    tf.registerGradient({
      kernelName: tf.BatchMatMul,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, [a, b]) => ({ a: () => tf.matMul(one(dy), b, false, true), b: () => tf.matMul(a, one(dy), true, false) }),
    })
  if (!has(tf.Sum))
    tf.registerGradient({
      kernelName: tf.Sum,
      inputsToSave: ['x'],
      gradFunc: (dy, [x], attrs) => {
        const { axis } = attrs as { axis?: number | number[] | null }
        const axes = axis === undefined || axis === null ? x.shape.map((_, i) => i) : [axis].flat().map((a) => (a < 0 ? a + x.rank : a))
        const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d))
        return { x: () => tf.mul(tf.reshape(one(dy), kept), tf.ones(x.shape, 'float32')) }
      },
    })
}
