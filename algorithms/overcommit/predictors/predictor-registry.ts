import { numberSettings, overcommitError, type NumberSetting } from '../overcommit-settings.js';
import { borgDefaultPredictor } from './borg-default.js';
import { maxPredictor } from './max.js';
import { nSigmaPredictor } from './n-sigma.js';
import { DEFAULT_HORIZON_SECONDS, oraclePredictor } from './oracle.js';
import { DEFAULT_HISTORY_SECONDS, DEFAULT_WARMUP_SECONDS, type PeakPredictor } from './peak-predictor.js';
import { rcLikePredictor } from './rc-like.js';
import { learnedPredictor } from './learned.js';
import { defaultLearnedModelDir, loadLearnedModel } from './learned-model.js';

/** The peak predictors by command-line name (`peak:<name>[:settings]`), with their settings. */
export interface PredictorEntry {
  readonly name: string;
  readonly description: string;
  readonly settings: Readonly<Record<string, NumberSetting>>;
  create(s: Readonly<Record<string, number>>): PeakPredictor;
}

const DAY = 86400;
const seconds = (value: number): NumberSetting => ({ value, min: 0, max: 30 * DAY, exclusiveMin: true, expected: 'seconds > 0 (at most 30 days)' });
const warmHistory = { warmup: seconds(DEFAULT_WARMUP_SECONDS), history: seconds(DEFAULT_HISTORY_SECONDS) };
const pSetting: NumberSetting = { value: 99, min: 0, max: 100, exclusiveMin: true, expected: 'a percentile in (0, 100]' };
const nSetting: NumberSetting = { value: 5, min: 0, max: 100, expected: 'a number of standard deviations in [0, 100]' };

export const PEAK_PREDICTORS: readonly PredictorEntry[] = [
  {
    name: 'borg-default',
    description: 'a fraction of the sum of limits (fraction=0.9)',
    settings: { fraction: { value: 0.9, min: 0, max: 1, exclusiveMin: true, expected: 'a fraction in (0, 1]' }, warmup: warmHistory.warmup },
    create: (s) => borgDefaultPredictor(s.fraction, s.warmup),
  },
  {
    name: 'rc-like',
    description: 'sum of per-task usage percentiles over the last 2 h (p=99)',
    settings: { p: pSetting, ...warmHistory },
    create: (s) => rcLikePredictor(s.p, s.warmup, s.history),
  },
  {
    name: 'n-sigma',
    description: 'machine usage mean + N standard deviations over the last 2 h (n=5)',
    settings: { n: nSetting, ...warmHistory },
    create: (s) => nSigmaPredictor(s.n, s.warmup, s.history),
  },
  {
    name: 'max',
    description: 'the larger of rc-like and n-sigma (p=99,n=5), the paper\'s choice',
    settings: { p: pSetting, n: nSetting, ...warmHistory },
    create: (s) => maxPredictor(s.p, s.n, s.warmup, s.history),
  },
  {
    name: 'oracle',
    description: 'the true peak over the coming horizon, read from the future (horizon=86400 s)',
    settings: { horizon: seconds(DEFAULT_HORIZON_SECONDS) },
    create: (s) => oraclePredictor(s.horizon),
  },
  {
    name: 'learned',
    description: 'an MLP over the machine\'s last 2 h of usage ratio, trained on the usage library for the 0.99 quantile of the next 30 min\'s peak (shipped model learned-peak/)',
    settings: { warmup: warmHistory.warmup },
    create: (s) => learnedPredictor(loadLearnedModel(defaultLearnedModelDir()), s.warmup),
  },
];

/**
 * A predictor from `name[:settings]`, e.g. 'n-sigma:n=5'. `spec` is the whole --overcommit value,
 * for messages. Unknown predictor or setting, or a bad value: UsageError naming --overcommit.
 */
export function predictorFromText(spec: string, text: string, extra?: string): PeakPredictor {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  const settings = colon < 0 ? undefined : text.slice(colon + 1);
  const entry = PEAK_PREDICTORS.find((p) => p.name === name);
  if (!entry) {
    throw overcommitError(spec, `unknown peak predictor '${name}'; expected one of ${PEAK_PREDICTORS.map((p) => p.name).join(', ')}${extra ? ` ${extra}` : ''}`);
  }
  return entry.create(numberSettings(spec, settings, entry.settings));
}
