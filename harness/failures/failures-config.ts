import { UsageError } from '../../model/errors.js';
import type { Workload } from '../../model/workload.js';
import type { Reaction } from '../reactions/reaction-host.js';
import { FailureProcess, describeFailureModel, parseFailureModel } from './failure-model.js';
import { FailuresReaction } from './failures-reaction.js';
import { NodeDownCauses } from './node-down-causes.js';
import { NodeLifecycleController, describeNodeLifecycle, parseNodeLifecycle } from './node-lifecycle-controller.js';
import { NodeTopology, RACK_LABEL, parseTopology } from './topology.js';
import { TolerationByJob } from './unreachable-toleration.js';
import { ZoneOutages, describeOutage, parseZoneOutage, resolveOutage } from './zone-outage.js';

/**
 * What fails and how the cluster reacts (harness/failures/): each field is the CLI option's text
 * (`--failures`, `--zone-outage` repeatable, `--node-lifecycle`, `--topology`).
 */
export interface FailuresSpec {
  failures?: string;
  zoneOutages?: string[];
  nodeLifecycle?: string;
  topology?: string;
}

/**
 * The failures reaction of a replay, or undefined when nothing fails (no failure model, no
 * outage). Every parse error is a UsageError naming its option; an outage naming an unknown zone
 * or rack lists the known ones (from the workload's machines: labels, or the --topology layout);
 * scope=rack needs every machine in a rack. --node-lifecycle and --topology without anything that
 * fails are refused rather than ignored.
 */
export function failuresSetup(spec: FailuresSpec, workload: Workload, seed: number): Reaction | undefined {
  const layout = spec.topology !== undefined ? parseTopology(spec.topology) : {};
  const model = spec.failures !== undefined ? parseFailureModel(spec.failures) : undefined;
  const outages = (spec.zoneOutages ?? []).map(parseZoneOutage);
  const lifecycle = parseNodeLifecycle(spec.nodeLifecycle);
  if (!model && outages.length === 0) {
    if (spec.nodeLifecycle !== undefined) throw new UsageError('--node-lifecycle: no node fails without --failures or --zone-outage, so the node lifecycle controller has nothing to do');
    if (spec.topology !== undefined) throw new UsageError('--topology: the generated zones and racks are used by --failures and --zone-outage only; give one of them');
    return undefined;
  }

  // The failure domains of the workload's machines, numbered as the cluster will number them.
  const dry = new NodeTopology(layout);
  const numbers = new Map<string, number>();
  const place = (id: string, labels: Record<string, string> | undefined): void => {
    let n = numbers.get(id);
    if (n === undefined) {
      n = numbers.size;
      numbers.set(id, n);
    }
    dry.assign(n, labels ?? {});
  };
  for (const m of workload.machines) place(m.id, m.labels);
  for (const e of workload.machineEvents) if (e.kind === 'add') place(e.machine.id, e.machine.labels);
  const domains = outages.map((o) => resolveOutage(o, dry));
  if (model?.scope === 'rack') {
    let without = 0;
    for (let n = 0; n < numbers.size; n++) if (dry.rackOf[n] < 0) without++;
    if (without > 0) throw new UsageError(`--failures: scope=rack: ${without} of ${numbers.size} machines have no rack (label them ${RACK_LABEL}, or give --topology racks-per-zone=N)`);
  }

  const settings: Record<string, string> = {};
  if (model) settings['failure model'] = describeFailureModel(model);
  outages.forEach((o, i) => {
    const members = o.domain === 'zone' ? dry.zoneMembers[domains[i]] : dry.rackMembers[domains[i]];
    settings[`zone outage ${i + 1}`] = describeOutage(o, members.length);
  });
  settings['node lifecycle'] = describeNodeLifecycle(lifecycle);

  const topology = new NodeTopology(layout);
  const causes = new NodeDownCauses();
  const controller = new NodeLifecycleController(lifecycle, topology, new TolerationByJob(workload, lifecycle.toleration));
  const process = model ? new FailureProcess(model, topology, causes, seed) : undefined;
  const zoneOutages = outages.length > 0 ? new ZoneOutages(outages, topology, causes) : undefined;
  return new FailuresReaction(topology, causes, controller, process, zoneOutages, settings);
}
