/**
 * One trace benchmark run in its own process, so peak RSS is that run's alone. Prints one JSON line.
 *   node trace-replay-child.js '{"source":"csv"|"native","path":"...","mode":"replay"|"read","policy":"kube-default"}'
 * mode 'replay': open the workload, replay it to its end; 'read': open it and make one full pass
 * over its task batches (what a replay costs in input alone).
 */
import { replay } from '../harness/replay.js';
import { loadPolicy } from '../harness/load-policy.js';
import { instanceType, loadCatalog } from '../model/instance-catalog.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { readNativeWorkload } from '../workloads/native/reader.js';

export interface TraceRunSpec {
  source: 'csv' | 'native';
  path: string;
  mode: 'replay' | 'read';
  policy: string;
  seed?: number;
  instance?: string;
}

export interface TraceRunResult {
  /** Opening the workload (for CSV: the reader's first pass over task_events). */
  openSeconds: number;
  /** The replay (or the full pass over batches), which for CSV includes the second parse. */
  runSeconds: number;
  totalSeconds: number;
  tasks: number;
  machines: number;
  peakRssBytes: number;
  /** Replay only: headline figures, to check both sources give the same run. */
  scheduled?: number;
  pendingAtEnd?: number;
  cpuRequested?: number | null;
}

const spec = JSON.parse(process.argv[2]) as TraceRunSpec;
const t0 = performance.now();
const workload = spec.source === 'csv' ? await readGoogle2011(spec.path) : await readNativeWorkload(spec.path);
const t1 = performance.now();
let out: TraceRunResult;
if (spec.mode === 'read') {
  let tasks = 0;
  let check = 0;
  for await (const b of workload.taskBatches()) {
    tasks += b.count;
    check += b.submitTime[b.count - 1];
  }
  if (Number.isNaN(check)) throw new Error('unexpected NaN submit time');
  const t2 = performance.now();
  out = { openSeconds: (t1 - t0) / 1000, runSeconds: (t2 - t1) / 1000, totalSeconds: (t2 - t0) / 1000, tasks, machines: workload.machines.length, peakRssBytes: 0 };
} else {
  const catalog = loadCatalog();
  const inst = instanceType(catalog, spec.instance ?? 'm5.2xlarge');
  const { summary } = await replay({
    workload,
    policy: await loadPolicy(spec.policy),
    seed: spec.seed ?? 1,
    pricing: { instance: inst.name, pricePerHour: inst.pricePerHour, region: catalog.region, priceDate: catalog.priceDate },
  });
  const t2 = performance.now();
  out = {
    openSeconds: (t1 - t0) / 1000,
    runSeconds: (t2 - t1) / 1000,
    totalSeconds: (t2 - t0) / 1000,
    tasks: summary.tasks.submitted,
    machines: workload.machines.length,
    peakRssBytes: 0,
    scheduled: summary.tasks.scheduled,
    pendingAtEnd: summary.tasks.pendingAtEnd,
    cpuRequested: summary.utilization.requested.cpu?.mean ?? null,
  };
}
out.peakRssBytes = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify(out) + '\n');
