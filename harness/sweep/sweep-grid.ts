import type { ReplaySpec } from '../replay-spec.js';
import type { CheckedSweepConfig } from './sweep-config.js';
import { cellKey } from './cell-key.js';

/** The grid coordinates of a cell: what the tidy table's first columns say. */
export interface CellCoordinates {
  workload: string;
  policy: string;
  seed: number;
  overcommit: string;
  /** Generated nodes; 0 = a trace's own machines (a trace workload given no `nodes`). */
  nodes: number;
  dynamics: boolean;
}

export interface SweepCell extends CellCoordinates {
  /** Position in grid order (workloads, nodes, dynamics, overcommit, policies, seeds; seeds innermost). */
  index: number;
  /** Content hash of the full spec (cell-key.ts): the stored file's name. */
  key: string;
  spec: ReplaySpec;
}

/**
 * Bumped when what a stored cell holds changes meaning, so old cells are not reused. 2: scoring
 * policies break ties with one draw per decision (algorithms/scored-policy.ts), not by reservoir
 * sampling — same distribution, other nodes for the same seed.
 */
export const CELL_SCHEMA = 'schedlab-sweep-cell/2';

/** Defaults of a cell's shared settings: those of `schedlab replay` (cli/options.ts WORKLOAD_DEFAULTS). */
const DEFAULTS = { tasks: 20_000, hours: 24, instance: 'm5.2xlarge', sampleSeconds: 300, queue: 'priority' };

/**
 * The cartesian product of the grid, one ReplaySpec per cell. Dynamics off runs the
 * reservation-only replay, where overcommit has no meaning (the harness refuses it), so those
 * cells take overcommit 'none' only: the grid has |overcommit| cells per combination with dynamics
 * on and one with them off.
 */
export function sweepCells(c: CheckedSweepConfig): SweepCell[] {
  const cells: SweepCell[] = [];
  for (const workload of c.workloads) {
    for (const nodes of c.nodes) {
      for (const dynamics of c.dynamics) {
        for (const overcommit of dynamics ? c.overcommit : ['none']) {
          for (const policy of c.policies) {
            for (const seed of c.seeds) {
              const spec: ReplaySpec = {
                workload,
                policy,
                seed,
                nodes,
                tasks: c.tasks ?? DEFAULTS.tasks,
                hours: c.hours ?? DEFAULTS.hours,
                instance: c.instance ?? DEFAULTS.instance,
                catalog: c.catalog,
                zones: c.zones,
                percentageOfNodesToScore: c.nodesToScore,
                sampleSeconds: c.sampleSeconds ?? DEFAULTS.sampleSeconds,
                queue: c.queue ?? DEFAULTS.queue,
                placement: 'policy',
                onBadRow: 'fail',
                explicit: [...c.given],
                dynamics: dynamics ? { enabled: true, overcommit: overcommit === 'none' ? undefined : overcommit } : { enabled: false },
                // Absent unless the config sets them, so cells of configs without them keep their keys.
                reactions: c.preemption === undefined && c.controllers === undefined ? undefined : { preemption: c.preemption, controllers: c.controllers },
              };
              // A trace given no `nodes` runs on its own machines: its coordinate says 0, not the unused default.
              const size = workload !== 'synthetic' && !c.given.includes('nodes') ? 0 : nodes;
              cells.push({ index: cells.length, key: cellKey(spec, CELL_SCHEMA), workload, policy, seed, overcommit, nodes: size, dynamics, spec });
            }
          }
        }
      }
    }
  }
  return cells;
}
