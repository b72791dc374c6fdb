import { Cluster } from '../../../harness/cluster.js';
import type { ResourceSchema } from '../../../model/resources.js';
import type { TaskView } from '../../../model/task-view.js';
import type { MachineExtras } from '../../../model/machine.js';
import type { PlacementConstraints } from '../../../model/placement-constraints.js';
import { Cycle, SharedState, type FilterPlugin, type ScorePlugin } from '../../../algorithms/kubernetes/plugin.js';
import { podInfo } from '../../../algorithms/kubernetes/pod-info.js';
import { filterReason } from '../../../algorithms/kubernetes/unschedulable-reasons.js';

/**
 * Runs one kube-scheduler plugin of schedlab the way upstream's plugin unit tests run theirs
 * (pkg/scheduler/framework/plugins/*_test.go): a snapshot of nodes and running pods, then
 * PreFilter + Filter per node, or PreScore + Score (+ NormalizeScore) over a list of nodes.
 * Nodes and pods are written in schedlab's model: a node is a MachineSpec (labels, taints,
 * images, allocatable per resource dimension), a pod is a request vector plus its
 * PlacementConstraints. Each running pod is its own job unless one is given (pods of one job share
 * constraints, as replicas of one template do).
 */

/** Resource dimensions of a harness cluster, with kube's units (millicores, bytes, counts). */
export function schema(...names: string[]): ResourceSchema {
  return { names, units: names.map((n) => (n === 'cpu' ? 'millicores' : n === 'memory' ? 'bytes' : 'units')) };
}

export interface NodeDef extends MachineExtras {
  name: string;
  labels?: Record<string, string>;
  /** Allocatable per resource name (missing = 0). */
  allocatable?: Record<string, number>;
}

export interface PodDef {
  /** Node it runs on (running pods only). */
  node?: string;
  constraints?: PlacementConstraints;
  /** Effective request per resource name (missing = 0). */
  requests?: Record<string, number>;
  /** The request was missing (a container without requests): kube's non-zero defaults apply. */
  missing?: boolean;
  job?: number;
}

/** Incoming pods are job 0 unless told otherwise; running pods get fresh job numbers. */
export const INCOMING_JOB = 0;

export interface FilterResult {
  preFilter: 'skip' | 'active' | 'reject';
  /** Node name → passes (a PreFilter rejection fails every node, a skip passes every node). */
  nodes: Record<string, boolean>;
  /** Node name → true when it passes, else the Filter's failure reason (kube's status message); 'PreFilter' when PreFilter rejected. */
  status: Record<string, true | string>;
}

export interface ScoreResult {
  /** The plugin's PreScore gave every node the same score (kube's Skip when 0). */
  constant: number | undefined;
  scores: Record<string, number>;
}

export class KubeHarness {
  readonly cluster: Cluster;
  readonly shared = new SharedState();
  private nextJob = 1000;
  private nextId = 0;

  constructor(resources: ResourceSchema, nodes: readonly NodeDef[], pods: readonly PodDef[] = []) {
    this.cluster = new Cluster(resources);
    for (const n of nodes) {
      const { name, labels, allocatable, ...extras } = n;
      const capacity = resources.names.map((r) => allocatable?.[r] ?? 0);
      this.cluster.addNode({ id: name, capacity, labels: labels ?? {}, ...extras });
    }
    this.shared.facts.sync(this.cluster);
    for (const p of pods) this.run(p);
  }

  /** A pod as schedlab's TaskView. */
  pod(p: PodDef = {}): TaskView {
    const request = new Float64Array(this.cluster.dims);
    for (const [name, v] of Object.entries(p.requests ?? {})) {
      const d = this.cluster.resources.names.indexOf(name);
      if (d < 0) throw new Error(`harness: resource ${name} is not in the schema (${this.cluster.resources.names.join(', ')})`);
      request[d] = v;
    }
    return {
      id: this.nextId++,
      request,
      priority: 0,
      job: p.job ?? (p.node === undefined ? INCOMING_JOB : this.nextJob++),
      user: -1,
      missingRequest: p.missing ?? false,
      constraints: p.constraints,
      duration: NaN,
    };
  }

  /** Binds a running pod as the simulator does: reserve its request, then tell the trackers. */
  run(p: PodDef): void {
    const node = this.cluster.nodeById(p.node!);
    if (node === undefined) throw new Error(`harness: no node ${p.node}`);
    const t = this.pod(p);
    this.cluster.bind(node, t.request);
    this.shared.tracker.bind(t, node);
    this.shared.nonZero.bind(t, node, this.cluster);
  }

  private cycle(p: PodDef): Cycle {
    const t = this.pod(p);
    this.shared.facts.sync(this.cluster);
    const cy = new Cycle(this.shared);
    cy.reset(t, this.cluster, podInfo(t.constraints));
    return cy;
  }

  /** PreFilter once, then Filter on every node (or the named ones). */
  filter(plugin: FilterPlugin, p: PodDef, names: readonly string[] = this.cluster.ids): FilterResult {
    const cy = this.cycle(p);
    const preFilter = plugin.preFilter(cy);
    const nodes: Record<string, boolean> = {};
    const status: Record<string, true | string> = {};
    for (const name of names) {
      const node = this.cluster.nodeById(name)!;
      nodes[name] = preFilter === 'reject' ? false : preFilter === 'skip' ? true : plugin.filter(cy, node);
      status[name] = nodes[name] ? true : preFilter === 'reject' ? 'PreFilter' : filterReason(plugin, cy, node);
    }
    return { preFilter, nodes, status };
  }

  /** PreScore over `names` (default all nodes), Score, and NormalizeScore when `normalize`. */
  score(plugin: ScorePlugin, p: PodDef, opts: { names?: readonly string[]; normalize?: boolean } = {}): ScoreResult {
    const cy = this.cycle(p);
    const names = opts.names ?? this.cluster.ids;
    const nodes = Int32Array.from(names.map((n) => this.cluster.nodeById(n)!));
    const constant = plugin.preScore(cy, nodes, nodes.length);
    const scores: Record<string, number> = {};
    if (constant !== undefined) {
      names.forEach((n) => (scores[n] = constant));
      return { constant, scores };
    }
    const out = new Float64Array(nodes.length);
    plugin.scoreNodes(cy, nodes, nodes.length, out);
    if (opts.normalize !== false && plugin.normalize) plugin.normalize(cy, out, nodes.length);
    names.forEach((n, i) => (scores[n] = out[i]));
    return { constant, scores };
  }
}

export const Ki = 1024;
export const Mi = 1024 * 1024;
export const Gi = 1024 * 1024 * 1024;
/** kube quantities: "4000" CPU is 4000 cores = 4,000,000 millicores. */
export const cores = (n: number) => n * 1000;

import { loadSchedulerConfig } from '../../../algorithms/kubernetes/scheduler-config.js';
import type { PluginArgs } from '../../../algorithms/kubernetes/profile.js';

/**
 * A plugin's args as schedlab reads them from a KubeSchedulerConfiguration (pluginConfig entry
 * `{name: plugin, args}`), for upstream's argument-validation cases. Throws the reader's InputError.
 */
export function configArgs(plugin: string, args: unknown): PluginArgs {
  const text = JSON.stringify({
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [{ pluginConfig: [{ name: plugin, args }] }],
  });
  return loadSchedulerConfig('conformance.yaml', text).profiles[0].args;
}
