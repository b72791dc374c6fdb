/**
 * What names a workload to open, as plain data shared by the CLI options, ReplaySpec (run.json,
 * compare workers) and `trace convert`: a trace path or 'synthetic' with the generator's sizes and
 * the instance type of its nodes (from the catalog).
 */
export interface WorkloadSource {
  /** 'synthetic' (the embedded generator) or a trace path. */
  workload: string;
  /** Trace format instead of auto-detection. */
  format?: string;
  seed: number;
  /** Synthetic: nodes; also traces without machines (Kubernetes manifests without Node objects). */
  nodes: number;
  /** Synthetic: tasks. */
  tasks: number;
  /** Synthetic: arrival window and replay length, hours. */
  hours: number;
  /** Instance type name in the catalog. */
  instance: string;
  /** Instance catalog file (default model/instance-catalog.json). */
  catalog?: string;
  /** Generated nodes (synthetic, manifests without Node objects): zone count, default 3 (workloads/generated-nodes.ts). */
  zones?: number;
  /** Synthetic: the standing population at t = 0: 'auto', 'none' or a task count (workloads/synthetic/generator.ts). */
  standing?: 'auto' | 'none' | number;
  /** Synthetic: the daily cycle of the arrival rate. */
  diurnal?: boolean;
}

/** The synthetic Borg-like default: 100 × m5.2xlarge, 20,000 tasks arriving over 24 h (the CLI's defaults). */
export const WORKLOAD_DEFAULTS = { nodes: 100, tasks: 20_000, hours: 24, instance: 'm5.2xlarge' } as const;
