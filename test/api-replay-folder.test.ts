import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** When set, the report writer fails as a full disk or an interrupt would, after the tables are written. */
const failing = vi.hoisted(() => ({ report: false }));
vi.mock('../reports/report/write-report.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../reports/report/write-report.js')>();
  return {
    ...real,
    writeReport: async (...args: Parameters<typeof real.writeReport>) => {
      if (failing.report) throw new Error('disk full while writing the report');
      return real.writeReport(...args);
    },
  };
});

const { replay } = await import('../api/index.js');
const dir = mkdtempSync(join(tmpdir(), 'schedlab-api-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SMALL = { nodes: 4, tasks: 200, hours: 2, dynamics: false } as const;

describe("the library's replay writes its results folder whole, report included", () => {
  it('the report is in the folder when the call returns', async () => {
    const out = join(dir, 'ok');
    await replay({ ...SMALL, out });
    for (const f of ['run.json', 'tasks.csv', 'report.html', 'report.md']) expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('a report that fails leaves no folder behind (nor a staging one), as `schedlab replay --out`', async () => {
    const out = join(dir, 'failed');
    failing.report = true;
    try {
      await expect(replay({ ...SMALL, out })).rejects.toThrow(/disk full/);
    } finally {
      failing.report = false;
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['ok']);
  });
});
