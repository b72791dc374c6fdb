import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { traceConvertCommand, type ConvertArgs } from '../cli/commands/trace-convert.js';
import { readNativeWorkload } from '../workloads/native/reader.js';
import { readGoogle2011 } from '../workloads/google-2011/reader.js';
import { syntheticWorkload } from '../workloads/synthetic/generator.js';
import { UsageError, InputError } from '../model/errors.js';
import { flatten } from './fixtures/native/workloads.js';
import { schedlab } from './helpers/cli.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GOOGLE_FIXTURE = path.join(HERE, 'fixtures', 'google-2011', 'trace');
const dir = mkdtempSync(path.join(tmpdir(), 'schedlab-native-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const defaults: Omit<ConvertArgs, 'input' | 'out'> = { seed: 1, nodes: 100, tasks: 20000, hours: 24, instance: 'm5.2xlarge', quiet: false };

/** Runs the command's handler as yargs would, capturing stdout. */
async function convert(args: Partial<ConvertArgs> & { input: string; out: string }): Promise<string> {
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  try {
    await traceConvertCommand.handler({ ...defaults, ...args, _: [], $0: 'schedlab' } as never);
  } finally {
    spy.mockRestore();
  }
  return out;
}

const bytesEqual = async (a: Parameters<typeof flatten>[0], b: Parameters<typeof flatten>[0]) => {
  const [fa, fb] = [await flatten(a), await flatten(b)];
  expect(fb.counts).toEqual(fa.counts);
  for (const k of Object.keys(fa.columns)) expect(Buffer.from(fb.columns[k]).equals(Buffer.from(fa.columns[k])), k).toBe(true);
};

describe('schedlab trace convert', () => {
  it('requires an input and --out: without either, exit 2 and one line naming what is missing, nothing written', () => {
    const cases: Array<[string[], RegExp]> = [
      [['trace', 'convert', 'synthetic'], /^schedlab: --out: required \(see schedlab trace convert --help\)\n$/],
      [['trace', 'convert', '--out', path.join(dir, 'x.schedlab.arrow')], /^schedlab: trace convert: give the <input> to convert .*\n$/],
      [['trace', 'convert', 'synthetic', '--out'], /^schedlab: --out: expected a file path, got ''\n$/],
    ];
    const before = readdirSync(dir).sort();
    for (const [args, message] of cases) {
      const r = schedlab(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(readdirSync(dir).sort()).toEqual(before);
  });

  it('synthetic → native: the same tasks as the generator with the same options', async () => {
    const out = path.join(dir, 'syn.schedlab.arrow');
    const text = await convert({ input: 'synthetic', out, seed: 4, nodes: 10, tasks: 1500, hours: 3 });
    expect(text).toMatch(/^wrote .*syn\.schedlab\.arrow: 1,500 tasks in 1 batch, 10 machines \+ 0 machine events/);
    const back = await readNativeWorkload(out);
    const gen = syntheticWorkload({ seed: 4, nodes: 10, tasks: 1500, hours: 3, instance: { name: 'm5.2xlarge', cpuMillicores: 8000, memoryBytes: 32 * 2 ** 30 } });
    await bytesEqual(gen, back);
    expect(back.name).toBe(gen.name);
  });

  it('Google 2011 folder → native, then native → native (detected by content)', async () => {
    const out = path.join(dir, 'g.schedlab.arrow');
    await convert({ input: GOOGLE_FIXTURE, out });
    await bytesEqual(await readGoogle2011(GOOGLE_FIXTURE), await readNativeWorkload(out));
    const again = path.join(dir, 'g2.schedlab.arrow');
    await convert({ input: out, out: again, quiet: true });
    await bytesEqual(await readNativeWorkload(out), await readNativeWorkload(again));
  });

  it('user mistakes: --out a folder is a UsageError, a missing input an InputError, and nothing is written', async () => {
    await expect(convert({ input: 'synthetic', out: dir })).rejects.toBeInstanceOf(UsageError);
    const before = readdirSync(dir).sort();
    await expect(convert({ input: path.join(dir, 'missing'), out: path.join(dir, 'm.schedlab.arrow') })).rejects.toBeInstanceOf(InputError);
    await expect(convert({ input: 'synthetic', out: path.join(dir, 's.schedlab.arrow'), format: 'google-2011' })).rejects.toBeInstanceOf(UsageError);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});
