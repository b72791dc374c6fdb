import * as path from 'node:path';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBpplib } from '../workloads/bin-packing/bpplib-reader.js';
import { InputError } from '../workloads/bin-packing/input-error.js';
import { readInstance } from '../workloads/bin-packing/read-instance.js';
import { readVbp } from '../workloads/bin-packing/vbp-reader.js';

const FIX = join(import.meta.dirname, 'fixtures', 'bin-packing');
const f = (name: string) => join(FIX, name);

function expectInputError(fn: () => unknown, file: string, line: number, field: RegExp, message: RegExp) {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  const ie = err as InputError;
  expect(ie.file).toBe(file);
  expect(ie.line).toBe(line);
  expect(ie.field).toMatch(field);
  expect(ie.message).toContain(`${path.basename(file)} line ${line}`);
  expect(ie.message).toMatch(message);
}

describe('BPPLIB reader', () => {
  it('reads a CRLF file', () => {
    const inst = readBpplib(f('ok-crlf.txt'));
    expect(inst.d).toBe(1);
    expect(inst.n).toBe(3);
    expect(Array.from(inst.capacity)).toEqual([10]);
    expect(Array.from(inst.sizes)).toEqual([5, 4, 3]);
    expect(inst.name).toBe('ok-crlf');
  });
  it('too few weights: names the file, the last line and the count expected', () => {
    expectInputError(() => readBpplib(f('too-few-weights.txt')), f('too-few-weights.txt'), 5, /weight 4 of 4/, /expected 4 weights/);
  });
  it('too many weights', () => {
    expectInputError(() => readBpplib(f('too-many-weights.txt')), f('too-many-weights.txt'), 5, /end of file/, /nothing after 2 weights/);
  });
  it('item larger than the bin', () => {
    expectInputError(() => readBpplib(f('item-larger-than-bin.txt')), f('item-larger-than-bin.txt'), 4, /weight 2 of 3/, /<= capacity 10.*"11"/);
  });
  it('item larger than the bin is accepted on request (then the instance is infeasible)', () => {
    expect(readBpplib(f('item-larger-than-bin.txt'), { allowOversized: true }).sizes[1]).toBe(11);
  });
  it('negative size', () => {
    expectInputError(() => readBpplib(f('negative-size.txt')), f('negative-size.txt'), 4, /weight 2 of 3/, /non-negative integer.*"-4"/);
  });
  it('non-integer size', () => {
    expectInputError(() => readBpplib(f('non-integer.txt')), f('non-integer.txt'), 4, /weight 2 of 3/, /an integer.*"4.5"/);
  });
  it('non-integer capacity', () => {
    expectInputError(() => readBpplib(f('bad-capacity.txt')), f('bad-capacity.txt'), 2, /capacity c/, /an integer.*"ten"/);
  });
});

describe('VBP reader', () => {
  it('reads a CRLF file and expands demands', () => {
    const inst = readInstance(f('vbp-ok.vbp'));
    expect(inst.d).toBe(2);
    expect(inst.n).toBe(3);
    expect(Array.from(inst.sizes)).toEqual([5, 5, 6, 6, 6, 6]);
  });
  it('a line with the wrong number of fields', () => {
    expectInputError(() => readVbp(f('vbp-short-line.vbp')), f('vbp-short-line.vbp'), 5, /item type 2 of 2/, /2 sizes and a demand \(3 integers\)/);
  });
  it('fewer item lines than m', () => {
    expectInputError(() => readVbp(f('vbp-missing-lines.vbp')), f('vbp-missing-lines.vbp'), 5, /item type 3 of 3/, /3 item lines/);
  });
  it('item larger than the bin', () => {
    expectInputError(() => readVbp(f('vbp-item-larger.vbp')), f('vbp-item-larger.vbp'), 4, /item type 1 of 2, size 2/, /<= capacity 10/);
  });
  it('negative size (accepted only with allowNegative)', () => {
    expectInputError(() => readVbp(f('vbp-negative.vbp')), f('vbp-negative.vbp'), 5, /item type 2 of 2, size 2/, /non-negative/);
    expect(readVbp(f('vbp-negative.vbp'), { allowNegative: true }).sizes[3]).toBe(-1);
  });
  it('non-integer demand', () => {
    expectInputError(() => readVbp(f('vbp-non-integer-demand.vbp')), f('vbp-non-integer-demand.vbp'), 4, /item type 1 of 2, demand/, /"1.5"/);
  });
});
