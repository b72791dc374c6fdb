import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNativeWorkload } from '../workloads/native/writer.js';
import { looksLikeNative, readNativeWorkload } from '../workloads/native/reader.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { replay } from '../harness/replay.js';
import { kubeDefault } from '../algorithms/classic/kube-default.js';
import { flatten, handmadeWorkload, HANDMADE_BATCHES, staticPart } from './fixtures/native/workloads.js';
import { PRICING } from './helpers/tiny-workload.js';
import type { Workload } from '../model/workload.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOGLE_FIXTURE = path.join(HERE, 'fixtures', 'google-2011', 'trace');
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = () =>
  syntheticWorkload({ seed: 3, nodes: 20, tasks: 3000, hours: 6, instance: { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 } });

/** Writes `w`, reads it back, and checks tasks (bit for bit) and everything else (deep equality). */
async function roundTrip(w: Workload, name: string, fresh: () => Workload = () => w) {
  const file = path.join(dir, `${name}.schedlab.arrow`);
  const result = await writeNativeWorkload(w, file);
  const back = await readNativeWorkload(file);
  const expected = await flatten(fresh());
  const got = await flatten(back);
  // The writer consumed `w`'s stream, so its grown tables (jobs, users, notes) are complete now.
  expect(staticPart(back)).toEqual(staticPart(w));
  expect(got.counts).toEqual(expected.counts);
  expect(Object.keys(got.columns).sort()).toEqual(Object.keys(expected.columns).sort());
  for (const k of Object.keys(expected.columns)) {
    expect(Buffer.from(got.columns[k]).equals(Buffer.from(expected.columns[k])), `column ${k}`).toBe(true);
  }
  expect(back.expectedTasks).toBe(result.tasks);
  return { file, back, result };
}

describe('native format: exact round trip', () => {
  it('hand-made workload: every column, NaN, -0, notes appended at the end, grown job/user tables, constraints, machine events', async () => {
    const w = handmadeWorkload(7);
    const { back, result, file } = await roundTrip(w, 'handmade', () => handmadeWorkload(7));
    expect(result.tasks).toBe(HANDMADE_BATCHES.reduce((a, b) => a + b, 0));
    expect(result.batches).toBe(HANDMADE_BATCHES.filter((n) => n > 0).length);
    expect(back.notes.at(-1)).toBe('appended when the stream ended');
    expect(back.jobs).toHaveLength(15);
    expect(back.jobConstraints?.[0]).toEqual({ nodeSelector: { zone: 'a' }, differentMachines: true, hostPorts: [80] });
    expect(back.jobConstraints?.[1]).toBeUndefined();
    expect(Object.is(back.machines[1].capacity[2], -0)).toBe(true);
    expect(back.machines[1].capacity[0]).toBeNaN();
    expect(back.machines[2].capacity[2]).toBe(5e-324);
    expect(back.horizon).toBe(1e12 + 0.5);
    // The optional columns come back on every batch (the file has one schema).
    for await (const b of back.taskBatches()) {
      expect(b.killTime).toBeDefined();
      expect(b.recordedMachine).toBeDefined();
    }
    expect(await looksLikeNative(file)).toBe(true);
  });

  it('batches are read back one at a time, as typed arrays over the file buffer', async () => {
    const { back } = await roundTrip(small(), 'views', small);
    let batches = 0;
    for await (const b of back.taskBatches()) {
      batches++;
      expect(b.submitTime).toBeInstanceOf(Float64Array);
      expect(b.usageFraction).toBeInstanceOf(Float32Array);
      expect(b.request.length).toBe(b.count * 3);
      // Zero-copy: the scalar columns share one buffer (the record batch body) rather than owning theirs.
      expect(b.submitTime.buffer).toBe(b.duration.buffer);
      expect(b.killTime).toBeUndefined();
    }
    expect(batches).toBeGreaterThan(0);
  });

  it('the synthetic generator, including its end-of-stream notes', async () => {
    const w = small();
    const { back } = await roundTrip(w, 'synthetic', small);
    expect(back.name).toBe(w.name);
    expect(back.notes.length).toBe(w.notes.length);
  });

  it('the Google 2011 fixture trace', async () => {
    const w = await readGoogle2011(GOOGLE_FIXTURE);
    const { back } = await roundTrip(w, 'google-fixture', () => w);
    expect(back.machineEvents.length).toBe(w.machineEvents.length);
    expect(back.machines.length).toBeGreaterThan(0);
  });

  it('an empty workload (no tasks) is a valid file', async () => {
    const w: Workload = { ...handmadeWorkload(1), async *taskBatches() {} };
    const file = path.join(dir, 'empty.schedlab.arrow');
    const r = await writeNativeWorkload(w, file);
    expect(r.tasks).toBe(0);
    const back = await readNativeWorkload(file);
    expect((await flatten(back)).counts).toEqual([]);
    expect(back.machines).toEqual(w.machines);
  });

  it('leaves no temporary files next to the output', () => {
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});

describe('native format: stability', () => {
  it('reads the committed version-1 file (test/fixtures/native/handmade-v1.schedlab.arrow) as the workload it was written from', async () => {
    const back = await readNativeWorkload(path.join(HERE, 'fixtures', 'native', 'handmade-v1.schedlab.arrow'));
    const source = handmadeWorkload(5);
    const expected = await flatten(source); // consumes the stream: tables and notes complete
    const got = await flatten(back);
    expect(got.counts).toEqual(expected.counts);
    for (const k of Object.keys(expected.columns)) expect(Buffer.from(got.columns[k]).equals(Buffer.from(expected.columns[k])), k).toBe(true);
    expect(staticPart(back)).toEqual(staticPart(source));
  });

  it('the same workload written twice gives byte-identical files', async () => {
    const a = path.join(dir, 'det-a.schedlab.arrow');
    const b = path.join(dir, 'det-b.schedlab.arrow');
    await writeNativeWorkload(small(), a);
    await writeNativeWorkload(small(), b);
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  });
});

describe('native format: same replay as the source', () => {
  const run = (w: Workload) => replay({ workload: w, policy: kubeDefault, seed: 11, pricing: PRICING });

  it('synthetic workload: identical summary from the generator and from the native file', async () => {
    const file = path.join(dir, 'replay-synthetic.schedlab.arrow');
    await writeNativeWorkload(small(), file);
    const a = await run(small());
    const b = await run(await readNativeWorkload(file));
    expect(b.summary).toEqual(a.summary);
    expect(a.summary.tasks.scheduled).toBeGreaterThan(0);
  });

  it('Google 2011 fixture: identical summary from the CSV and from the native file', async () => {
    const file = path.join(dir, 'replay-google.schedlab.arrow');
    await writeNativeWorkload(await readGoogle2011(GOOGLE_FIXTURE), file);
    const a = await run(await readGoogle2011(GOOGLE_FIXTURE));
    const b = await run(await readNativeWorkload(file));
    expect(b.summary).toEqual(a.summary);
    expect(a.summary.tasks.submitted).toBeGreaterThan(0);
  });
});
