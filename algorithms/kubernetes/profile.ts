import type { FilterPlugin, PluginEnv, ScorePlugin } from './plugin.js';
import { NodeName } from './node-name.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { NodeConditions } from './node-conditions.js';
import { NodePorts } from './node-ports.js';
import { NoVolumes } from './volume-restrictions.js';
import { NodeAffinity, type NodeAffinityArgs } from './node-affinity.js';
import { TaintToleration } from './taint-toleration.js';
import { DEFAULT_FIT_ARGS, NodeResourcesFit, type NodeResourcesFitArgs } from './node-resources-fit.js';
import { NodeResourcesBalancedAllocation } from './node-resources-balanced-allocation.js';
import { DEFAULT_INTER_POD_AFFINITY_ARGS, InterPodAffinity, type InterPodAffinityArgs } from './inter-pod-affinity.js';
import { DEFAULT_SPREAD_ARGS, PodTopologySpread, type PodTopologySpreadArgs } from './pod-topology-spread.js';
import { ImageLocality } from './image-locality.js';
import { DEFAULT_SCORING_RESOURCES, type ResourceSpec } from './resources.js';

/** Validated plugin arguments (kube's pluginConfig), by plugin. */
export interface PluginArgs {
  NodeAffinity?: NodeAffinityArgs;
  NodeResourcesFit?: NodeResourcesFitArgs;
  NodeResourcesBalancedAllocation?: { resources: ResourceSpec[] };
  InterPodAffinity?: InterPodAffinityArgs;
  PodTopologySpread?: PodTopologySpreadArgs;
}

export interface WeightedPlugin {
  name: string;
  weight: number;
}

/**
 * One scheduler profile (KubeSchedulerConfiguration.profiles[]): which filters run, which score
 * plugins with which weights, their args, and how many feasible nodes to look at.
 */
export interface Profile {
  schedulerName: string;
  filters: string[];
  scores: WeightedPlugin[];
  args: PluginArgs;
  /** Profile or file value; the command line's --nodes-to-score wins over it. */
  percentageOfNodesToScore?: number;
  /** 'random' (kube ≥ 1.14 selectHost: uniform over the tied nodes, one draw) or 'round-robin' (older schedulers). */
  tieBreak: 'random' | 'round-robin';
  /** 100, or 10 for legacy Policy files whose priorities scored 0–10 (each plugin score / 10, truncated). */
  maxScore: 100 | 10;
  /** What was accepted but not modeled, where the profile came from. */
  notes: string[];
}

type Factory = (env: PluginEnv) => FilterPlugin | ScorePlugin | (FilterPlugin & ScorePlugin);

/** Plugins schedlab implements, with the extension points each serves. */
export const PLUGINS: Record<string, { filter: boolean; score: boolean; create: Factory; modeled: boolean }> = {
  NodeUnschedulable: { filter: true, score: false, modeled: true, create: () => new NodeUnschedulable() },
  NodeName: { filter: true, score: false, modeled: true, create: () => new NodeName() },
  TaintToleration: { filter: true, score: true, modeled: true, create: () => new TaintToleration() },
  NodeAffinity: { filter: true, score: true, modeled: true, create: (e) => new NodeAffinity((e.args as NodeAffinityArgs | undefined) ?? {}) },
  NodePorts: { filter: true, score: false, modeled: true, create: () => new NodePorts() },
  NodeResourcesFit: { filter: true, score: true, modeled: true, create: (e) => new NodeResourcesFit((e.args as NodeResourcesFitArgs | undefined) ?? DEFAULT_FIT_ARGS) },
  NodeResourcesBalancedAllocation: {
    filter: false,
    score: true,
    modeled: true,
    create: (e) => new NodeResourcesBalancedAllocation((e.args as { resources: ResourceSpec[] } | undefined)?.resources ?? DEFAULT_SCORING_RESOURCES),
  },
  NodeConditions: { filter: true, score: false, modeled: true, create: () => new NodeConditions() },
  PodTopologySpread: { filter: true, score: true, modeled: true, create: (e) => new PodTopologySpread((e.args as PodTopologySpreadArgs | undefined) ?? DEFAULT_SPREAD_ARGS) },
  InterPodAffinity: { filter: true, score: true, modeled: true, create: (e) => new InterPodAffinity((e.args as InterPodAffinityArgs | undefined) ?? DEFAULT_INTER_POD_AFFINITY_ARGS) },
  ImageLocality: { filter: false, score: true, modeled: true, create: () => new ImageLocality() },
  VolumeRestrictions: { filter: true, score: false, modeled: false, create: () => new NoVolumes('VolumeRestrictions') },
  VolumeBinding: { filter: true, score: false, modeled: false, create: () => new NoVolumes('VolumeBinding') },
  VolumeZone: { filter: true, score: false, modeled: false, create: () => new NoVolumes('VolumeZone') },
  NodeVolumeLimits: { filter: true, score: false, modeled: false, create: () => new NoVolumes('NodeVolumeLimits') },
};

/**
 * Plugins of kube-scheduler's other extension points (queue sort, pre-filter only, post-filter,
 * reserve, permit, bind...) that a configuration may name: accepted, not modeled.
 */
export const OTHER_KNOWN_PLUGINS = [
  'PrioritySort',
  'DefaultBinder',
  'DefaultPreemption',
  'SchedulingGates',
  'DynamicResources',
  'EBSLimits',
  'GCEPDLimits',
  'AzureDiskLimits',
  'CinderLimits',
];

export const FILTER_PLUGIN_NAMES = Object.keys(PLUGINS).filter((n) => PLUGINS[n].filter);
export const SCORE_PLUGIN_NAMES = Object.keys(PLUGINS).filter((n) => PLUGINS[n].score);

/** kube-scheduler's default filters (v1 multiPoint defaults), plus schedlab's NodeConditions (node pressure, ../shared/docs/models.md). */
export const DEFAULT_FILTERS: readonly string[] = [
  'NodeUnschedulable',
  'NodeName',
  'TaintToleration',
  'NodeAffinity',
  'NodePorts',
  'NodeResourcesFit',
  'NodeConditions',
  'VolumeRestrictions',
  'NodeVolumeLimits',
  'VolumeBinding',
  'VolumeZone',
  'PodTopologySpread',
  'InterPodAffinity',
];

/** kube-scheduler's default score plugins and weights (../shared/docs/models.md). */
export const DEFAULT_SCORES: readonly WeightedPlugin[] = [
  { name: 'TaintToleration', weight: 3 },
  { name: 'NodeAffinity', weight: 2 },
  { name: 'PodTopologySpread', weight: 2 },
  { name: 'InterPodAffinity', weight: 2 },
  { name: 'NodeResourcesFit', weight: 1 },
  { name: 'NodeResourcesBalancedAllocation', weight: 1 },
  { name: 'ImageLocality', weight: 1 },
];

export function defaultProfile(schedulerName = 'default-scheduler'): Profile {
  return {
    schedulerName,
    filters: [...DEFAULT_FILTERS],
    scores: DEFAULT_SCORES.map((s) => ({ ...s })),
    args: {},
    tieBreak: 'random',
    maxScore: 100,
    notes: [],
  };
}

/** The documented bin-packing profile: NodeResourcesFit with MostAllocated (CPU and memory, weights 1). */
export function binpackProfile(): Profile {
  const p = defaultProfile('kube-binpack');
  p.args.NodeResourcesFit = { type: 'MostAllocated', resources: [...DEFAULT_SCORING_RESOURCES] };
  return p;
}

/** Builds the plugin instances of a profile (one instance per plugin, shared by its extension points). */
export function instantiate(profile: Profile, shared: PluginEnv['shared']): { filters: FilterPlugin[]; scores: Array<{ plugin: ScorePlugin; weight: number }> } {
  const instances = new Map<string, FilterPlugin | ScorePlugin>();
  const get = (name: string) => {
    let p = instances.get(name);
    if (!p) {
      const def = PLUGINS[name];
      if (!def) throw new Error(`unknown plugin ${name}`);
      p = def.create({ shared, args: profile.args[name as keyof PluginArgs] });
      instances.set(name, p);
    }
    return p;
  };
  // The resource fit is checked by the cluster's feasibility index, and the unmodeled volume
  // plugins accept everything: neither needs a per-node call.
  const filters = profile.filters.filter((n) => n !== 'NodeResourcesFit' && PLUGINS[n].modeled).map((n) => get(n) as FilterPlugin);
  const scores = profile.scores.filter((s) => s.weight !== 0 && PLUGINS[s.name].modeled).map((s) => ({ plugin: get(s.name) as ScorePlugin, weight: s.weight }));
  return { filters, scores };
}
