import { describe, expect, it } from 'vitest';
import { quantityInUnits, quantityText, unitsPerQuantity } from '../harness/admission/quantity-text.js';

// Amounts in the workload's units shown as Kubernetes quantities (canonical per unit), and read back.
describe('quantity text', () => {
  it('CPU and GPU: whole units when exact, else milli', () => {
    expect(quantityText(2000, 'millicores')).toBe('2');
    expect(quantityText(1500, 'millicores')).toBe('1500m');
    expect(quantityText(0, 'millicores')).toBe('0');
    expect(quantityText(500, 'milli-gpu')).toBe('500m');
  });

  it('bytes: the largest exact binary suffix, else decimal, else plain', () => {
    expect(quantityText(8 * 2 ** 30, 'bytes')).toBe('8Gi');
    expect(quantityText(1536 * 2 ** 20, 'bytes')).toBe('1536Mi');
    expect(quantityText(1e9, 'bytes')).toBe('1G');
    expect(quantityText(1023, 'bytes')).toBe('1023');
    expect(quantityText(1500, 'bytes')).toBe('1500');
    expect(quantityText(1024, 'bytes')).toBe('1Ki');
  });

  it('counts and other units as plain numbers', () => {
    expect(quantityText(10, 'pods')).toBe('10');
    expect(quantityText(2.5, 'processors')).toBe('2.5');
  });

  it('reads quantities into units, rounding up', () => {
    expect(quantityInUnits('500m', unitsPerQuantity('millicores')!)).toBe(500);
    expect(quantityInUnits('0.0001', 1000)).toBe(1);
    expect(quantityInUnits('2Gi', unitsPerQuantity('bytes')!)).toBe(2 * 2 ** 30);
    expect(quantityInUnits('-1', 1)).toBeNull();
    expect(unitsPerQuantity('processors')).toBeUndefined();
  });
});
