import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import { ParquetTableWriter, PARQUET_BATCH_ROWS } from '../reports/parquet/parquet-table-writer.js';
import type { ColumnSpec } from '../reports/parquet/data-dictionary.js';
import { ResultsTableWriter } from '../reports/parquet/results-table-writer.js';

const COLUMNS: ColumnSpec[] = [
  { name: 'id', type: 'int32', unit: '', nullable: false, meaning: 'row id' },
  { name: 'x', type: 'float64', unit: 's', nullable: true, meaning: 'a number, sometimes missing' },
  { name: 'label', type: 'string', unit: '', nullable: true, meaning: 'a label, sometimes missing' },
];

function readBack(path: string) {
  return tableFromIPC(readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
}

async function withDir<T>(f: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'schedlab-parquet-'));
  try {
    return await f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ParquetTableWriter', () => {
  it('writes typed, nullable columns that read back with apache-arrow as given', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 't.parquet');
      const w = new ParquetTableWriter(path, COLUMNS);
      await w.row([0, 1.5, 'a']);
      await w.row([1, null, 'ünïcode, "quoted"']);
      await w.row([2, NaN, '']);
      await w.row([-7, Infinity, null]);
      await w.row([3, -0.25, 42 as unknown as string]);
      await w.close();
      const t = readBack(path);
      expect(t.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
        ['id', 'Int32', false],
        ['x', 'Float64', true],
        ['label', 'Utf8', true],
      ]);
      expect(t.toArray().map((r) => r.toJSON())).toEqual([
        { id: 0, x: 1.5, label: 'a' },
        { id: 1, x: null, label: 'ünïcode, "quoted"' },
        // As in the CSV: a non-finite number and an empty string are empty cells.
        { id: 2, x: null, label: null },
        { id: -7, x: null, label: null },
        { id: 3, x: -0.25, label: '42' },
      ]);
    });
  });

  it('streams a long table in row groups of PARQUET_BATCH_ROWS, every row intact', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'long.parquet');
      const n = PARQUET_BATCH_ROWS * 2 + 17;
      const w = new ParquetTableWriter(path, COLUMNS);
      for (let i = 0; i < n; i++) await w.row([i, i % 5 === 0 ? null : i / 4, i % 3 === 0 ? null : `s${i % 11}`]);
      await w.close();
      const t = readBack(path);
      expect(t.numRows).toBe(n);
      expect(t.batches.length).toBeGreaterThanOrEqual(3);
      const id = t.getChild('id')!.toArray() as Int32Array;
      const x = t.getChild('x')!;
      const label = t.getChild('label')!;
      let idSum = 0;
      let xSum = 0;
      let xNulls = 0;
      let labelNulls = 0;
      let wrong = 0;
      for (let i = 0; i < n; i++) {
        idSum += id[i];
        const xi = x.get(i);
        if (xi === null) xNulls++;
        else xSum += xi;
        const li = label.get(i);
        if (li === null) labelNulls++;
        else if (li !== `s${i % 11}`) wrong++;
      }
      expect(idSum).toBe((n * (n - 1)) / 2);
      let expectX = 0;
      for (let i = 0; i < n; i++) if (i % 5 !== 0) expectX += i / 4;
      expect(xSum).toBe(expectX);
      expect(xNulls).toBe(Math.ceil(n / 5));
      expect(labelNulls).toBe(Math.ceil(n / 3));
      expect(wrong).toBe(0);
    });
  });

  it('an empty table is a file with its schema and no rows', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'empty.parquet');
      const w = new ParquetTableWriter(path, COLUMNS);
      await w.close();
      const t = readBack(path);
      expect(t.numRows).toBe(0);
      expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'x', 'label']);
    });
  });

  it('refuses a missing value in a column that is not nullable, a fraction in an int32 column, text in a number column', async () => {
    await withDir(async (dir) => {
      const w = new ParquetTableWriter(join(dir, 'bad.parquet'), COLUMNS);
      await expect(w.row([null, 1, 'a'])).rejects.toThrow(/column 'id' is not nullable/);
      await w.abort();
      const w2 = new ParquetTableWriter(join(dir, 'bad2.parquet'), COLUMNS);
      await expect(w2.row([1.5, 1, 'a'])).rejects.toThrow(/column 'id' \(int32\) got 1.5/);
      await w2.abort();
      const w3 = new ParquetTableWriter(join(dir, 'bad3.parquet'), COLUMNS);
      await expect(w3.row([1, 'x', 'a'])).rejects.toThrow(/column 'x' \(float64\) got the string 'x'/);
      await w3.abort();
    });
  });

  it('the same rows give byte-identical files (results folders are reproducible)', async () => {
    await withDir(async (dir) => {
      const write = async (path: string) => {
        const w = new ParquetTableWriter(path, COLUMNS);
        for (let i = 0; i < 1000; i++) await w.row([i, i / 3, `n${i % 7}`]);
        await w.close();
        return readFileSync(path);
      };
      expect((await write(join(dir, 'a.parquet'))).equals(await write(join(dir, 'b.parquet')))).toBe(true);
    });
  });
});

describe('ResultsTableWriter', () => {
  it('writes NAME.csv and NAME.parquet from the same rows', async () => {
    await withDir(async (dir) => {
      const w = new ResultsTableWriter(join(dir, 't.csv'), ['id', 'x', 'label'], COLUMNS);
      await w.row([1, 0.5, 'a,b']);
      await w.row([2, null, null]);
      await w.close();
      expect(w.rows).toBe(2);
      expect(readFileSync(join(dir, 't.csv'), 'utf8')).toBe('id,x,label\n1,0.5,"a,b"\n2,,\n');
      expect(readBack(join(dir, 't.parquet')).toArray().map((r) => r.toJSON())).toEqual([
        { id: 1, x: 0.5, label: 'a,b' },
        { id: 2, x: null, label: null },
      ]);
    });
  });

  it('refuses a CSV header that is not the dictionary\'s columns in order, before writing anything', async () => {
    await withDir(async (dir) => {
      expect(() => new ResultsTableWriter(join(dir, 't.csv'), ['id', 'label', 'x'], COLUMNS)).toThrow(/differs from the data dictionary \(id,x,label\)/);
      expect(() => new ResultsTableWriter(join(dir, 't.csv'), ['id', 'x'], COLUMNS)).toThrow(/differs from the data dictionary/);
      expect(existsSync(join(dir, 't.csv')) || existsSync(join(dir, 't.parquet'))).toBe(false);
    });
  });
});
