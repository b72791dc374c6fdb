import { type Cycle, type FilterPlugin, type PreFilterStatus, type ScorePlugin, MAX_NODE_SCORE } from './plugin.js';
import type { PodInfo, SpreadConstraint } from './pod-info.js';
import { labelValue } from '../../model/labels.js';
import { matchesLabelSelector } from '../../model/label-selector-matching.js';
import { taintsTolerated } from '../../model/toleration-matching.js';
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

/**
 * A constraint as evaluated: the pod's own (with its parsed selector), or a default one whose
 * selector is "pods of the same job" (`own` undefined).
 */
interface Rule {
  maxSkew: number;
  key: string;
  own: SpreadConstraint | undefined;
  minDomains: number;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
}

/** Nodes that count as domains for a set of rules, and the domain values each rule sees. */
interface Domains {
  generation: number;
  /** eligible[rule][node] = 1 when the node counts for that rule. */
  eligible: Uint8Array[];
  values: Array<Set<string>>;
}

/**
 * PodTopologySpread (pkg/scheduler/framework/plugins/podtopologyspread).
 *
 * Which nodes count (both phases): a node must carry every constraint's topology key; for each
 * constraint, nodeAffinityPolicy Honor (the default) keeps only nodes passing the pod's
 * nodeSelector / required node affinity, and nodeTaintsPolicy Honor (default Ignore) only nodes
 * whose NoSchedule / NoExecute taints the pod tolerates. Pods count when in the pod's namespace and
 * matched by the selector (matchLabelKeys merged); a nil selector counts none, and so does `{}`
 * (kube's countPodsMatchSelector returns 0 for an empty selector, though it matches the pod itself).
 *
 * Filter (DoNotSchedule): a node passes each constraint when it has the key and
 * `count(domain) + selfMatch − globalMin ≤ maxSkew`, the minimum over the eligible domains — taken
 * as 0 when there are fewer than minDomains of them, and unbounded when there are none.
 * Score (ScheduleAnyway): over the feasible nodes (those lacking a key ignored, score 0 — except with
 * the System defaults, where a missing key is the empty value), per constraint
 * `count · ln(domains + 2) + maxSkew − 1`, summed and rounded, then inverted:
 * `100 · (max + min − s) / max`. Hostname constraints count the node's own pods.
 *
 * Default constraints apply to pods without their own: schedlab treats a job whose pods carry
 * labels (a Kubernetes pod template) as the owning ReplicaSet, so the defaults spread a job's
 * replicas; Borg-style tasks without labels get none (kube builds them only for pods selected by a
 * Service / ReplicaSet / StatefulSet). Constraints whose selector does not parse make the pod
 * unschedulable (kube's PreFilter / PreScore error).
 */
export class PodTopologySpread implements FilterPlugin, ScorePlugin {
  readonly name = 'PodTopologySpread';
  private readonly args: PodTopologySpreadArgs;
  private readonly rules: Rule[] = [];
  private readonly counts: Array<Map<string, number>> = [];
  private readonly mins: number[] = [];
  private readonly selfMatch: number[] = [];
  private domainCache = new Map<string, Domains>();
  private lastValues: ReadonlyArray<ReadonlySet<string>> = [];
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

  /** kube's filterTopologySpreadConstraints / buildDefaultConstraints for one action. */
  private rulesFor(pod: PodInfo, action: 'DoNotSchedule' | 'ScheduleAnyway', out: Rule[]): void {
    out.length = 0;
    if (pod.hardSpread.length + pod.softSpread.length > 0) {
      for (const c of action === 'DoNotSchedule' ? pod.hardSpread : pod.softSpread) {
        out.push({ maxSkew: c.maxSkew, key: c.topologyKey, own: c, minDomains: c.minDomains, honorNodeAffinity: c.honorNodeAffinity, honorNodeTaints: c.honorNodeTaints });
      }
      return;
    }
    if (!pod.hasOwner) return;
    const defaults = this.args.defaultingType === 'System' ? SYSTEM_DEFAULT_CONSTRAINTS : this.args.defaultConstraints;
    for (const c of defaults) {
      if (c.whenUnsatisfiable === action) out.push({ maxSkew: c.maxSkew, key: c.topologyKey, own: undefined, minDomains: 1, honorNodeAffinity: true, honorNodeTaints: false });
    }
  }

  /** Does job `job`'s pod count for the rule? */
  private counted(cy: Cycle, rule: Rule, job: number, target: PodInfo): boolean {
    if (!rule.own) return job === cy.task.job;
    if (rule.own.selectorEmpty) return false;
    return cy.shared.spreadMatches(rule.own, cy.pod.namespace, job, target);
  }

  /** Running jobs a rule may count (a superset). */
  private candidates(cy: Cycle, rule: Rule): Iterable<number> {
    if (!rule.own) return [cy.task.job];
    if (rule.own.selectorEmpty) return [];
    return cy.shared.tracker.jobsSelectable(rule.own.selector);
  }

  /** Does the pod match the rule's selector itself (selfMatchNum)? */
  private matchesSelf(pod: PodInfo, rule: Rule): number {
    if (!rule.own) return 1;
    return matchesLabelSelector(pod.labels, rule.own.selector) ? 1 : 0;
  }

  /** Nodes counting for each rule (every key present, inclusion policies) and their domain values. */
  private domains(cy: Cycle, rules: readonly Rule[]): Domains {
    const pod = cy.pod;
    const sig = rules.map((r) => `${r.key}\u0001${r.honorNodeAffinity ? pod.nodeRequirementKey : '*'}\u0001${r.honorNodeTaints ? pod.tolerationsKey : '*'}`).join('\u0000');
    const gen = cy.shared.facts.generation;
    let e = this.domainCache.get(sig);
    if (e && e.generation === gen) return e;
    const c = cy.cluster;
    const eligible = rules.map(() => new Uint8Array(c.nodeCount));
    const values = rules.map(() => new Set<string>());
    for (let node = 0; node < c.nodeCount; node++) {
      if (!c.up[node]) continue;
      const labels = c.labels[node];
      let all = true;
      for (const r of rules) if (labelValue(labels, r.key) === undefined) all = false;
      if (!all) continue;
      let affinity = -1;
      let taints = -1;
      for (let i = 0; i < rules.length; i++) {
        const r = rules[i];
        if (r.honorNodeAffinity) {
          if (affinity < 0) affinity = cy.shared.nodeRequirementMet(pod, node, c) ? 1 : 0;
          if (affinity === 0) continue;
        }
        if (r.honorNodeTaints) {
          if (taints < 0) taints = taintsTolerated(cy.shared.facts.spec(node)?.taints, pod.tolerations) ? 1 : 0;
          if (taints === 0) continue;
        }
        eligible[i][node] = 1;
        values[i].add(labels[r.key]);
      }
    }
    if (this.domainCache.size > 1024) this.domainCache.clear();
    e = { generation: gen, eligible, values };
    this.domainCache.set(sig, e);
    return e;
  }

  private invalid(pod: PodInfo): boolean {
    for (const c of pod.hardSpread) if (!c.valid) return true;
    for (const c of pod.softSpread) if (!c.valid) return true;
    return false;
  }

  preFilter(cy: Cycle): PreFilterStatus {
    if (this.invalid(cy.pod)) return 'reject';
    const rules = this.rules;
    this.rulesFor(cy.pod, 'DoNotSchedule', rules);
    if (rules.length === 0) return 'skip';
    const { eligible, values } = this.domains(cy, rules);
    this.lastValues = values;
    const tr = cy.shared.tracker;
    const labels = cy.cluster.labels;
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i];
      const counts = (this.counts[i] ??= new Map());
      counts.clear();
      const ok = eligible[i];
      for (const job of this.candidates(cy, r)) {
        const info = tr.jobInfo.get(job);
        if (!info || !this.counted(cy, r, job, info)) continue;
        for (const [node, cnt] of tr.jobNodes.get(job)!) {
          if (node >= ok.length || !ok[node]) continue;
          const v = labels[node][r.key];
          counts.set(v, (counts.get(v) ?? 0) + cnt);
        }
      }
      // kube's criticalPaths[0] over the eligible domains, then minDomains.
      let min = Infinity;
      for (const v of values[i]) {
        const n = counts.get(v) ?? 0;
        if (n < min) min = n;
      }
      if (values[i].size < r.minDomains) min = 0;
      this.mins[i] = min;
      this.selfMatch[i] = this.matchesSelf(cy.pod, r);
    }
    return 'active';
  }

  /**
   * What the last PreFilter computed, in the terms of kube's preFilterState (for conformance
   * tests, not the hot path): per DoNotSchedule constraint, the number of eligible domains
   * (TpKeyToDomainsNum), the matching pods in each (TpPairToMatchNum) and the smallest count
   * (criticalPaths[0]; Infinity without domains — kube's MaxInt32), before minDomains applies.
   */
  preFilterState(): Array<{
    topologyKey: string;
    maxSkew: number;
    minDomains: number;
    nodeAffinityPolicy: 'Honor' | 'Ignore';
    nodeTaintsPolicy: 'Honor' | 'Ignore';
    domains: number;
    matchNum: Record<string, number>;
    minMatch: number;
  }> {
    return this.rules.map((r, i) => {
      const matchNum: Record<string, number> = {};
      let minMatch = Infinity;
      for (const v of this.lastValues[i]) {
        const n = this.counts[i].get(v) ?? 0;
        matchNum[v] = n;
        if (n < minMatch) minMatch = n;
      }
      return {
        topologyKey: r.key,
        maxSkew: r.maxSkew,
        minDomains: r.minDomains,
        nodeAffinityPolicy: r.honorNodeAffinity ? 'Honor' : 'Ignore',
        nodeTaintsPolicy: r.honorNodeTaints ? 'Honor' : 'Ignore',
        domains: this.lastValues[i].size,
        matchNum,
        minMatch,
      };
    });
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
    if (rules.length === 0 || count === 0) return 0;
    const pod = cy.pod;
    const c = cy.cluster;
    // kube: only the System defaults let nodes without a key take part (as the empty value).
    this.requireAll = pod.hardSpread.length + pod.softSpread.length > 0 || this.args.defaultingType !== 'System';
    const hasAll = (labels: Readonly<Record<string, string>>) => {
      for (const r of rules) if (labelValue(labels, r.key) === undefined) return false;
      return true;
    };
    if (this.ignored.length < count) this.ignored = new Uint8Array(count * 2);
    let ignoredCount = 0;
    for (let i = 0; i < rules.length; i++) (this.pairCounts[i] ??= new Map()).clear();
    for (let j = 0; j < count; j++) {
      const labels = c.labels[nodes[j]];
      this.ignored[j] = 0;
      if (this.requireAll && !hasAll(labels)) {
        this.ignored[j] = 1;
        ignoredCount++;
        continue;
      }
      for (let i = 0; i < rules.length; i++) {
        if (rules[i].key === HOSTNAME_KEY) continue;
        const v = labelValue(labels, rules[i].key) ?? '';
        if (!this.pairCounts[i].has(v)) this.pairCounts[i].set(v, 0);
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
      for (const job of this.candidates(cy, r)) {
        const info = tr.jobInfo.get(job);
        if (!info || !this.counted(cy, r, job, info)) continue;
        for (const [node, cnt] of tr.jobNodes.get(job)!) {
          if (r.key === HOSTNAME_KEY) {
            hosts.set(node, (hosts.get(node) ?? 0) + cnt);
            continue;
          }
          if (!c.up[node]) continue;
          if (r.honorNodeAffinity && !cy.shared.nodeRequirementMet(pod, node, c)) continue;
          const labels = c.labels[node];
          if (this.requireAll && !hasAll(labels)) continue;
          if (r.honorNodeTaints && !taintsTolerated(cy.shared.facts.spec(node)?.taints, pod.tolerations)) continue;
          const v = labelValue(labels, r.key) ?? '';
          const cur = pairs.get(v);
          if (cur !== undefined) pairs.set(v, cur + cnt);
        }
      }
    }
    this.scoreIndex = 0;
    return undefined;
  }

  /**
   * What the last PreScore computed over `count` nodes, in the terms of kube's preScoreState (for
   * conformance tests): the ScheduleAnyway constraints, the positions of the ignored nodes (lacking
   * a topology key), the pod count per (key, value) of the other constraints
   * (TopologyPairToPodCounts; hostname constraints count per node at Score) and
   * TopologyNormalizingWeight.
   */
  preScoreState(count: number): {
    constraints: Array<{ topologyKey: string; maxSkew: number; nodeAffinityPolicy: 'Honor' | 'Ignore'; nodeTaintsPolicy: 'Honor' | 'Ignore' }>;
    ignored: number[];
    pairCounts: Record<string, number>;
    weights: number[];
  } {
    const pairCounts: Record<string, number> = {};
    this.scoreRules.forEach((r, i) => {
      for (const [v, n] of this.pairCounts[i] ?? []) pairCounts[`${r.key}/${v}`] = n;
    });
    const ignored: number[] = [];
    for (let j = 0; j < count; j++) if (this.ignored[j]) ignored.push(j);
    return {
      constraints: this.scoreRules.map((r) => ({
        topologyKey: r.key,
        maxSkew: r.maxSkew,
        nodeAffinityPolicy: r.honorNodeAffinity ? 'Honor' : 'Ignore',
        nodeTaintsPolicy: r.honorNodeTaints ? 'Honor' : 'Ignore',
      })),
      ignored,
      pairCounts,
      weights: this.scoreRules.map((_, i) => this.weights[i]),
    };
  }

  scoreNodes(cy: Cycle, nodes: Int32Array, count: number, out: Float64Array): void {
    this.scoreIndex = 0;
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
