import type { KubeletFlags } from './kubelet/kubelet-config.js';

/**
 * The node-dynamics settings of a replay as plain data (what the CLI parses, what run.json stores
 * and a compare worker receives): usage over time, kubelet eviction and reservations in the
 * kubelet's own flag syntax (KubeletFlags: `--eviction-hard`, ..., `--housekeeping-seconds`), and
 * overcommit. Parsed and checked by harness/node-dynamics-config.ts.
 */
export interface DynamicsSpec extends KubeletFlags {
  /** Off = the reservation-only replay (a placed task holds its request, nothing else happens). */
  enabled: boolean;
  /** Where usage comes from: 'auto' (trace, else synthetic), 'trace', 'library', 'synthetic', 'flat'. */
  usage?: string;
  /** Usage library folder (../shared/data/usage layout) for usage 'library' or to calibrate against. */
  usageLibrary?: string;
  /** Which library series: 'gcd' (Google 2011 jobs, CPU and memory) or 'planetlab' (VM CPU). */
  usageLibrarySet?: string;
  /** Overcommit: 'none', 'ratio:cpu=2,memory=1.2' (or just 'cpu=2,memory=1.2'), 'borg', 'koordinator[:pct]',
   * 'peak:<predictor>', or a path to a module. */
  overcommit?: string;
}
