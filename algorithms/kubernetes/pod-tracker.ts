import type { TaskView } from '../../model/task-view.js';
import type { LabelSelector } from '../../model/placement-constraints.js';
import { ALL_ADDRESSES, podInfo, type AffinityTerm, type BoundPort, type PodInfo } from './pod-info.js';
import { selectorIndexKey } from '../../model/label-selector-matching.js';

/**
 * The running pods the stateful plugins look at (inter-pod affinity, topology spread, host
 * ports), kept from the simulator's onBind / onUnbind calls. Pods of one job share labels and
 * constraints, so pods are counted per (job, node): a selector is matched once per job, not once
 * per pod. Running jobs are indexed by their labels, and jobs carrying affinity terms by the label
 * their terms select, so a decision looks only at jobs that can match.
 */
export class PodTracker {
  /** job → node → running pods of that job on that node. */
  readonly jobNodes = new Map<number, Map<number, number>>();
  /** job → its pod description, for jobs with running pods. */
  readonly jobInfo = new Map<number, PodInfo>();
  /** `key=value` → running jobs whose pods carry that label. */
  private readonly byLabel = new Map<string, Set<number>>();
  /** Jobs with required anti-affinity terms, by the label a term selects ('' = not indexable). */
  private readonly antiTerms = new Map<string, Set<number>>();
  /** Jobs with any inter-pod (anti-)affinity term, by the label a term selects ('' = not indexable). */
  private readonly anyTerms = new Map<string, Set<number>>();
  /** node → `protocol/port` → host IP → pods binding it (kube's NodeInfo.UsedPorts). */
  private readonly ports = new Map<number, Map<string, Map<string, number>>>();

  bind(task: TaskView, node: number): void {
    const info = podInfo(task.constraints);
    let m = this.jobNodes.get(task.job);
    if (!m) {
      m = new Map();
      this.jobNodes.set(task.job, m);
      this.jobInfo.set(task.job, info);
      this.index(task.job, info, true);
    }
    m.set(node, (m.get(node) ?? 0) + 1);
    if (info.hostPorts.length > 0) {
      let p = this.ports.get(node);
      if (!p) this.ports.set(node, (p = new Map()));
      for (const hp of info.hostPorts) {
        let ips = p.get(hp.key);
        if (!ips) p.set(hp.key, (ips = new Map()));
        ips.set(hp.hostIP, (ips.get(hp.hostIP) ?? 0) + 1);
      }
    }
  }

  unbind(task: TaskView, node: number): void {
    const m = this.jobNodes.get(task.job);
    const c = m?.get(node);
    if (!m || c === undefined) return;
    if (c > 1) m.set(node, c - 1);
    else {
      m.delete(node);
      if (m.size === 0) {
        this.index(task.job, this.jobInfo.get(task.job)!, false);
        this.jobNodes.delete(task.job);
        this.jobInfo.delete(task.job);
      }
    }
    const info = podInfo(task.constraints);
    const p = this.ports.get(node);
    if (p) {
      for (const hp of info.hostPorts) {
        const ips = p.get(hp.key);
        if (!ips) continue;
        const k = ips.get(hp.hostIP) ?? 0;
        if (k > 1) ips.set(hp.hostIP, k - 1);
        else ips.delete(hp.hostIP);
        if (ips.size === 0) p.delete(hp.key);
      }
      if (p.size === 0) this.ports.delete(node);
    }
  }

  private index(job: number, info: PodInfo, add: boolean): void {
    const put = (map: Map<string, Set<number>>, key: string) => {
      let s = map.get(key);
      if (add) {
        if (!s) map.set(key, (s = new Set()));
        s.add(job);
      } else if (s) {
        s.delete(job);
        if (s.size === 0) map.delete(key);
      }
    };
    for (const k of Object.keys(info.labels)) put(this.byLabel, `${k}=${info.labels[k]}`);
    // A term whose selector is nil selects no pod and needs no index entry.
    const index = (map: Map<string, Set<number>>, t: AffinityTerm) => {
      if (t.indexKey !== undefined) put(map, t.indexKey);
    };
    for (const t of info.requiredAntiAffinity) index(this.antiTerms, t);
    for (const t of [...info.requiredAffinity, ...info.requiredAntiAffinity]) index(this.anyTerms, t);
    for (const w of [...info.preferredAffinity, ...info.preferredAntiAffinity]) index(this.anyTerms, w.term);
  }

  /** Running jobs that may match `selector` (a superset; callers still match each); none for a nil selector. */
  jobsSelectable(selector: LabelSelector | undefined): Iterable<number> {
    if (selector === undefined) return EMPTY;
    const key = selectorIndexKey(selector);
    if (key === undefined) return this.jobInfo.keys();
    return this.byLabel.get(key) ?? EMPTY;
  }

  /** Running jobs whose required anti-affinity terms may select a pod with these labels. */
  jobsWithAntiAffinityToward(labels: Readonly<Record<string, string>>): Set<number> {
    return this.termOwners(this.antiTerms, labels);
  }

  /** Running jobs with any affinity term that may select a pod with these labels. */
  jobsWithAffinityToward(labels: Readonly<Record<string, string>>): Set<number> {
    return this.termOwners(this.anyTerms, labels);
  }

  private termOwners(map: Map<string, Set<number>>, labels: Readonly<Record<string, string>>): Set<number> {
    const out = new Set<number>(map.get('') ?? EMPTY);
    if (map.size === 0) return out;
    for (const k of Object.keys(labels)) for (const j of map.get(`${k}=${labels[k]}`) ?? EMPTY) out.add(j);
    return out;
  }

  /**
   * framework.HostPortInfo.CheckConflict: the same protocol and port bound on the node at the same
   * host IP or at 0.0.0.0; a binding at 0.0.0.0 conflicts with the port at any IP.
   */
  portConflict(node: number, hp: BoundPort): boolean {
    const ips = this.ports.get(node)?.get(hp.key);
    if (!ips) return false;
    if (hp.hostIP === ALL_ADDRESSES) return ips.size > 0;
    return ips.has(hp.hostIP) || ips.has(ALL_ADDRESSES);
  }

  /** Running pods of a job on a node. */
  count(job: number, node: number): number {
    return this.jobNodes.get(job)?.get(node) ?? 0;
  }
}

const EMPTY: ReadonlySet<number> = new Set();
