import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../../model/errors.js';
import { packageRoot } from '../../model/package-root.js';
import type { DenseLayer } from './mlp.js';
import { FEATURE_NAMES } from './placement-features.js';

/**
 * A learned placement model on disk: DIR/model.json in schedlab's own format (not tfjs's
 * model.json): the feature names in order, the dense layers with their weights, and how the model
 * was trained. `version` is the format's; a model is read when format, version and feature list
 * match this schedlab (the schedlab version that wrote it is kept, for the record, not checked).
 */
export const MODEL_FORMAT = 'schedlab-learned-placement';
export const MODEL_VERSION = 1;
export const MODEL_FILE = 'model.json';

/** How a model was trained (written by train-placement.ts; free-form beyond these). */
export interface TrainingInfo {
  seed: number;
  /** The tfjs backend that trained it ('wasm' or 'tensorflow'): weights are reproducible per backend. */
  backend: string;
  episodes: number;
  teacher: string;
  [key: string]: unknown;
}

export interface LearnedModel {
  /** The schedlab version that wrote it. */
  schedlab: string;
  features: readonly string[];
  layers: DenseLayer[];
  training: TrainingInfo;
}

export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The JSON text of a model (weights as the numbers the float32 values are exactly). */
export function modelJson(m: LearnedModel): string {
  const doc = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    schedlab: m.schedlab,
    features: m.features,
    layers: m.layers.map((l) => ({ inputs: l.inputs, outputs: l.outputs, activation: l.activation, weights: Array.from(l.weights), bias: Array.from(l.bias) })),
    training: m.training,
  };
  return JSON.stringify(doc) + '\n';
}

export function writeModelDir(dir: string, m: LearnedModel): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_FILE), modelJson(m));
}

/** Reads DIR/model.json; every problem is one UsageError line starting with `what` (e.g. "--policy learned:DIR"). */
export function readModelDir(dir: string, what = `learned:${dir}`): LearnedModel {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`${what}: no such model directory '${dir}'`);
  }
  if (!isDir) throw new UsageError(`${what}: '${dir}' is not a directory (expected a model directory holding ${MODEL_FILE})`);
  const file = join(dir, MODEL_FILE);
  if (!existsSync(file)) throw new UsageError(`${what}: no ${MODEL_FILE} in '${dir}' (train one with \`schedlab train placement --out ${dir}\`)`);
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`${what}: ${file} is not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return parseModel(doc, `${what}: ${file}`);
}

/** Checks a parsed model.json against this schedlab's format, version, features and layer sizes. */
export function parseModel(doc: unknown, where: string): LearnedModel {
  const fail = (msg: string): never => {
    throw new UsageError(`${where}: ${msg}`);
  };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('expected a JSON object');
  const o = doc as Record<string, unknown>;
  if (o.format !== MODEL_FORMAT) fail(`format ${JSON.stringify(o.format ?? null)}, expected "${MODEL_FORMAT}"`);
  if (o.version !== MODEL_VERSION) fail(`format version ${JSON.stringify(o.version ?? null)}; this schedlab (${packageVersion()}) reads version ${MODEL_VERSION}`);
  const features = o.features;
  if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) fail('"features" must be a list of feature names');
  const names = features as string[];
  if (names.length !== FEATURE_NAMES.length || names.some((n, i) => n !== FEATURE_NAMES[i])) {
    const i = names.findIndex((n, k) => n !== FEATURE_NAMES[k]);
    const at = i >= 0 && i < FEATURE_NAMES.length ? `, first difference at ${i}: '${names[i]}' where this schedlab has '${FEATURE_NAMES[i]}'` : '';
    fail(`${names.length} features, this schedlab computes ${FEATURE_NAMES.length}${at}`);
  }
  if (!Array.isArray(o.layers) || o.layers.length === 0) fail('"layers" must be a non-empty list');
  const layers: DenseLayer[] = [];
  let width = names.length;
  (o.layers as unknown[]).forEach((raw, k) => {
    const l = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const inputs = l.inputs;
    const outputs = l.outputs;
    if (!Number.isInteger(inputs) || !Number.isInteger(outputs) || (outputs as number) < 1) fail(`layer ${k + 1}: "inputs" and "outputs" must be positive integers`);
    if (inputs !== width) fail(`layer ${k + 1} has ${inputs} inputs, expected ${width} (${k === 0 ? 'the feature count' : `layer ${k}'s outputs`})`);
    if (l.activation !== 'relu' && l.activation !== 'linear') fail(`layer ${k + 1}: activation ${JSON.stringify(l.activation ?? null)}, expected "relu" or "linear"`);
    const w = numbers(l.weights);
    const b = numbers(l.bias);
    if (w === undefined || w.length !== (inputs as number) * (outputs as number)) fail(`layer ${k + 1}: "weights" must be ${inputs} × ${outputs} = ${(inputs as number) * (outputs as number)} numbers`);
    if (b === undefined || b.length !== outputs) fail(`layer ${k + 1}: "bias" must be ${outputs} numbers`);
    layers.push({ inputs: inputs as number, outputs: outputs as number, activation: l.activation as DenseLayer['activation'], weights: Float32Array.from(w!), bias: Float32Array.from(b!) });
    width = outputs as number;
  });
  if (width !== 1) fail(`the last layer has ${width} outputs, expected 1 (a score)`);
  const t = o.training;
  if (typeof t !== 'object' || t === null) fail('"training" must be an object');
  return { schedlab: typeof o.schedlab === 'string' ? o.schedlab : 'unknown', features: names, layers, training: t as TrainingInfo };
}

function numbers(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : undefined;
}

/** The pretrained model shipped in the package (`--policy learned`). */
export function pretrainedModelDir(): string {
  return join(packageRoot(), 'algorithms', 'learned', 'pretrained');
}
