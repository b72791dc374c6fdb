import { describe, expect, it } from 'vitest';
import { isWholeQuantity, parseQuantity, quantityToUnits } from '../workloads/kubernetes/quantity.js';

const milli = (s: string) => quantityToUnits(parseQuantity(s)!, 1000);
const units = (s: string) => quantityToUnits(parseQuantity(s)!, 1);

describe('Kubernetes quantities', () => {
  it.each([
    ['100m', 100],
    ['0.5', 500],
    ['.5', 500],
    ['1', 1000],
    ['1.', 1000],
    ['2', 2000],
    ['0.1', 100], // not 101: exact decimal arithmetic, no 0.1 × 1000 = 100.00000000000001
    ['0.0001', 1], // rounded up to a millicore, as MilliValue() does
    ['1500m', 1500],
    ['1e3', 1_000_000],
    ['1E-3', 1],
    ['+2', 2000],
    ['1k', 1_000_000],
    ['0', 0],
    ['-0', 0],
  ])('CPU %s = %d millicores', (text, expected) => {
    expect(milli(text)).toBe(expected);
  });

  it.each([
    ['128974848', 128_974_848],
    ['129e6', 129_000_000],
    ['129M', 129_000_000],
    ['123Mi', 123 * 2 ** 20],
    ['2Ki', 2048],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1k', 1000],
    ['1E', 1e18], // exa, not an exponent: no digits follow
    ['100m', 1], // 0.1 byte rounds up to 1 (Value() rounds up)
    ['0.5Ki', 512],
  ])('memory %s = %d bytes', (text, expected) => {
    expect(units(text)).toBe(expected);
  });

  it.each(['', 'abc', '1.5 cores', '1 Gi', '1gi', '1KB', '1e', '1e3Mi', '--1', '1..2', 'Mi', '-1', '-100m', '0x10', '1,5', 'NaN', 'Infinity', '1e999'])(
    'rejects %j',
    (text) => {
      expect(parseQuantity(text)).toBeNull();
    },
  );

  it('tells whole quantities (GPU counts) from fractional ones', () => {
    expect(isWholeQuantity(parseQuantity('2')!)).toBe(true);
    expect(isWholeQuantity(parseQuantity('2000m')!)).toBe(true);
    expect(isWholeQuantity(parseQuantity('0.5')!)).toBe(false);
    expect(isWholeQuantity(parseQuantity('1500m')!)).toBe(false);
  });
});
