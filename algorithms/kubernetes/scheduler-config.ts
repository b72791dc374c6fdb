import { ConfigSource } from './config-source.js';
import { KUBE_API_VERSIONS, readKubeSchedulerConfiguration } from './kube-config.js';
import { readLegacyPolicy } from './legacy-policy.js';
import type { Profile } from './profile.js';

/** A loaded scheduler configuration: one or more profiles, by schedulerName. */
export interface SchedulerConfig {
  file: string;
  kind: 'KubeSchedulerConfiguration' | 'Policy';
  profiles: Profile[];
}

/**
 * Loads `--scheduler-config FILE`: a KubeSchedulerConfiguration (YAML or JSON) or a legacy
 * scheduler Policy (JSON). Bad input throws InputError naming the file, line and field.
 */
export function loadSchedulerConfig(file: string, text?: string): SchedulerConfig {
  const src = new ConfigSource(file, text);
  const top = src.value as Record<string, unknown>;
  if (top.kind === 'Policy') return { file, kind: 'Policy', profiles: [readLegacyPolicy(src)] };
  if (top.kind === 'KubeSchedulerConfiguration') return { file, kind: 'KubeSchedulerConfiguration', profiles: readKubeSchedulerConfiguration(src).profiles };
  return src.fail(['kind'], `KubeSchedulerConfiguration (apiVersion ${KUBE_API_VERSIONS[0]}) or Policy (apiVersion v1)`, top.kind);
}

/** The profile a policy name selects: a schedulerName in the file, else (for kube-framework) default-scheduler or the first. */
export function pickProfile(config: SchedulerConfig, name: string): Profile | undefined {
  const byName = config.profiles.find((p) => p.schedulerName === name);
  if (byName) return byName;
  if (name !== 'kube-framework') return undefined;
  return config.profiles.find((p) => p.schedulerName === 'default-scheduler') ?? config.profiles[0];
}
