// Loads TensorFlow.js once for the whole process and says which backend runs it.
//
// `@tensorflow/tfjs-node` (native libtensorflow, an optional dependency whose install downloads a
// binary and so fails offline) is tried first; when it is absent or does not load, the pure
// `@tensorflow/tfjs` with the WebAssembly backend (`@tensorflow/tfjs-backend-wasm`, binaries inside
// the package) runs instead. The backend name travels with every training report and model file,
// because float results (and so trained weights) are reproducible per backend, not across them.

type Tf = typeof import('@tensorflow/tfjs');

/** What `loadTf` resolves to: the tfjs namespace, ready, and the backend that runs it. */
export interface LoadedTf {
  tf: Tf;
  backend: 'tensorflow' | 'wasm';
}

let loading: Promise<LoadedTf> | undefined;

/**
 * The process's TensorFlow.js, loaded on first call (the promise is cached: every caller shares one
 * instance and one backend). Set SCHEDLAB_TF_BACKEND=wasm to skip the native backend even where it
 * loads (determinism tests and cross-machine comparisons pin the backend this way).
 */
export function loadTf(): Promise<LoadedTf> {
  loading ??= load();
  return loading;
}

async function load(): Promise<LoadedTf> {
  if (process.env.SCHEDLAB_TF_BACKEND !== 'wasm') {
    const native = await tryNative();
    if (native) return native;
  }
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await tf.setBackend('wasm'))) throw new Error('TensorFlow.js: the wasm backend did not initialize');
  await tf.ready();
  return { tf, backend: 'wasm' };
}

/** tfjs-node re-exports the tfjs namespace with its 'tensorflow' backend registered; undefined when it does not load. */
async function tryNative(): Promise<LoadedTf | undefined> {
  // A specifier in a variable: the package is optional, so neither tsc nor a bundler may require it.
  const name = '@tensorflow/tfjs-node';
  try {
    const mod = (await import(name)) as Tf & { default?: Tf };
    const tf = (mod.default ?? mod) as Tf;
    if (!(await tf.setBackend('tensorflow'))) return undefined;
    await tf.ready();
    return { tf, backend: 'tensorflow' };
  } catch {
    return undefined;
  }
}
