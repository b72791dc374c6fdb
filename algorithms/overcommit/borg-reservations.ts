import { isProductionBand } from '../../model/priority-bands.js';
import type { OvercommitModule, OvercommitNode, OvercommitPolicy, OvercommitTask } from './overcommit-policy.js';
import { numberSettings, type NumberSetting } from './overcommit-settings.js';
import { limitOrRequest } from './task-limit.js';

/**
 * Borg reservations (Verma et al., "Large-scale cluster management at Google with Borg",
 * EuroSys'15 §5.5; ../shared/docs/models.md § Borg): production tasks (band ≥ Production,
 * model/priority-bands.ts) are admitted and held by their limit; a non-production task is admitted
 * by its limit too, but then holds only its **reservation**: the limit for the first 300 s of its
 * run (start-up transients), then a value that decays towards its recent peak usage plus a safety
 * margin, and rises at once when usage exceeds it. Resources between reservations and limits are
 * reclaimed for other work. ("Limit" = the limit, or the request when no limit is given.)
 *
 * The paper states the rule but no constants; ours (each a setting, `borg:margin=0.1,...`):
 * - `margin` (default 0.1): safety margin as a fraction of the limit;
 * - `window` (default 3600 s): "recent" peak = the largest usage over the last hour of steps;
 * - `halflife` (default 3600 s): the gap between reservation and target halves every hour
 *   ("decays slowly").
 * Rule, per task and dimension, at usage step k with the task started at step k0:
 *   hold = ceil(300 s / step) steps; while k − k0 < hold: R = L (the limit);
 *   else T = min(L, peak + margin·L), peak = max usage over steps max(k0, k − window + 1)..k,
 *        a = k − k0 − hold + 1 steps of decay, f = 2^(−step/halflife),
 *        R = T + (L − T)·f^a.
 * R is a pure function of the task's usage history (no state): the decay runs from the limit
 * since the 300 s ended, and because T reads the latest usage, R jumps up with usage ("rising
 * fast"); after a spike it stays up while the spike is in the window. Steps with unknown usage are
 * skipped; with no known usage in the window, R = L. R never exceeds L (Borg caps at the limit).
 */
export const BORG_HOLD_SECONDS = 300;

const SETTINGS = {
  margin: { value: 0.1, min: 0, max: 1, expected: 'a fraction of the limit in [0, 1]' },
  window: { value: 3600, min: 0, max: 30 * 86400, exclusiveMin: true, expected: 'seconds > 0 (at most 30 days)' },
  halflife: { value: 3600, min: 0, max: 30 * 86400, exclusiveMin: true, expected: 'seconds > 0 (at most 30 days)' },
} satisfies Record<string, NumberSetting>;

export interface BorgSettings {
  margin: number;
  window: number;
  halflife: number;
}

/** The reservation of one task in dimension d at the node's current step (see the rule above). */
export function borgReservation(node: OvercommitNode, id: number, task: OvercommitTask, d: number, s: BorgSettings): number {
  const L = limitOrRequest(task, d);
  if (L === 0) return 0;
  const stepSec = node.stepLength / 1e6;
  const hold = Math.ceil(BORG_HOLD_SECONDS / stepSec);
  const k0 = node.startStep(id);
  const k = node.step;
  if (k - k0 < hold) return L;
  const windowSteps = Math.max(1, Math.round(s.window / stepSec));
  let peak = -Infinity;
  for (let j = Math.max(k0, k - windowSteps + 1); j <= k; j++) {
    const u = node.usage(id, d, j);
    if (u > peak) peak = u;
  }
  if (peak === -Infinity) return L;
  const target = Math.min(L, peak + s.margin * L);
  const a = k - k0 - hold + 1;
  const f = Math.pow(2, -stepSec / s.halflife);
  return target + (L - target) * Math.pow(f, a);
}

export function borgPolicy(spec: string, settings: string | undefined): OvercommitPolicy {
  const s = numberSettings(spec, settings, SETTINGS);
  return {
    name: settings === undefined ? 'borg' : `borg:${settings}`,
    charge(task, out) {
      for (let d = 0; d < out.length; d++) out[d] = limitOrRequest(task, d);
    },
    committed(node, out) {
      out.fill(0, 0, node.dims);
      for (let i = 0; i < node.taskCount; i++) {
        const id = node.tasks[i];
        const task = node.task(id);
        const production = isProductionBand(task.band);
        for (let d = 0; d < node.dims; d++) out[d] += production ? limitOrRequest(task, d) : borgReservation(node, id, task, d, s);
      }
      return true;
    },
  };
}

export const borgReservations: OvercommitModule = {
  name: 'borg',
  description: 'Borg reservations: production held by its limit, the rest by a reservation decaying from the limit (after 300 s) towards recent peak usage + margin (borg:margin=0.1,window=3600,halflife=3600)',
  create: (settings) => borgPolicy(settings === undefined ? 'borg' : `borg:${settings}`, settings),
};
