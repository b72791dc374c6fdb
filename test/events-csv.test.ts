import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventsCsv, EVENTS_CSV_HEADER } from '../reports/events-csv.js';
import { timeOrder } from '../reports/time-order.js';
import { writeResultsFolder } from '../reports/results-folder.js';
import { summarize } from '../reports/summary.js';
import { handResults, handRun } from './helpers/dynamics-results.js';
import { TaskStatus } from '../model/task-status.js';
import { QosClass } from '../model/qos-class.js';
import { PriorityBand } from '../model/priority-bands.js';

/**
 * events.csv and the new tasks.csv columns (README "Results folder"), on hand-built results
 * (test/helpers/dynamics-results.ts): every expected line below is written out by hand from the
 * run's stated tasks and events.
 */
const JOBS = ['web', 'batch'];
const CTX = { workload: 'hand-made', instance: 'test.small', pricePerHour: 1, region: 'nowhere', priceDate: '2026-01-01' };

const lines = (path: string): string[] => readFileSync(path, 'utf8').split('\n');

async function folder(withDynamics: boolean): Promise<string> {
  const r = handRun(withDynamics);
  const dir = join(mkdtempSync(join(tmpdir(), 'schedlab-events-')), 'run');
  await writeResultsFolder(dir, { schedlab: '0.0.0', command: 'replay', seed: 3, config: {}, workloadNotes: [], summary: summarize(r, CTX) }, r, JOBS, {});
  return dir;
}

describe('events.csv', () => {
  it('one row per logged event, by time: node events leave the task columns empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-events-'));
    await writeEventsCsv(join(dir, 'events.csv'), handRun(), JOBS);
    expect(lines(join(dir, 'events.csv'))).toEqual([
      'time_s,node,task_id,job,task_index,cause,qos,band,memory_bytes,amount,duration_s',
      '600,node-a,,,,pressure-on,,,52428800,,',
      '610,node-a,2,batch,0,eviction-memory-pressure,BestEffort,free,500000000,120,',
      '900,node-b,1,web,1,eviction-memory-pressure,Burstable,mid,3000000000,300,',
      '1200,node-a,2,batch,0,oom-node,BestEffort,free,400000000,60,',
      '1300,node-a,0,web,0,throttling,Guaranteed,production,,12.5,300',
      '1500,node-a,,,,pressure-off,,,200000000,,',
      '',
    ]);
  });

  it('by time, stable: events at one time keep their log order; an ordered log is left as it is', () => {
    expect([...timeOrder(Float64Array.from([5, 3, 5, 1, 3]), 5)]).toEqual([3, 1, 4, 0, 2]);
    expect([...timeOrder(Float64Array.from([1, 1, 2, 7]), 4)]).toEqual([0, 1, 2, 3]);
  });

  it('an empty log is the header alone', async () => {
    const r = handResults({ horizon: 1e9, tasks: [], dynamics: { events: [] } });
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-events-'));
    await writeEventsCsv(join(dir, 'events.csv'), r, []);
    expect(readFileSync(join(dir, 'events.csv'), 'utf8')).toBe(EVENTS_CSV_HEADER.join(',') + '\n');
  });

  it('streams a large log: every row written, in order', async () => {
    const n = 50_000;
    const events = Array.from({ length: n }, (_, k) => ({ time: k * 1e6, node: k % 2, task: 0, cause: 4, memory: NaN, amount: k, duration: 10 }));
    const r = handResults({
      horizon: 1e12,
      tasks: [{ job: 0, index: 0, priority: 0, qos: QosClass.Burstable, band: PriorityBand.Mid, submit: 0, start: 0, end: NaN, node: 0, status: TaskStatus.Running, attempts: 1, request: [1, 1, 0], limit: [2, NaN, NaN] }],
      dynamics: { events },
    });
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-events-'));
    await writeEventsCsv(join(dir, 'events.csv'), r, ['j']);
    const l = lines(join(dir, 'events.csv'));
    expect(l.length).toBe(n + 2);
    expect(l[1]).toBe('0,node-a,0,j,0,throttling,Burstable,mid,,0,10');
    expect(l[n]).toBe(`${n - 1},node-b,0,j,0,throttling,Burstable,mid,,${n - 1},10`);
  });

  it('is in the results folder when dynamics ran, and not otherwise', async () => {
    const on = await folder(true);
    expect(readdirSync(on).sort()).toEqual(['events.csv', 'events.parquet', 'run.json', 'schema.json', 'tasks.csv', 'tasks.parquet', 'timeseries.csv', 'timeseries.parquet', 'timing.json']);
    expect(lines(join(on, 'events.csv')).length).toBe(8);
    const off = await folder(false);
    expect(existsSync(join(off, 'events.csv'))).toBe(false);
  });
});

describe('tasks.csv columns', () => {
  it('QoS class, band, limits and the dynamics counters of each task; tasks after the horizon left out', async () => {
    const dir = await folder(true);
    expect(lines(join(dir, 'tasks.csv'))).toEqual([
      'task_id,job,task_index,priority,qos,band,submit_s,start_s,end_s,node,status,attempts,' +
        'request_cpu_millicores,request_memory_bytes,request_gpu_milli_gpu,limit_cpu_millicores,limit_memory_bytes,limit_gpu_milli_gpu,' +
        'missing_request,evictions,oom_kills,throttled_cpu_seconds,lost_work_seconds,peak_memory_bytes,pending_reason',
      '0,web,0,10,Guaranteed,production,0,0,,node-a,running,1,1000,2000000000,0,1000,2000000000,,0,0,0,12.5,0,1500000000,',
      '1,web,1,5,Burstable,mid,10,1000,,node-b,running,2,500,1000000000,0,2000,4000000000,,0,1,0,0,300,3000000000,',
      '2,batch,0,0,BestEffort,free,20,400,1200,node-a,evicted,2,,,,,,,1,1,1,0,180,500000000,0/2 nodes are available: 2 Insufficient memory.',
      '3,batch,1,0,BestEffort,free,30.5,,,,pending,0,250,100000000,0,,,,0,0,0,0,0,,0/2 nodes are available: 2 Insufficient memory.',
      '',
    ]);
  });

  it('without dynamics: QoS class, band and limits, no dynamics columns; pending_reason stays last', async () => {
    const dir = await folder(false);
    const l = lines(join(dir, 'tasks.csv'));
    expect(l[0]).toBe(
      'task_id,job,task_index,priority,qos,band,submit_s,start_s,end_s,node,status,attempts,' +
        'request_cpu_millicores,request_memory_bytes,request_gpu_milli_gpu,limit_cpu_millicores,limit_memory_bytes,limit_gpu_milli_gpu,missing_request,pending_reason',
    );
    expect(l[2]).toBe('1,web,1,5,Burstable,mid,10,1000,,node-b,running,2,500,1000000000,0,2000,4000000000,,0,');
  });
});
