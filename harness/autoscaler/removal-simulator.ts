import type { ReactionHost } from '../reactions/reaction-host.js';
import type { Workload } from '../../model/workload.js';
import { constraintsAdmit } from './node-eligibility.js';

/** The disruption-budget view the autoscaler needs (harness/reactions/disruption-budgets.ts). */
export interface DisruptionBudgetView {
  /** Budgets (indices into Workload.disruptionBudgets) that select the task's job. */
  budgetsOf(task: number): readonly number[];
  /** disruptionsAllowed now (currentHealthy − desiredHealthy; may be ≤ 0). */
  allowed(budget: number): number;
}

/** Why a node cannot be removed (or 'ok'). */
export type RemovalVerdict = 'ok' | 'not-movable' | 'pdb' | 'no-room';

/**
 * What a pod on a node being removed means (cluster-autoscaler FAQ.md "What types of pods can
 * prevent CA from removing a node?", "How does scale-down work?"): DaemonSet pods run on every
 * node and are not moved; pods below the expendable-pods priority cutoff are killed without
 * consideration; a pod already terminating needs no new place; a pod no controller recreates
 * (a bare Pod), with local storage or with `safe-to-evict: "false"` (JobController.movable =
 * false) blocks the removal; any other pod must fit elsewhere.
 */
export const enum PodMobility {
  Movable = 0,
  Daemon = 1,
  Expendable = 2,
  Terminating = 3,
  Blocking = 4,
}

export function podMobility(host: ReactionHost, workload: Workload, task: number, cutoff: number): PodMobility {
  const c = workload.controllers?.[host.tasks.job[task]];
  if (c?.kind === 'DaemonSet') return PodMobility.Daemon;
  if (host.tasks.priority[task] < cutoff) return PodMobility.Expendable;
  if (host.isTerminating(task)) return PodMobility.Terminating;
  // No controller known (a trace task): the simulator itself resubmits it, as Borg would.
  if (c !== undefined && (c.kind === 'Pod' || c.movable === false)) return PodMobility.Blocking;
  return PodMobility.Movable;
}

/**
 * The drain simulation behind scale-down and consolidation (cluster-autoscaler
 * simulator/RemovalSimulator; Karpenter's scheduling simulation of a node's pods): can every pod
 * of a node that must move find room on another node — not one being removed, not down, not
 * cordoned, one whose labels and taints its constraints admit — with the disruption budgets
 * allowing each? Successful removals within one `begin()` accumulate: the pods they moved take
 * the room they found, their budgets' disruptions are used, and their node is no destination, so
 * two nodes never count on the same free room (the FAQ's "which nodes depend on which other nodes
 * in terms of pod migration").
 *
 * A pod's destination is found next fit (findRoom): exact — a pod is said to have no room only
 * when no node has it.
 */
export class RemovalSimulator {
  private readonly excluded = new Set<number>();
  /** Room already promised to moved pods, per destination node, and the pods moved there. */
  private readonly promised = new Map<number, Float64Array>();
  private readonly incoming = new Map<number, number[]>();
  /** Disruptions already used per budget. */
  private readonly used = new Map<number, number>();
  /** One window of the search. */
  private readonly scratch = new Int32Array(16);
  /** Where the next search starts (next fit). */
  private cursor = 0;

  constructor(
    private readonly host: ReactionHost,
    private readonly budgets: DisruptionBudgetView | undefined,
    private readonly cutoff: number,
  ) {}

  /** A new round: no node excluded, no room promised, no budget used. */
  begin(): void {
    this.excluded.clear();
    this.promised.clear();
    this.incoming.clear();
    this.used.clear();
  }

  /** Takes a node out of the destinations (it is being removed, or about to be). */
  exclude(node: number): void {
    this.excluded.add(node);
  }

  isExcluded(node: number): boolean {
    return this.excluded.has(node);
  }

  /**
   * Would removing `node` work? Its movable pods must find room, and so must the pods an earlier
   * removal of this round moved onto it (upstream's snapshot holds them there). On 'ok' the new
   * places and budget use are kept and the node is excluded; otherwise nothing changes. With
   * `leftovers` (Karpenter's replacement), a pod without room does not stop the simulation: it
   * is listed there, the others keep their places, and the verdict is 'no-room' if any was
   * listed (call begin() to discard the round).
   */
  tryRemove(node: number, leftovers?: number[]): RemovalVerdict {
    const host = this.host;
    const workload = host.workload;
    const D = host.cluster.dims;
    const vectors = host.admissionVectors();
    const moving: number[] = [];
    for (let task = host.firstOn(node); task >= 0; task = host.nextOn(task)) {
      const m = podMobility(host, workload, task, this.cutoff);
      if (m === PodMobility.Blocking) return 'not-movable';
      if (m === PodMobility.Movable) moving.push(task);
    }
    // Budgets: every pod of the node moved is one disruption of each budget selecting it (pods
    // moved here in this round were counted when they were moved).
    const budgetUse = new Map<number, number>();
    if (this.budgets) {
      for (const task of moving) {
        for (const b of this.budgets.budgetsOf(task)) {
          const n = (budgetUse.get(b) ?? 0) + 1;
          budgetUse.set(b, n);
          if ((this.used.get(b) ?? 0) + n > this.budgets.allowed(b)) return 'pdb';
        }
      }
    }
    const incoming = this.incoming.get(node) ?? [];
    const all = incoming.length > 0 ? [...moving, ...incoming] : moving;
    this.excluded.add(node);
    const placed: Array<[number, number]> = [];
    for (const task of all) {
      const req = vectors.subarray(task * D, task * D + D);
      const dest = this.findRoom(task, req);
      if (dest < 0 && leftovers) {
        leftovers.push(task);
        continue;
      }
      if (dest < 0) {
        // Undo: the node stays, the room taken is given back.
        for (const [t, n] of placed) this.unpromise(n, t);
        this.excluded.delete(node);
        return 'no-room';
      }
      this.promise(dest, req, task);
      placed.push([task, dest]);
    }
    // The pods moved here earlier have gone on: nothing is promised on this node any more.
    this.promised.delete(node);
    this.incoming.delete(node);
    for (const [b, n] of budgetUse) this.used.set(b, (this.used.get(b) ?? 0) + n);
    return leftovers && leftovers.length > 0 ? 'no-room' : 'ok';
  }

  /**
   * Pending pods that the nodes there already can take (upstream's filterOutSchedulable: the
   * scheduler will place them; no scale-up for them): per equivalence group, pods are given room
   * one by one, first fit, until one finds none (the rest of its group, same shape and
   * constraints, would not either). Returns how many of each group found room. The room stays
   * promised for the round: a removal then has to find those pods another place too.
   */
  placeOnExisting(groups: ReadonlyArray<{ request: Float64Array; tasks: readonly number[] }>): Int32Array {
    const out = new Int32Array(groups.length);
    groups.forEach((g, gi) => {
      for (const task of g.tasks) {
        const dest = this.findRoom(task, g.request);
        if (dest < 0) break;
        this.promise(dest, g.request, task);
        out[gi]++;
      }
    });
    return out;
  }

  /** Promises `req` of a node's free room to `task` (a pod simulated there: moved there, or pending; -1: nobody to move on). */
  promise(node: number, req: Float64Array, task = -1): void {
    let p = this.promised.get(node);
    if (!p) {
      p = new Float64Array(req.length);
      this.promised.set(node, p);
    }
    for (let d = 0; d < req.length; d++) p[d] += req[d];
    if (task < 0) return;
    const list = this.incoming.get(node);
    if (list) list.push(task);
    else this.incoming.set(node, [task]);
  }

  private unpromise(node: number, task: number): void {
    const D = this.host.cluster.dims;
    const v = this.host.admissionVectors();
    const p = this.promised.get(node)!;
    for (let d = 0; d < D; d++) p[d] -= v[task * D + d];
    const list = this.incoming.get(node)!;
    list.splice(list.lastIndexOf(task), 1);
  }

  /**
   * A node with room for `req` beyond what is promised, that the pod may use (-1: none): next fit,
   * the search going on from where the last one ended, in windows of a few nodes from the
   * cluster's feasibility index (which never offers a node without room) until a node is found or
   * the whole circle of nodes has been looked at — exact, and the nodes already promised or being
   * removed, which gather where earlier searches ended, are not walked again and again.
   */
  findRoom(task: number, req: Float64Array): number {
    const host = this.host;
    const cluster = host.cluster;
    const D = cluster.dims;
    const N = cluster.nodeCount;
    if (N === 0) return -1;
    const constraints = host.workload.jobConstraints?.[host.tasks.job[task]];
    const W = this.scratch.length;
    let start = this.cursor < N ? this.cursor : 0;
    for (let advanced = 0; advanced < N; ) {
      const found = cluster.feasible(req, start, W, this.scratch);
      for (let i = 0; i < found; i++) {
        const n = this.scratch[i];
        if (this.excluded.has(n) || host.isNodeDown(n)) continue;
        const p = this.promised.get(n);
        if (p) {
          let ok = true;
          for (let d = 0; d < D; d++) if (req[d] + p[d] > cluster.free[n * D + d]) ok = false;
          if (!ok) continue;
        }
        if (constraints !== undefined && !constraintsAdmit(constraints, cluster.ids[n], cluster.labels[n], cluster.specs[n].taints, cluster.specs[n].gpuModel)) continue;
        this.cursor = n;
        return n;
      }
      // Fewer than asked: the index went round the whole circle.
      if (found < W) return -1;
      const stop = cluster.lastStop();
      advanced += stop > start ? stop - start : N - start + stop;
      start = stop >= N ? 0 : stop;
    }
    return -1;
  }
}
