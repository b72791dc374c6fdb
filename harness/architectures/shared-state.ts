import type { Architecture, ArchitectureHost } from './architecture.js';
import { JobKind } from './architecture-jobs.js';
import type { DecisionTime } from './decision-time.js';
import { DecisionOutcome, SchedulerAgent } from './scheduler-agent.js';
import { passOverJob } from './job-pass.js';

/** How a commit tells a conflict (Omega paper §3.4 and §5.2). */
export type ConflictDetection = 'coarse' | 'fine';
/** Incremental: keep the claims that did not conflict. Gang (all-or-nothing): any conflict voids the transaction. */
export type CommitMode = 'incremental' | 'gang';

export interface SharedStateOptions {
  batch: DecisionTime;
  service: DecisionTime;
  /** Batch schedulers working in parallel (jobs dealt round-robin); the service scheduler is one more. Default 1. */
  batchSchedulers?: number;
  conflict?: ConflictDetection;
  commit?: CommitMode;
}

/** One scheduler's transaction in flight: its claims (task, node, the node's sequence number in the snapshot). */
interface Transaction {
  job: number;
  micros: number;
  tasks: number[];
  nodes: number[];
  seqs: number[];
}

/**
 * Shared-state scheduling (Omega, Schwarzkopf et al. EuroSys'13 §3.4): each scheduler takes a
 * snapshot of the whole cell, decides a job against it during its decision time, and commits its
 * claims optimistically. A claim **conflicts** when, at commit, its machine
 * - changed at all since the snapshot (**coarse**: the machine's sequence number moved, bumped by
 *   every committed placement), or
 * - no longer has room for it (**fine**: the resource-fit check, which ignores changes that leave
 *   room).
 * **Incremental** commits keep the claims that did not conflict; **gang** (all-or-nothing) voids the
 * whole transaction on any conflict, and a scheduler in gang mode sends a transaction only when it
 * found room for every unplaced task of the job ("either all tasks of a job are scheduled together,
 * or none are", §3.4). A transaction with a conflict is a wasted decision (its whole
 * time, as the Omega simulator books it); the job retries with its tasks still unplaced.
 *
 * The snapshot is the cell at the transaction's start: claims are bound tentatively while the
 * scheduler chooses (so a job's tasks see each other; the policy is told, as for real binds) and
 * unbound before anyone else acts, so no copy of the cell is made.
 */
export function sharedState(o: SharedStateOptions): (host: ArchitectureHost) => Architecture {
  return (host) => {
    const nBatch = o.batchSchedulers ?? 1;
    const conflict = o.conflict ?? 'fine';
    const commit = o.commit ?? 'incremental';
    const batch: SchedulerAgent[] = [];
    for (let i = 0; i < nBatch; i++) batch.push(new SchedulerAgent(nBatch === 1 ? 'batch' : `batch-${i + 1}`, o.batch, o.batch));
    const service = new SchedulerAgent('service', o.service, o.service);
    const all = [...batch, service];
    const inFlight: Array<Transaction | undefined> = all.map(() => undefined);
    let roundRobin = 0;
    const D = host.jobs.dims;
    const req = new Float64Array(D);
    const requestOf = (task: number) => {
      for (let d = 0; d < D; d++) req[d] = host.jobs.request[task * D + d];
      return req;
    };
    const agentOfJob = (job: number) => (host.jobs.kind[job] === JobKind.Service ? all.length - 1 : roundRobin++ % nBatch);
    let conflictedClaimsByCoarseOnly = 0;

    const tryStart = (a: number) => {
      const agent = all[a];
      if (agent.busy || agent.queue.length === 0) return;
      const job = agent.queue.shift();
      const jobs = host.jobs;
      const tx: Transaction = { job, micros: agent.thinkMicros(jobs.kind[job] as JobKind, host.unplaced(job)), tasks: [], nodes: [], seqs: [] };
      // Decide on the snapshot: bind claims temporarily so the job's own tasks see each other.
      passOverJob(host, job, (t, node) => {
        tx.tasks.push(t);
        tx.nodes.push(node);
        tx.seqs.push(host.nodeSeq[node]);
        host.tentativeBind(t, node);
      });
      for (let i = tx.tasks.length - 1; i >= 0; i--) host.tentativeUnbind(tx.tasks[i], tx.nodes[i]);
      // Gang scheduling places all of a job's tasks together or none: a partial claim is not sent.
      if (commit === 'gang' && tx.tasks.length < host.unplaced(job)) tx.tasks.length = tx.nodes.length = tx.seqs.length = 0;
      inFlight[a] = tx;
      agent.begin(host.now);
      host.at(host.now + tx.micros, () => finish(a));
    };

    const conflicts = (i: number, tx: Transaction): boolean => {
      const node = tx.nodes[i];
      if (!host.cluster.up[node]) return true;
      const fits = host.cluster.fits(node, requestOf(tx.tasks[i]));
      if (conflict === 'fine') return !fits;
      const moved = host.nodeSeq[node] !== tx.seqs[i];
      if (moved && fits) conflictedClaimsByCoarseOnly++;
      return moved || !fits;
    };

    const finish = (a: number) => {
      const agent = all[a];
      const tx = inFlight[a]!;
      inFlight[a] = undefined;
      const s = agent.stats;
      let outcome = DecisionOutcome.NoFit;
      if (tx.tasks.length > 0) {
        s.transactions++;
        // The claims' verdicts are taken before any is applied: a claim's own transaction never conflicts with it.
        const bad = tx.tasks.map((_, i) => conflicts(i, tx));
        let nBad = 0;
        for (const b of bad) if (b) nBad++;
        if (nBad > 0) {
          s.conflicted++;
          outcome = DecisionOutcome.Wasted;
        } else outcome = DecisionOutcome.Useful;
        const apply = nBad === 0 || commit === 'incremental';
        let committed = 0;
        if (apply) {
          for (let i = 0; i < tx.tasks.length; i++) {
            if (bad[i]) continue;
            // Claims of one transaction on one node fit together in the snapshot; a fine check after
            // others' commits may still find only room for some of them.
            if (!host.cluster.fits(tx.nodes[i], requestOf(tx.tasks[i]))) {
              bad[i] = true;
              nBad++;
              continue;
            }
            host.start(tx.tasks[i], tx.nodes[i]);
            committed++;
          }
        }
        s.claimsCommitted += committed;
        s.claimsConflicted += tx.tasks.length - committed;
      }
      host.finishAttempt(agent, tx.job, tx.micros, outcome, (j) => {
        agent.enqueue(j);
        tryStart(a);
      });
      tryStart(a);
    };

    return {
      name: 'shared-state',
      schedulers: all,
      submit(job) {
        const a = agentOfJob(job);
        all[a].enqueue(job);
        tryStart(a);
      },
      extraResults: () => ({ conflictDetection: conflict, commit, batchSchedulers: nBatch, coarseOnlyConflictedClaims: conflictedClaimsByCoarseOnly }),
    };
  };
}
