import type { LabelSelector } from '../../workloads/placement-constraints.js';
import type { Cycle, FilterPlugin, PreFilterStatus, ScorePlugin } from './plugin.js';
import { MAX_NODE_SCORE } from './plugin.js';
import type { PodInfo } from './pod-info.js';
import { labelValue, matchesLabelSelector } from '../../workloads/constraint-matching.js';
import { REASON_SPREAD, REASON_SPREAD_MISSING_LABEL } from './unschedulable-reasons.js';

export const HOSTNAME_KEY = 'kubernetes.io/hostname';
export const ZONE_KEY = 'topology.kubernetes.io/zone';

export interface DefaultSpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
}

export interface PodTopologySpreadArgs {
  /** System: kube's built-in defaults (hostname 3, zone 5, ScheduleAnyway); List: `defaultConstraints`. */
  defaultingType: 'System' | 'List';
  defaultConstraints: DefaultSpreadConstraint[];
}

/** kube's systemDefaultConstraints (podtopologyspread/plugin.go). */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly DefaultSpreadConstraint[] = [
  { topologyKey: HOSTNAME_KEY, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: ZONE_KEY, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

export const DEFAULT_SPREAD_ARGS: PodTopologySpreadArgs = { defaultingType: 'System', defaultConstraints: [] };

/** A spread constraint as evaluated: an explicit selector, or (defaults) "pods of the same job". */
interface Rule {
  maxSkew: number;
  key: string;
  selector: LabelSelector | undefined;
}

/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread).
 *
 * Filter (DoNotSchedule): for each constraint, count the pods matching its selector (same
 * namespace) per topology domain over the nodes eligible for the pod (they pass its nodeSelector /
 * required node affinity — nodeAffinityPolicy Honor — and carry every constraint's key). A node
 * passes when `count(domain) + selfMatch − min over domains ≤ maxSkew`; a node without the key
 * never passes.
 * Score (ScheduleAnyway): per constraint, `count · log(domains among the feasible nodes + 2) +
 * maxSkew − 1`, summed and rounded, then inverted: `100 · (max + min − s) / max`.
 *
 * Default constraints apply to pods without their own: schedlab treats a job whose pods carry
 * labels (a Kubernetes pod template) as the owning ReplicaSet, so the defaults spread a job's
 * replicas; Borg-style tasks without labels get none (kube builds them only for pods selected by a
 * Service / ReplicaSet / StatefulSet).
 */
export class PodTopologySpread implements FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  private readonly args: PodTopologySpreadArgs;
  private readonly rules: Rule[] = [];
  private readonly counts: Array<Map<string, number>> = [];
  private readonly mins: number[] = [];
  private readonly selfMatch: number[] = [];
  private domainCache = new Map<string, { generation: number; eligible: Uint8Array; domains: Map<string, number> }>();
  // score state
  private readonly scoreRules: Rule[] = [];
  private readonly pairCounts: Array<Map<string, number>> = [];
  private readonly hostCounts: Array<Map<number, number>> = [];
  private readonly weights: number[] = [];
  private ignored = new Uint8Array(0);
  private scoreIndex = 0;
  private requireAll = true;

  constructor(args: PodTopologySpreadArgs = DEFAULT_SPREAD_ARGS) {
    this.args = args;
  }

  /** kube's getConstraints / buildDefaultConstraints for one action. */
  private rulesFor(pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway', out: Rule[]): void {
    out.length = 0;
    const own = pod.constraints?.topologySpread ?? [];
    if (own.length > 0) {
      for (const c of own) if (c.whenUnsatisfiable === action) out.push({ maxSkew: c.maxSkew, key: c.topologyKey, selector: c.labelSelector });
      return;
    }
    if (!pod.hasOwner) return;
    const defaults = this.args.defaultingType === 'System' ? SYSTEM_DEFAULT_CONSTRAINTS : this.args.defaultConstraints;
    for (const c of defaults) if (c.whenUnsatisfiable === action) out.push({ maxSkew: c.maxSkew, key: c.topologyKey, selector: undefined });
  }

  private jobMatches(cy: Cycle, rule: Rule, job: number, target: PodInfo): boolean {
    if (!rule.selector) return job === cy.task.job;
    return cy.shared.podMatches(rule.selector, [cy.pod.namespace], job, target);
  }

  /** Nodes eligible for counting (node requirement met, all keys present) and the domains they form. */
  private domains(cy: Cycle, keys: string[]): { eligible: Uint8Array; domains: Map<string, number> } {
    const sig = `${cy.pod.nodeRequirementKey}\u0000${keys.join('\u0000')}`;
    const gen = cy.shared.facts.generation;
    let e = this.domainCache.get(sig);
    if (e && e.generation === gen) return e;
    const c = cy.cluster;
    const eligible = new Uint8Array(c.nodeCount);
    const domains = new Map<string, number>();
    const seen = keys.map(() => new Set<string>());
    for (let node = 0; node < c.nodeCount; node++) {
      if (!c.up[node] || !cy.shared.nodeRequirementMet(cy.pod, node, c)) continue;
      const labels = c.labels[node];
      let all = true;
      for (const k of keys) if (labelValue(labels, k) === undefined) all = false;
      if (!all) continue;
      eligible[node] = 1;
      keys.forEach((k, i) => seen[i].add(labels[k]));
    }
    keys.forEach((k, i) => domains.set(k, seen[i].size));
    if (this.domainCache.size > 1024) this.domainCache.clear();
    e = { generation: gen, eligible, domains };
    this.domainCache.set(sig, e);
    return e;
  }

  preFilter(cy: Cycle): PreFilterStatus {
    const rules = this.rules;
    this.rulesFor(cy.pod, 'DoNotSchedule', rules);
    if (rules.length === 0) return 'skip';
    const { eligible, domains } = this.domains(cy, rules.map((r) => r.key));
    const tr = cy.shared.tracker;
    const labels = cy.cluster.labels;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const counts = (this.counts[i] ??= new Map());
      counts.clear();
      for (const job of r.selector ? tr.jobsSelectable(r.selector) : [cy.task.job]) {
        const info = tr.jobInfo.get(job);
        if (!info || !this.jobMatches(cy, r, job, info)) continue;
        for (const [node, cnt] of tr.jobNodes.get(job)!) {
          if (node >= eligible.length || !eligible[node]) continue;
          const v = labels[node][r.key];
          counts.set(v, (counts.get(v) ?? 0) + cnt);
        }
      }
      // Global minimum: 0 while some eligible domain holds no matching pod.
      let min = 0;
      if (counts.size >= (domains.get(r.key) ?? 0) && counts.size > 0) {
        min = Infinity;
        for (const v of counts.values()) if (v < min) min = v;
      }
      this.mins[i] = min;
      this.selfMatch[i] = r.selector ? (matchesLabelSelector(cy.pod.labels, r.selector) ? 1 : 0) : 1;
    }
    return 'active';
  }

  filter(cy: Cycle, node: number): boolean {
    const labels = cy.cluster.labels[node];
    const rules = this.rules;
    for (let i = 0; i < rules.length; i++) {
      const v = labelValue(labels, rules[i].key);
      if (v === undefined) return false;
      const skew = (this.counts[i].get(v) ?? 0) + this.selfMatch[i] - this.mins[i];
      if (skew > rules[i].maxSkew) return false;
    }
    return true;
  }

  /** kube's Filter reason: the first constraint the node breaks, by a missing key or by skew. */
  reason(cy: Cycle, node: number): string {
    const labels = cy.cluster.labels[node];
    for (let i = 0; i < this.rules.length; i++) {
      const v = labelValue(labels, this.rules[i].key);
      if (v === undefined) return REASON_SPREAD_MISSING_LABEL;
      if ((this.counts[i].get(v) ?? 0) + this.selfMatch[i] - this.mins[i] > this.rules[i].maxSkew) break;
    }
    return REASON_SPREAD;
  }

  preScore(cy: Cycle, nodes: Int32Array, count: number): number | undefined {
    const rules = this.scoreRules;
    this.rulesFor(cy.pod, 'ScheduleAnyway', rules);
    if (rules.length === 0) return 0;
    const pod = cy.pod;
    const c = cy.cluster;
    // Only explicit constraints require every key; system defaults let zone-less nodes spread by host.
    this.requireAll = (pod.constraints?.topologySpread ?? []).length > 0 || this.args.defaultingType !== 'System';
    if (this.ignored.length < count) this.ignored = new Uint8Array(count * 2);
    let ignoredCount = 0;
    for (let i = 0; i < rules.length; i++) (this.pairCounts[i] ??= new Map()).clear();
    for (let j = 0; j < count; j++) {
      const labels = c.labels[nodes[j]];
      this.ignored[j] = 0;
      if (this.requireAll && rules.some((r) => labelValue(labels, r.key) === undefined)) {
        this.ignored[j] = 1;
        ignoredCount++;
        continue;
      }
      for (let i = 0; i < rules.length; i++) {
        if (rules[i].key === HOSTNAME_KEY) continue;
        const v = labelValue(labels, rules[i].key);
        if (v !== undefined && !this.pairCounts[i].has(v)) this.pairCounts[i].set(v, 0);
      }
    }
    for (let i = 0; i < rules.length; i++) {
      const size = rules[i].key === HOSTNAME_KEY ? count - ignoredCount : this.pairCounts[i].size;
      this.weights[i] = Math.log(size + 2);
    }
    const tr = cy.shared.tracker;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const pairs = this.pairCounts[i];
      const hosts = (this.hostCounts[i] ??= new Map());
      hosts.clear();
      for (const job of r.selector ? tr.jobsSelectable(r.selector) : [cy.task.job]) {
        const info = tr.jobInfo.get(job);
        if (!info || !this.jobMatches(cy, r, job, info)) continue;
        for (const [node, cnt] of tr.jobNodes.get(job)!) {
          if (r.key === HOSTNAME_KEY) {
            hosts.set(node, (hosts.get(node) ?? 0) + cnt);
            continue;
          }
          if (!c.up[node] || !cy.shared.nodeRequirementMet(pod, node, c)) continue;
          const labels = c.labels[node];
          if (this.requireAll && rules.some((q) => labelValue(labels, q.key) === undefined)) continue;
          const v = labelValue(labels, r.key);
          if (v === undefined) continue;
          const cur = pairs.get(v);
          if (cur !== undefined) pairs.set(v, cur + cnt);
        }
      }
    }
    this.scoreIndex = 0;
    return undefined;
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    for (let i = 0; i < count; i++) out[i] = this.score(cy, nodes[i]);
  }

  score(cy: Cycle, node: number): number {
    // The framework scores the feasible nodes in order, so the position matches `ignored`.
    const j = this.scoreIndex++;
    if (this.ignored[j]) return 0;
    const labels = cy.cluster.labels[node];
    let s = 0;
    const rules = this.scoreRules;
    for (let i = 0; i < rules.length; i++) {
      const v = labelValue(labels, rules[i].key);
      if (v === undefined) continue;
      const cnt = rules[i].key === HOSTNAME_KEY ? (this.hostCounts[i].get(node) ?? 0) : (this.pairCounts[i].get(v) ?? 0);
      s += cnt * this.weights[i] + (rules[i].maxSkew - 1);
    }
    return Math.round(s);
  }

  normalize(_cy: Cycle, scores: Float64Array, count: number): void {
    let min = Infinity;
    let max = 0;
    for (let j = 0; j < count; j++) {
      if (this.ignored[j]) continue;
      if (scores[j] < min) min = scores[j];
      if (scores[j] > max) max = scores[j];
    }
    for (let j = 0; j < count; j++) {
      if (this.ignored[j]) scores[j] = 0;
      else if (max === 0) scores[j] = MAX_NODE_SCORE;
      else scores[j] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[j])) / max);
    }
  }
}
