import { UsageError } from '../../model/errors.js';
import type { Architecture, ArchitectureFactory, ArchitectureHost } from './architecture.js';
import { JobKind } from './architecture-jobs.js';
import type { DecisionTime } from './decision-time.js';
import { dominantShare, drfOrder } from './dominant-resource-fairness.js';
import { FRAMEWORK_NAMES, parseFrameworkWeights } from './framework-weights.js';
import { DecisionOutcome, SchedulerAgent } from './scheduler-agent.js';
import { passOverJob } from './job-pass.js';

export interface TwoLevelOptions {
  batch: DecisionTime;
  service: DecisionTime;
  /** Seconds a framework may hold an offer before the master rescinds it; default none. */
  offerTimeout?: number;
  /** Seconds a declined node stays filtered from the decliner's offers (Mesos refuse_seconds); default 5. */
  refuseSeconds?: number;
  /** Weighted-DRF weights, 'batch=1,service=2' (framework-weights.ts); default 1 each. */
  weights?: string;
}

/** Mesos' default refuse_seconds for a declined offer's filter (Mesos scheduler API, `Filters`). */
export const DEFAULT_REFUSE_SECONDS = 5;

/** One framework (a job kind's scheduler), its offer in hand and its refusal filters. Node arrays are node × dims. */
interface Framework {
  readonly index: number;
  readonly agent: SchedulerAgent;
  readonly weight: number;
  /** Holding an offer (deciding); no new offer until it answers. */
  deciding: boolean;
  /** The offer: its nodes, membership, amount per node (less what is accepted, at the answer). */
  offerNodes: Int32Array;
  offerCount: number;
  inOffer: Uint8Array;
  offered: Float64Array;
  /** The offer's resources are locked now (held in the cell). */
  locked: boolean;
  rescinded: boolean;
  offerTime: number;
  offerId: number;
  /** Offer nodes where another task could still fit (room in every dimension the cell has). */
  roomNodes: number;
  /** The decision: jobs, their decision times and tasks claimed; the claims (task, node). */
  jobs: number[];
  micros: number[];
  claimed: number[];
  claimTasks: number[];
  claimNodes: number[];
  /** Refusal filters: until when (µs) a node is filtered, and the amount declined there. */
  filterUntil: Float64Array;
  refused: Float64Array;
  /** host.choose's filter: the nodes of this framework's offer. */
  readonly allowed: (node: number) => boolean;
  readonly requeue: (job: number) => void;
}

/**
 * Two-level scheduling, Mesos style (Hindman et al., "Mesos", NSDI'11 §3; as modelled by the
 * Omega paper, Schwarzkopf et al. EuroSys'13 §3.2 and §4.2, and its simulator's MesosSimulator).
 * Two frameworks, `batch` and `service`, each a scheduler with its own decision time; a job goes to
 * the framework of its kind.
 *
 * - The master offers resources to **one framework at a time**: the one with the lowest weighted
 *   dominant share (DRF, Ghodsi et al. NSDI'11 §4–5; shares of the resources its running tasks
 *   hold, ties by framework order) among those with jobs queued and no offer in hand. Mesos'
 *   sorter also counts resources offered and not yet answered as allocated; here only one offer
 *   per framework is ever out and it is answered before the next DRF choice for that framework,
 *   so shares count running tasks only.
 * - An **offer** is everything free on every up node that is not locked in another offer and not
 *   filtered for that framework; it is made when some offered node has room in every dimension the
 *   cell has. Offered resources are **locked** (pessimistic concurrency, what the Omega paper
 *   criticizes): held in the cell (`Cluster.setHeld`) so no other framework sees them until the
 *   holder answers; `lockedTotal` reports them to the simulator.
 * - The framework dequeues jobs while the offer has room (the Omega simulator's Mesos framework
 *   keeps scheduling while something fits), choosing each task's node with the policy among the
 *   offer's nodes and within the offered amounts, and summing each job's decision time. It decides
 *   when the offer arrives; since the offer is locked, nothing it could see changes meanwhile.
 * - After the summed time it **answers**: accepted claims start, the rest is declined and released
 *   to the next DRF choice. Each node's declined amount is **filtered** from that framework's offers
 *   for `refuseSeconds` (Mesos' refuse_seconds filter, default 5 s; as in Mesos' allocator the
 *   filter holds only while the node has no more free than was declined). Jobs with tasks left go
 *   through host.finishAttempt (retry after 1 s, abandonment).
 * - **Offer timeout**: when the summed decision time exceeds `offerTimeout`, the master rescinds the
 *   offer at the timeout (its resources go to the next DRF choice). The framework learns it only
 *   when it answers: its whole decision is wasted and its jobs are booked as such and retried.
 */
export function twoLevel(o: TwoLevelOptions): ArchitectureFactory {
  const weights = parseFrameworkWeights(o.weights);
  if (o.offerTimeout !== undefined && !(Number.isFinite(o.offerTimeout) && o.offerTimeout > 0)) {
    throw new UsageError(`--offer-timeout: expected a number of seconds > 0, got ${o.offerTimeout}`);
  }
  const refuseSeconds = o.refuseSeconds ?? DEFAULT_REFUSE_SECONDS;
  if (!(Number.isFinite(refuseSeconds) && refuseSeconds >= 0)) {
    throw new UsageError(`--refuse-seconds: expected a number of seconds ≥ 0, got ${o.refuseSeconds}`);
  }
  const timeout = o.offerTimeout === undefined ? Infinity : Math.round(o.offerTimeout * 1e6);
  const refuse = Math.round(refuseSeconds * 1e6);
  return (host: ArchitectureHost): Architecture => {
    const jobs = host.jobs;
    const cluster = host.cluster;
    const D = jobs.dims;
    const times = [o.batch, o.service];
    const fw: Framework[] = FRAMEWORK_NAMES.map((name, index) => {
      const f: Framework = {
        index,
        agent: new SchedulerAgent(name, times[index], times[index]),
        weight: weights[index],
        deciding: false,
        offerNodes: new Int32Array(0),
        offerCount: 0,
        inOffer: new Uint8Array(0),
        offered: new Float64Array(0),
        locked: false,
        rescinded: false,
        offerTime: 0,
        offerId: 0,
        roomNodes: 0,
        jobs: [],
        micros: [],
        claimed: [],
        claimTasks: [],
        claimNodes: [],
        filterUntil: new Float64Array(0),
        refused: new Float64Array(0),
        allowed: (node) => f.inOffer[node] === 1,
        requeue: (job) => {
          f.agent.enqueue(job);
          tryOffer();
        },
      };
      return f;
    });
    const F = fw.length;

    const frameworkOf = (job: number) => (jobs.kind[job] === JobKind.Service ? 1 : 0);

    // Resources held by running tasks per framework (framework × dims), its DRF allocation.
    const allocated = new Float64Array(F * D);
    const shares = new Float64Array(F);
    const order = new Int32Array(F);
    const shareArea = new Float64Array(F);
    const start0 = host.now;
    let shareSince = host.now;
    const integrateShares = () => {
      const dt = host.now - shareSince;
      if (dt > 0) for (let f = 0; f < F; f++) shareArea[f] += dt * dominantShare(allocated, f * D, cluster.totalAllocatable);
      shareSince = host.now;
    };
    const addAllocation = (f: number, task: number, sign: number) => {
      integrateShares();
      for (let d = 0; d < D; d++) allocated[f * D + d] += sign * jobs.request[task * D + d];
    };

    const locked = new Float64Array(D);
    if ('lockedTotal' in host) (host as { lockedTotal?: () => Float64Array }).lockedTotal = () => locked;
    const heldScratch = new Float64Array(D);
    const req = new Float64Array(D);
    const requestOf = (task: number) => {
      for (let d = 0; d < D; d++) req[d] = jobs.request[task * D + d];
      return req;
    };

    let offers = 0;
    let rescinds = 0;
    let filtersCreated = 0;
    let nodesFiltered = 0;
    let holdSum = 0;
    let holdCount = 0;

    /** Could another task fit `node`: free room in every dimension the cell has. */
    const hasRoom = (node: number): boolean => {
      const free = cluster.free;
      for (let d = 0; d < D; d++) if (cluster.totalAllocatable[d] > 0 && !(free[node * D + d] > 0)) return false;
      return true;
    };

    const ensureNodes = (f: Framework) => {
      const n = cluster.nodeCount;
      if (f.inOffer.length >= n) return;
      const size = Math.max(n, f.inOffer.length * 2, 16);
      const grow = (a: Float64Array, len: number) => {
        const b = new Float64Array(len);
        b.set(a);
        return b;
      };
      f.offerNodes = new Int32Array(size);
      const io = new Uint8Array(size);
      io.set(f.inOffer);
      f.inOffer = io;
      f.offered = grow(f.offered, size * D);
      f.filterUntil = grow(f.filterUntil, size);
      f.refused = grow(f.refused, size * D);
    };

    /** Filtered: declined recently and no more free there now than was declined (Mesos' refused-resources filter). */
    const filtered = (f: Framework, node: number): boolean => {
      if (f.filterUntil[node] <= host.now) return false;
      const o = node * D;
      for (let d = 0; d < D; d++) if (cluster.free[o + d] > f.refused[o + d]) return false;
      return true;
    };

    /** Adds `sign` × the framework's offer to the cell's held amounts and the locked total. */
    const lock = (f: Framework, sign: number) => {
      host.lockedChanged();
      for (let i = 0; i < f.offerCount; i++) {
        const node = f.offerNodes[i];
        const o = node * D;
        for (let d = 0; d < D; d++) {
          heldScratch[d] = cluster.held[o + d] + sign * f.offered[o + d];
          locked[d] += sign * f.offered[o + d];
        }
        cluster.setHeld(node, heldScratch);
      }
      f.locked = sign > 0;
      if (sign < 0) {
        holdSum += host.now - f.offerTime;
        holdCount++;
      }
    };

    /** Offers `f` what is free for it now and lets it decide; false when there is nothing to offer. */
    const makeOffer = (f: Framework): boolean => {
      ensureNodes(f);
      const free = cluster.free;
      f.offerCount = 0;
      f.roomNodes = 0;
      for (let node = 0; node < cluster.nodeCount; node++) {
        if (!cluster.up[node] || cluster.cordoned[node]) continue;
        const o = node * D;
        let any = false;
        for (let d = 0; d < D; d++) if (free[o + d] > 0) any = true;
        if (!any) continue;
        if (filtered(f, node)) {
          nodesFiltered++;
          continue;
        }
        f.offerNodes[f.offerCount++] = node;
        f.inOffer[node] = 1;
        for (let d = 0; d < D; d++) f.offered[o + d] = free[o + d];
        if (hasRoom(node)) f.roomNodes++;
      }
      if (f.roomNodes === 0) {
        for (let i = 0; i < f.offerCount; i++) f.inOffer[f.offerNodes[i]] = 0;
        f.offerCount = 0;
        return false;
      }
      offers++;
      f.offerId++;
      f.offerTime = host.now;
      f.deciding = true;
      f.rescinded = false;
      f.agent.begin(host.now);
      // Decide now against the offer: claims are bound for the while so a job's tasks (and the
      // next job's) see each other, then unbound and the whole offer locked.
      let total = 0;
      const agent = f.agent;
      while (agent.queue.length > 0 && f.roomNodes > 0) {
        const job = agent.queue.shift();
        const micros = agent.thinkMicros(jobs.kind[job] as JobKind, host.unplaced(job));
        total += micros;
        const claimed = passOverJob(host, job, (t, node) => {
          const room = hasRoom(node);
          host.tentativeBind(t, node);
          if (room && !hasRoom(node)) f.roomNodes--;
          f.claimTasks.push(t);
          f.claimNodes.push(node);
        }, f.allowed);
        f.jobs.push(job);
        f.micros.push(micros);
        f.claimed.push(claimed);
      }
      for (let i = f.claimTasks.length - 1; i >= 0; i--) host.tentativeUnbind(f.claimTasks[i], f.claimNodes[i]);
      lock(f, 1);
      if (total > timeout) host.at(host.now + timeout, rescindFire, f.index, f.offerId);
      host.at(host.now + total, answerFire, f.index);
      return true;
    };

    const rescindFire = (fi: number, id: number) => {
      const f = fw[fi];
      if (!f.deciding || f.offerId !== id || !f.locked) return;
      lock(f, -1);
      f.rescinded = true;
      rescinds++;
      tryOffer();
    };

    const answerFire = (fi: number) => {
      const f = fw[fi];
      const agent = f.agent;
      const s = agent.stats;
      if (f.locked) lock(f, -1);
      if (!f.rescinded) {
        for (let i = 0; i < f.claimTasks.length; i++) {
          const t = f.claimTasks[i];
          const node = f.claimNodes[i];
          // The offer was locked, so the claim still fits (ending tasks only add room) unless its
          // machine was removed meanwhile: that claim is lost and the job retries.
          if (!cluster.fits(node, requestOf(t))) {
            s.claimsConflicted++;
            continue;
          }
          host.start(t, node);
          addAllocation(fi, t, 1);
          const o = node * D;
          for (let d = 0; d < D; d++) f.offered[o + d] -= jobs.request[t * D + d];
        }
        // What was not accepted is declined: filter it from this framework's offers for refuse_seconds.
        let anyFilter = false;
        for (let i = 0; refuse > 0 && i < f.offerCount; i++) {
          const node = f.offerNodes[i];
          const o = node * D;
          let declined = false;
          for (let d = 0; d < D; d++) {
            f.refused[o + d] = f.offered[o + d];
            if (f.offered[o + d] > 0) declined = true;
          }
          if (!declined) continue;
          f.filterUntil[node] = host.now + refuse;
          filtersCreated++;
          anyFilter = true;
        }
        if (anyFilter) host.at(host.now + refuse, tryOfferFire);
      }
      for (let i = 0; i < f.offerCount; i++) f.inOffer[f.offerNodes[i]] = 0;
      f.offerCount = 0;
      f.deciding = false;
      for (let i = 0; i < f.jobs.length; i++) {
        let outcome = DecisionOutcome.Wasted;
        if (!f.rescinded) {
          outcome = f.claimed[i] > 0 ? DecisionOutcome.Useful : DecisionOutcome.NoFit;
          if (f.claimed[i] > 0) {
            s.transactions++;
            s.claimsCommitted += f.claimed[i];
          }
        }
        host.finishAttempt(agent, f.jobs[i], f.micros[i], outcome, f.requeue);
      }
      f.jobs.length = f.micros.length = f.claimed.length = f.claimTasks.length = f.claimNodes.length = 0;
      tryOffer();
    };

    /** The master's allocation round: offers to each waiting framework in DRF order what is left for it. */
    const tryOffer = () => {
      let waiting = false;
      for (const f of fw) {
        shares[f.index] = dominantShare(allocated, f.index * D, cluster.totalAllocatable, f.weight);
        if (!f.deciding && f.agent.queue.length > 0) waiting = true;
      }
      if (!waiting) return;
      drfOrder(shares, order);
      for (let k = 0; k < F; k++) {
        const f = fw[order[k]];
        if (!f.deciding && f.agent.queue.length > 0) makeOffer(f);
      }
    };
    const tryOfferFire = () => tryOffer();

    return {
      name: 'two-level',
      schedulers: fw.map((f) => f.agent),
      submit(job) {
        fw[frameworkOf(job)].agent.enqueue(job);
        tryOffer();
      },
      taskEnded(task) {
        addAllocation(frameworkOf(jobs.taskJob[task]), task, -1);
        tryOffer();
      },
      taskEvicted(task) {
        addAllocation(frameworkOf(jobs.taskJob[task]), task, -1);
      },
      nodeRemoved(node) {
        // An offer on a leaving machine loses it: its lock goes (the machine comes back, if ever, empty).
        const o = node * D;
        for (const f of fw) {
          if (!f.locked || node >= f.inOffer.length || !f.inOffer[node]) continue;
          host.lockedChanged();
          for (let d = 0; d < D; d++) {
            heldScratch[d] = cluster.held[o + d] - f.offered[o + d];
            locked[d] -= f.offered[o + d];
            f.offered[o + d] = 0;
          }
          cluster.setHeld(node, heldScratch);
        }
      },
      extraResults() {
        integrateShares();
        const window = host.now - start0;
        const shareMean: Record<string, number> = {};
        const weightOut: Record<string, number> = {};
        fw.forEach((f) => {
          shareMean[f.agent.stats.name] = window > 0 ? shareArea[f.index] / window : 0;
          weightOut[f.agent.stats.name] = f.weight;
        });
        return {
          offers,
          offersRescinded: rescinds,
          declineFilters: filtersCreated,
          nodesFilteredFromOffers: nodesFiltered,
          meanOfferHoldSeconds: holdCount > 0 ? holdSum / holdCount / 1e6 : 0,
          dominantShareMean: shareMean,
          frameworkWeights: weightOut,
          refuseSeconds,
          offerTimeoutSeconds: o.offerTimeout ?? null,
        };
      },
    };
  };
}
