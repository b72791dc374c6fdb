import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCompareRecord, runFolderNames } from '../reports/report/compare-folder.js';
import { checkOutputTarget } from '../reports/output-target.js';

describe('runFolderNames', () => {
  it('keeps safe labels, replaces the rest with _, and numbers names that collide', () => {
    expect(runFolderNames(['first-fit', 'kube-default oc=1.5', './examples/my-policy.ts', 'a/b', 'a b', '..'])).toEqual([
      'first-fit',
      'kube-default_oc=1.5',
      '__examples_my-policy.ts',
      'a_b',
      'a_b-2',
      '__',
    ]);
  });
});

describe('readCompareRecord', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'schedlab-compare-rec-'));
  const record = { schedlab: '0.1.0', command: 'compare', seed: 1, baseline: 'a', runs: [{ label: 'a', policy: 'a', folder: 'a' }], savingsPerYear: { a: 0 }, table: { title: 'Summary', header: ['', 'a'], rows: [] } };

  it('null for a folder without compare.json; the record when it is well formed', () => {
    const d = dir();
    expect(readCompareRecord(d)).toBeNull();
    writeFileSync(join(d, 'compare.json'), JSON.stringify(record));
    expect(readCompareRecord(d)).toEqual(record);
  });

  it('refuses, naming the file, invalid JSON and a run folder that leaves runs/', () => {
    const d = dir();
    writeFileSync(join(d, 'compare.json'), '{"schedlab":');
    expect(() => readCompareRecord(d)).toThrow(/compare\.json.*not valid JSON/);
    for (const folder of ['..', '../x', 'a/b', '']) {
      writeFileSync(join(d, 'compare.json'), JSON.stringify({ ...record, runs: [{ label: 'a', policy: 'a', folder }] }));
      expect(() => readCompareRecord(d), folder).toThrow(/compare\.json.*compare record/);
    }
  });
});

describe('the --out guard and a compare folder', () => {
  /** A compare folder as compare --out leaves it (files' content aside). */
  function compareFolder(): string {
    const d = join(mkdtempSync(join(tmpdir(), 'schedlab-compare-guard-')), 'cmp');
    mkdirSync(join(d, 'runs', 'a'), { recursive: true });
    writeFileSync(join(d, 'compare.json'), JSON.stringify({ schedlab: '0.1.0', command: 'compare', runs: [] }));
    writeFileSync(join(d, 'report.html'), '');
    writeFileSync(join(d, 'cost-per-year.png'), '');
    writeFileSync(join(d, 'runs', 'a', 'run.json'), JSON.stringify({ schedlab: '0.1.0', command: 'compare' }));
    writeFileSync(join(d, 'runs', 'a', 'tasks.csv'), '');
    return d;
  }
  const check = (path: string, force: boolean) => checkOutputTarget({ path, kind: 'results-folder', force });

  it('an earlier compare folder: replaced only with --force', async () => {
    const d = compareFolder();
    await expect(check(d, false)).rejects.toThrow(/earlier schedlab compare folder; add --force/);
    await expect(check(d, true)).resolves.toBeUndefined();
  });

  it('a compare folder holding anything else is refused even with --force', async () => {
    const extra = compareFolder();
    writeFileSync(join(extra, 'notes.txt'), 'mine');
    await expect(check(extra, true)).rejects.toThrow(/also holds files schedlab did not write \('notes\.txt'\)/);
    const inRun = compareFolder();
    writeFileSync(join(inRun, 'runs', 'a', 'notes.txt'), 'mine');
    await expect(check(inRun, true)).rejects.toThrow(/'runs'/);
    const loose = compareFolder();
    writeFileSync(join(loose, 'runs', 'stray.csv'), '');
    await expect(check(loose, true)).rejects.toThrow(/'runs'/);
  });
});
