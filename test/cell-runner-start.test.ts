import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/cli.js';
import { validateSweepConfig } from '../harness/sweep/sweep-config.js';
import { sweepCells } from '../harness/sweep/sweep-grid.js';

/**
 * CellRunner.start() (a queue worker calls it before it takes cells): every thread is started and
 * has loaded the replay's modules when it resolves. The compiled runner is used — its threads run
 * the compiled sweep-worker.js (from TypeScript sources it runs cells in-process).
 */
const compiled = join(ROOT, 'dist', 'harness', 'sweep', 'sweep-pool.js');
const load = async () => (await import(compiled)) as typeof import('../harness/sweep/sweep-pool.js');

describe('CellRunner.start', () => {
  it('starts every thread and waits for its modules; the threads then run cells', async () => {
    const { CellRunner } = await load();
    const runner = new CellRunner(2);
    expect(runner.mode).toBe('workers');
    expect(runner.readyThreads()).toBe(0);
    await runner.start();
    expect(runner.readyThreads()).toBe(2);
    try {
      const cells = sweepCells(await validateSweepConfig({ name: 'start', policies: ['best-fit'], seeds: 2, nodes: 4, tasks: 50, hours: 1 }));
      const outcomes = await Promise.all(cells.map((c) => runner.run(c.spec)));
      for (const o of outcomes) expect(o.summary.policy).toBe('best-fit');
      // Still two threads: the cells ran on the started ones, none was spawned for them.
      expect(runner.readyThreads()).toBe(2);
    } finally {
      await runner.close();
    }
  }, 60_000);

  it('rejects with the error when a thread cannot load its modules', async () => {
    const { CellRunner } = await load();
    const dir = mkdtempSync(join(tmpdir(), 'schedlab-runner-'));
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, "throw new Error('cannot load the replay modules');\n");
    const runner = new CellRunner(1, broken);
    await expect(runner.start()).rejects.toThrow('cannot load the replay modules');
    await runner.close();
  });
});
