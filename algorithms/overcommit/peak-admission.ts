import type { OvercommitModule, OvercommitPolicy } from './overcommit-policy.js';
import { keyValues, overcommitError } from './overcommit-settings.js';
import { PEAK_PREDICTORS, predictorFromText } from './predictors/predictor-registry.js';
import { limitOrRequest } from './task-limit.js';

/**
 * Peak-prediction admission (Bashir et al., "Take it to the limit", EuroSys'21;
 * ../shared/docs/models.md § Overcommit): tasks are admitted by their limits (request when no
 * limit), but what a node holds is the predicted peak of its tasks, so the scheduler admits while
 * predicted peak + the charges of newly bound tasks ≤ capacity. `peak:<predictor>[:settings]`,
 * predictors in predictors/ (borg-default, rc-like, n-sigma, max, oracle).
 *
 * Which dimensions are predicted: CPU only by default — the paper predicts and evaluates CPU only,
 * and a CPU misprediction costs throttling while a memory misprediction costs OOM kills (memory is
 * incompressible), so memory keeps its sum of limits unless asked: `dims=cpu+memory` (resource
 * names joined by '+') among the settings, e.g. `peak:max:dims=cpu+memory`. Every dimension not
 * predicted holds the sum of its tasks' charges.
 */
export function peakPolicy(spec: string, settings: string | undefined, resources: readonly string[]): OvercommitPolicy {
  const names = PEAK_PREDICTORS.map((p) => p.name).join(', ');
  if (settings === undefined || settings === '') throw overcommitError(spec, `expected peak:<predictor>, predictors: ${names}`);
  // `dims=` belongs to the policy; the remaining settings to the predictor.
  const colon = settings.indexOf(':');
  const predictorName = colon < 0 ? settings : settings.slice(0, colon);
  const rest = colon < 0 ? [] : keyValues(spec, settings.slice(colon + 1), 'key=value');
  const dimsPair = rest.find(([k]) => k === 'dims');
  const predictorSettings = rest.filter(([k]) => k !== 'dims').map(([k, v]) => `${k}=${v}`).join(',');
  const predictor = predictorFromText(spec, predictorSettings === '' ? predictorName : `${predictorName}:${predictorSettings}`);
  const predicted = new Uint8Array(resources.length);
  for (const name of dimsPair ? dimsPair[1].split('+') : ['cpu']) {
    const d = resources.indexOf(name.trim());
    if (d < 0) {
      if (!dimsPair) continue; // a workload without cpu: nothing predicted by default
      throw overcommitError(spec, `dims: unknown resource '${name}'; this workload has: ${resources.join(', ')}`);
    }
    predicted[d] = 1;
  }
  return {
    name: `peak:${predictor.name}${dimsPair ? `,dims=${dimsPair[1]}` : ''}`,
    charge(task, out) {
      for (let d = 0; d < out.length; d++) out[d] = limitOrRequest(task, d);
    },
    committed(node, out) {
      out.fill(0, 0, node.dims);
      for (let i = 0; i < node.taskCount; i++) {
        const task = node.task(node.tasks[i]);
        for (let d = 0; d < node.dims; d++) if (!predicted[d]) out[d] += limitOrRequest(task, d);
      }
      for (let d = 0; d < node.dims; d++) if (predicted[d]) out[d] = predictor.predict(node, d);
      return true;
    },
  };
}

export const peakAdmission: OvercommitModule = {
  name: 'peak',
  description: 'peak-prediction admission (Bashir et al. EuroSys\'21): admit by limits while the predicted machine peak fits (peak:<predictor>[:settings])',
  create: (settings, resources) => peakPolicy(settings === undefined ? 'peak' : `peak:${settings}`, settings, resources),
};
