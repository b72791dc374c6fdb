import { parseKubeletConfig } from './kubelet/kubelet-config.js';
import { loadOvercommit } from '../algorithms/overcommit/load-overcommit.js';
import { createUsageSource } from './usage/create-usage-source.js';
import type { DynamicsSpec } from './dynamics-spec.js';
import type { NodeDynamicsSetup } from './node-dynamics.js';
import type { Workload } from '../model/workload.js';

/**
 * Turns the plain-data DynamicsSpec into what the simulator runs: the kubelet's flags parsed in
 * their own syntax, the overcommit policy loaded, and the usage source (bound to the task table
 * when the run starts). Every malformed setting is a UsageError naming its flag, raised here,
 * before the run (the usage source's own checks run as the replay starts).
 */
export async function dynamicsSetup(spec: DynamicsSpec | undefined, workload: Workload, seed: number): Promise<NodeDynamicsSetup | undefined> {
  if (!spec || !spec.enabled) return undefined;
  const names = workload.resources.names;
  const kubelet = parseKubeletConfig(spec, names);
  // Settings accepted but without effect here (inode and PID signals, disk without a disk dimension).
  for (const note of kubelet.notes ?? []) workload.notes.push(`kubelet: ${note}`);
  const overcommit = await loadOvercommit(spec.overcommit, names);
  const settings: Record<string, string | number> = {
    usage: spec.usage ?? 'auto',
    housekeepingSeconds: kubelet.housekeepingPeriod / 1e6,
    evictionHard: spec.evictionHard ?? 'kubelet default',
    overcommit: overcommit ? overcommit.name : 'none',
  };
  if (spec.usageLibrary !== undefined) settings.usageLibrary = spec.usageLibrary;
  if (spec.usageLibrarySet !== undefined) settings.usageLibrarySet = spec.usageLibrarySet;
  for (const k of ['evictionSoft', 'evictionSoftGracePeriod', 'evictionMinimumReclaim', 'evictionPressureTransitionPeriod', 'kubeReserved', 'systemReserved'] as const) {
    if (spec[k] !== undefined) settings[k] = spec[k]!;
  }
  return {
    kubelet,
    overcommit,
    settings,
    usage: async (tasks) => {
      const source = await createUsageSource(spec.usage, {
        workload,
        tasks,
        seed,
        start: workload.start ?? 0,
        library: spec.usageLibrary,
        librarySet: spec.usageLibrarySet,
      });
      settings.usageSource = source.description;
      return source;
    },
  };
}
