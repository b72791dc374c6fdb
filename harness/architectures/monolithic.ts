import type { Architecture, ArchitectureHost } from './architecture.js';
import { JobKind } from './architecture-jobs.js';
import type { DecisionTime } from './decision-time.js';
import { DecisionOutcome, SchedulerAgent } from './scheduler-agent.js';
import { passOverJob } from './job-pass.js';

/**
 * The monolithic architecture (Omega paper §3.1 and §4.1): one scheduler, one queue, one job at a
 * time. **Single-path**: every job costs the same decision time. **Multi-path**: service jobs take
 * the slow path (their own decision time), batch jobs the fast one — still one scheduler, so a slow
 * service decision holds up the batch jobs behind it (head-of-line blocking, Figure 5).
 *
 * As in the Omega simulator's MonolithicScheduler, the scheduler looks at the cell when its
 * decision time has passed (it owns the whole cell, so nobody else changes it meanwhile but
 * ending tasks, which only add room), places what fits, and a job with tasks left goes back to the
 * queue after 1 s.
 */
export function monolithic(batch: DecisionTime, service?: DecisionTime): (host: ArchitectureHost) => Architecture {
  return (host) => {
    const multi = service !== undefined && (service.perJob !== batch.perJob || service.perTask !== batch.perTask);
    const agent = new SchedulerAgent('monolithic', batch, service ?? batch);
    const requeue = (job: number) => {
      agent.enqueue(job);
      tryStart();
    };
    const place = (t: number, node: number) => host.start(t, node);
    const decide = (job: number, micros: number) => {
      const placedNow = passOverJob(host, job, place);
      if (placedNow > 0) {
        agent.stats.transactions++;
        agent.stats.claimsCommitted += placedNow;
      }
      host.finishAttempt(agent, job, micros, placedNow > 0 ? DecisionOutcome.Useful : DecisionOutcome.NoFit, requeue);
      tryStart();
    };
    const tryStart = () => {
      if (agent.busy || agent.queue.length === 0) return;
      const job = agent.queue.shift();
      const micros = agent.thinkMicros(host.jobs.kind[job] as JobKind, host.unplaced(job));
      agent.begin(host.now);
      host.at(host.now + micros, (j) => decide(j, micros), job);
    };
    return {
      name: multi ? 'monolithic (multi-path)' : 'monolithic',
      schedulers: [agent],
      submit(job) {
        agent.enqueue(job);
        tryStart();
      },
    };
  };
}
