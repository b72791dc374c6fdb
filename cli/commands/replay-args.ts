import type { DynamicsArgs, ReactionsArgs, WorkloadArgs } from '../options.js';
import type { ArchitectureArgs } from '../architecture-options.js';

/** The arguments of `schedlab replay` (with or without --architecture). */
export interface ReplayArgs extends WorkloadArgs, DynamicsArgs, ReactionsArgs, ArchitectureArgs {
  policy: string;
  overcommit?: string;
  json: boolean;
  out?: string;
  force: boolean;
}
