import { UsageError } from '../model/errors.js';
import { ARCHITECTURES, parseArchitectureName, type ArchitectureSpec } from '../harness/architectures/architecture-spec.js';
import { positiveInt, text } from './options.js';

/** A decision time or delay in seconds: a finite number ≥ 0 (negative is a usage error naming the option). */
function seconds(option: string) {
  return (v: unknown): number => {
    if (Array.isArray(v)) throw new UsageError(`--${option}: given more than once; give it once`);
    const n = typeof v === 'boolean' || String(v).trim() === '' ? NaN : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${option}: expected a number of seconds ≥ 0, got '${String(v)}'`);
    return n;
  };
}

/** Options of the architecture simulator (harness/architectures/), for replay and experiment architectures. */
export const architectureOptions = {
  architecture: { type: 'string', coerce: (v: unknown) => parseArchitectureName(text('architecture')(v)), describe: `scheduler architecture with decision time modelled: ${ARCHITECTURES.join(', ')} (default: none, today's instantaneous scheduler)` },
  't-job': { type: 'number', coerce: seconds('t-job'), describe: 'architecture: decision time per job attempt, s (Omega paper default 0.1)' },
  't-task': { type: 'number', coerce: seconds('t-task'), describe: 'architecture: decision time per unplaced task, s (Omega paper default 0.005)' },
  'service-t-job': { type: 'number', coerce: seconds('service-t-job'), describe: 'architecture: the service path or scheduler t_job, s (default --t-job)' },
  'service-t-task': { type: 'number', coerce: seconds('service-t-task'), describe: 'architecture: the service path or scheduler t_task, s (default --t-task)' },
  schedulers: { type: 'number', coerce: positiveInt('schedulers', 64), describe: 'shared-state: parallel batch schedulers (default 1; the service scheduler is one more)' },
  conflict: { type: 'string', choices: ['coarse', 'fine'], describe: 'shared-state: conflict detection, machine sequence numbers (coarse) or resource fit (fine, default)' },
  commit: { type: 'string', choices: ['incremental', 'gang'], describe: 'shared-state: incremental (default) or all-or-nothing (gang) transactions' },
  'offer-timeout': { type: 'number', coerce: seconds('offer-timeout'), describe: 'two-level: seconds before the master rescinds a held offer (default none)' },
  'refuse-seconds': { type: 'number', coerce: seconds('refuse-seconds'), describe: 'two-level: seconds a declined machine is filtered from the framework (Mesos refuse_seconds, default 5)' },
  'framework-weights': { type: 'string', coerce: text('framework-weights'), describe: "two-level: weighted DRF, e.g. 'batch=1,service=2' (default 1 each)" },
  'queue-config': { type: 'string', coerce: text('queue-config'), describe: 'queues: a YARN capacity-scheduler.xml or fair-scheduler.xml (default: a batch and a service queue, 50% each)' },
} as const;

export interface ArchitectureArgs {
  architecture?: ArchitectureSpec['architecture'];
  tJob?: number;
  tTask?: number;
  serviceTJob?: number;
  serviceTTask?: number;
  schedulers?: number;
  conflict?: 'coarse' | 'fine';
  commit?: 'incremental' | 'gang';
  offerTimeout?: number;
  refuseSeconds?: number;
  frameworkWeights?: string;
  queueConfig?: string;
}

/** Which architecture options belong to which architecture, so one given to another is reported. */
const OWN: Record<string, ArchitectureSpec['architecture'][]> = {
  schedulers: ['shared-state'],
  conflict: ['shared-state'],
  commit: ['shared-state'],
  offerTimeout: ['two-level'],
  refuseSeconds: ['two-level'],
  frameworkWeights: ['two-level'],
  queueConfig: ['queues'],
};
const FLAG: Record<string, string> = { schedulers: '--schedulers', conflict: '--conflict', commit: '--commit', offerTimeout: '--offer-timeout', refuseSeconds: '--refuse-seconds', frameworkWeights: '--framework-weights', queueConfig: '--queue-config' };

/** The architecture settings of the arguments (the Omega paper's decision times by default). */
export function architectureSpecFromArgs(a: ArchitectureArgs, architecture: ArchitectureSpec['architecture']): ArchitectureSpec {
  for (const [k, owners] of Object.entries(OWN)) {
    if (a[k as keyof ArchitectureArgs] !== undefined && !owners.includes(architecture)) {
      throw new UsageError(`${FLAG[k]}: applies to --architecture ${owners.join(' or ')}, not ${architecture}`);
    }
  }
  return {
    architecture,
    tJob: a.tJob ?? 0.1,
    tTask: a.tTask ?? 0.005,
    serviceTJob: a.serviceTJob,
    serviceTTask: a.serviceTTask,
    schedulers: a.schedulers,
    conflict: a.conflict,
    commit: a.commit,
    offerTimeout: a.offerTimeout,
    refuseSeconds: a.refuseSeconds,
    frameworkWeights: a.frameworkWeights,
    queueConfig: a.queueConfig,
  };
}

/** Architecture options given without --architecture are a mistake (they would be ignored). */
export function checkNoArchitectureOptions(a: ArchitectureArgs): void {
  const given = (['tJob', 'tTask', 'serviceTJob', 'serviceTTask', ...Object.keys(OWN)] as Array<keyof ArchitectureArgs>).filter((k) => a[k] !== undefined);
  if (given.length > 0) {
    const flag = (k: string) => FLAG[k] ?? `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new UsageError(`${given.map(flag).join(', ')}: appl${given.length === 1 ? 'ies' : 'y'} only with --architecture`);
  }
}
