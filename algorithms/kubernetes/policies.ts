import type { PolicyModule, PolicyOptions } from '../policy.js';
import { FrameworkPolicy } from './framework.js';
import { binpackProfile, defaultProfile, type Profile } from './profile.js';
import { loadSchedulerConfig, pickProfile, type SchedulerConfig } from './scheduler-config.js';

/** A profile handed to a framework policy through PolicyOptions.config. */
function profileFrom(options: PolicyOptions, fallback: () => Profile): Profile {
  const c = options.config as { profile?: Profile } | undefined;
  return c?.profile ?? fallback();
}

/**
 * kube-framework: kube-scheduler's full default profile — every filter (resources, node name,
 * unschedulable, node affinity, taints, host ports, inter-pod (anti-)affinity, topology spread,
 * node pressure) and every score plugin with the default weights. For workloads with placement
 * constraints (Kubernetes manifests). With `--scheduler-config FILE` it runs that file's profile.
 */
export const kubeFramework: PolicyModule = {
  name: 'kube-framework',
  description: 'kube-scheduler framework, full default profile: all filters (affinity, taints, ports, spread...) and scores; --scheduler-config for yours',
  create: (options) => new FrameworkPolicy('kube-framework', profileFrom(options, () => defaultProfile()), options),
};

/** kube-binpack: the default profile with NodeResourcesFit scoring MostAllocated (kube's documented bin packing). */
export const kubeBinpack: PolicyModule = {
  name: 'kube-binpack',
  description: 'kube-scheduler framework with NodeResourcesFit MostAllocated (bin packing), other plugins at defaults',
  create: (options) => new FrameworkPolicy('kube-binpack', binpackProfile(), options),
};

/** A policy module running one profile of a loaded configuration. */
export function profilePolicy(name: string, profile: Profile): PolicyModule {
  return {
    name,
    description: `kube-scheduler framework, profile ${profile.schedulerName}`,
    create: (options) => new FrameworkPolicy(name, profile, { ...options, config: { profile } }),
  };
}

/**
 * What `--scheduler-config FILE` does to a `--policy` value: `kube-framework` or one of the file's
 * schedulerNames runs that profile; anything else is returned as undefined (load it as usual).
 * `notes`: what the chosen profile says about the file — parts accepted but not modelled, each
 * by name — for the run's notes.
 */
export function configuredPolicy(
  policy: string,
  file: string,
): { module: PolicyModule; config: SchedulerConfig; notes: string[] } | { module: undefined; config: SchedulerConfig; notes: string[] } {
  const config = loadSchedulerConfig(file);
  const profile = pickProfile(config, policy);
  return profile ? { module: profilePolicy(policy, profile), config, notes: [...profile.notes] } : { module: undefined, config, notes: [] };
}
