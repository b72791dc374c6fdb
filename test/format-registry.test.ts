import { afterEach, describe, expect, it, vi } from 'vitest';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { detectWorkloadFormat, knownFormatNames, readWorkloadFromPath, registerFormat, traceFormats } from '../workloads/format-registry.js';
import { InputError } from '../model/errors.js';
import { traceCommand } from '../cli/commands/trace.js';

const FIX = path.join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const BUILTIN_FORMATS = ['google-2011', 'google-2019', 'alibaba-2018', 'azure', 'swf', 'kubernetes', 'alibaba-openb', 'native'];

async function runInspect(args: string[]): Promise<string> {
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => {
    out.push(s);
    return true;
  }) as typeof process.stdout.write;
  try {
    await yargs(['trace', 'inspect', ...args]).command(traceCommand).strict().parseAsync();
  } finally {
    process.stdout.write = write;
  }
  return out.join('');
}

describe('format registry', () => {
  it('registers every trace format', () => {
    expect(knownFormatNames()).toEqual(BUILTIN_FORMATS);
    for (const e of traceFormats()) expect(e.describe.length).toBeGreaterThan(10);
  });

  it.each([
    ['kubernetes/cluster', 'kubernetes'],
    ['google-2011/trace', 'google-2011'],
    ['google-2011/trace/task_events', 'google-2011'],
    ['google-2019/cell', 'google-2019'],
    ['google-2019/cell/instance_events-000000000001.json', 'google-2019'],
    ['alibaba-2018/trace', 'alibaba-2018'],
    ['alibaba-2018/trace/container_meta.csv', 'alibaba-2018'],
    ['azure/v2', 'azure'],
    ['azure/v1/vmtable.csv', 'azure'],
    ['swf/sample.swf', 'swf'],
  ])('detects %s as %s', async (p, format) => {
    expect((await detectWorkloadFormat(path.join(FIX, p))).format).toBe(format);
  });

  it('a path that matches nothing lists the known formats; --format overrides; unknown format names fail', async () => {
    const notTrace = path.join(FIX, 'google-2011', 'bad', 'not-a-trace.csv');
    await expect(detectWorkloadFormat(notTrace)).rejects.toThrow(InputError);
    await expect(detectWorkloadFormat(notTrace)).rejects.toThrow(/not a recognized trace format \(known: google-2011 — .*swf — /);
    await expect(readWorkloadFromPath(path.join(FIX, 'swf', 'sample.swf'), { format: 'azure' })).rejects.toThrow(/sample\.swf line 1: expected 11 fields \(vmtable\), got 1/);
    await expect(detectWorkloadFormat(notTrace, 'openb-2099')).rejects.toThrow(/unknown format 'openb-2099' \(known: google-2011, google-2019/);
  });

  it('an empty file and a truncated gzip are InputErrors', async () => {
    await expect(readWorkloadFromPath(path.join(FIX, 'swf', 'empty.swf'))).rejects.toThrow(/empty file/);
    await expect(readWorkloadFromPath(path.join(FIX, 'azure', 'bad', 'truncated-vmtable.csv.gz'))).rejects.toThrow(InputError);
    await expect(readWorkloadFromPath(path.join(FIX, 'no-such-trace'))).rejects.toThrow(/no such file or folder/);
  });

  it('reads each format and passes onBadRow through', async () => {
    const w = await readWorkloadFromPath(path.join(FIX, 'google-2011', 'trace'));
    expect(w.name).toMatch(/^google-2011:/);
    const s = await readWorkloadFromPath(path.join(FIX, 'swf', 'bad.swf'), { onBadRow: 'skip' });
    expect(s.expectedTasks).toBe(2);
    await expect(readWorkloadFromPath(path.join(FIX, 'google-2011', 'trace', 'task_events'))).rejects.toThrow(/single google-2011 table/);
  });
});

describe('registerFormat', () => {
  // The registry is process-wide: every registration made here is undone after its test.
  const undo: Array<() => void> = [];
  afterEach(() => {
    while (undo.length > 0) undo.pop()!();
  });
  const sample = path.join(FIX, 'swf', 'sample.swf');

  it('adds a format that detection and reading then use', async () => {
    const read = vi.fn(async () => Promise.reject(new InputError({ file: sample, problem: 'read by test-format' })));
    // swf claims sample.swf with confidence 0.95; the test format claims it with 1.
    undo.push(registerFormat({ name: 'test-format', describe: 'a test format', detect: async (p) => (p === sample ? 1 : 0), read }));
    expect(knownFormatNames()).toEqual([...BUILTIN_FORMATS, 'test-format']);
    expect(await detectWorkloadFormat(sample)).toEqual({ format: 'test-format', confidence: 1 });
    await expect(readWorkloadFromPath(sample)).rejects.toThrow(/read by test-format/);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('replaces a format of the same name in place, and undoing puts the original back', async () => {
    const original = traceFormats().find((e) => e.name === 'swf')!;
    const off = registerFormat({ ...original, detect: async () => 0 });
    undo.push(off); // undoing twice is harmless: the afterEach call then finds nothing to undo
    expect(knownFormatNames()).toEqual(BUILTIN_FORMATS);
    await expect(detectWorkloadFormat(sample)).rejects.toThrow(/not a recognized trace format/);
    off();
    expect(traceFormats().find((e) => e.name === 'swf')).toBe(original);
    expect((await detectWorkloadFormat(sample)).format).toBe('swf');
  });

  it('leaves the registry as it found it', () => {
    expect(knownFormatNames()).toEqual(BUILTIN_FORMATS);
  });
});

describe('trace inspect over the registry', () => {
  it('uses inspectWorkload for the new formats (JSON)', async () => {
    const swf = JSON.parse(await runInspect([path.join(FIX, 'swf', 'sample.swf'), '--json']));
    expect(swf.format).toBe('swf');
    expect(swf.tasks).toBe(6);
    expect(swf.eventCounts['status 1 completed']).toBe(4);
    const g = JSON.parse(await runInspect([path.join(FIX, 'google-2019', 'cell'), '--json']));
    expect([g.tasks, g.rowsRead, g.killedWhilePending]).toEqual([5, 28, 1]);
    const a = JSON.parse(await runInspect([path.join(FIX, 'alibaba-2018', 'trace'), '--json']));
    expect([a.tasks, a.dependencies]).toEqual([9, 3]);
    const z = JSON.parse(await runInspect([path.join(FIX, 'azure', 'v1', 'vmtable.csv'), '--json', '--format', 'azure']));
    expect(z.requests.cpu.max).toBe(8000);
  });

  it('keeps google-2011’s own inspect, and text output works', async () => {
    const g = JSON.parse(await runInspect([path.join(FIX, 'google-2011', 'trace', 'task_events'), '--json']));
    expect(g.taskEvents.rows).toBe(15);
    const text = await runInspect([path.join(FIX, 'swf', 'bad.swf'), '--on-bad-row', 'skip']);
    expect(text).toMatch(/tasks: 2, jobs: 2/);
    expect(text).toMatch(/1 bad row skipped \(swf: status: out of range\)/);
  });
});
