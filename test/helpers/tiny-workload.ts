import { allocTaskBatch } from '../../model/task-batch.js';
import type { MachineEvent } from '../../model/machine.js';
import type { Workload } from '../../model/workload.js';
import { DEFAULT_RESOURCES } from '../../model/resources.js';

export interface TinyTask {
  submit: number;
  duration: number;
  cpu: number;
  mem: number;
  priority?: number;
  job?: number;
  usage?: number;
}

/** A small in-memory workload: nodes × (cpu millicores, memory bytes), tasks given by hand. */
export function tinyWorkload(
  nodes: Array<[number, number]>,
  tasks: TinyTask[],
  opts: { horizon?: number; machineEvents?: MachineEvent[]; batchSize?: number } = {},
): Workload {
  const D = 3;
  const size = opts.batchSize ?? 1000;
  return {
    name: 'tiny',
    resources: DEFAULT_RESOURCES,
    machines: nodes.map(([cpu, mem], i) => ({ id: `n${i}`, capacity: [cpu, mem, 0], instanceType: 'test' })),
    machineEvents: opts.machineEvents ?? [],
    jobs: ['job0', 'job1', 'job2'],
    users: [],
    notes: [],
    horizon: opts.horizon,
    async *taskBatches() {
      for (let s = 0; s < tasks.length; s += size) {
        const part = tasks.slice(s, s + size);
        const b = allocTaskBatch(part.length, D);
        part.forEach((t, i) => {
          b.submitTime[i] = t.submit;
          b.duration[i] = t.duration;
          b.request[i * D] = t.cpu;
          b.request[i * D + 1] = t.mem;
          b.request[i * D + 2] = 0;
          b.priority[i] = t.priority ?? 0;
          b.job[i] = t.job ?? 0;
          b.taskIndex[i] = s + i;
          b.usageFraction[i * D] = t.usage ?? 0.5;
          b.usageFraction[i * D + 1] = t.usage ?? 0.5;
          b.usageFraction[i * D + 2] = 0;
        });
        yield b;
      }
    },
  };
}

export const PRICING = { instance: 'test', pricePerHour: 1, region: 'nowhere', priceDate: '2026-01-01' };
