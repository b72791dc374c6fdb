import { describe, expect, it } from 'vitest';
import { ZoneState, computeZoneState } from '../harness/failures/zone-state.js';
import { TAINT_PASS_PERIOD, ZoneTainter } from '../harness/failures/zone-tainter.js';

const S = 1e6;

describe('ComputeZoneState', () => {
  it('Full with no Ready node; Partial needs more than 2 NotReady and at least the threshold; Normal otherwise', () => {
    expect(computeZoneState(0, 1, 0.55)).toBe(ZoneState.FullDisruption);
    expect(computeZoneState(0, 0, 0.55)).toBe(ZoneState.Normal);
    expect(computeZoneState(1, 2, 0.55)).toBe(ZoneState.Normal); // 67 % but only 2
    expect(computeZoneState(2, 3, 0.55)).toBe(ZoneState.PartialDisruption);
    expect(computeZoneState(10, 10, 0.55)).toBe(ZoneState.Normal); // 50 %
    expect(computeZoneState(9, 11, 0.55)).toBe(ZoneState.PartialDisruption); // 55 % exactly (float32 on both sides)
    expect(computeZoneState(9, 11, 0.56)).toBe(ZoneState.Normal);
  });
});

describe('the zone tainter (RateLimitedTimedQueue, token bucket of burst 1)', () => {
  it('starts full; one token per 1/qps s; a full bucket holds one token only', () => {
    const z = new ZoneTainter(0.1);
    expect(z.hasToken(0)).toBe(true);
    z.take(0);
    expect(z.hasToken(9.9 * S)).toBe(false);
    expect(z.hasToken(10 * S)).toBe(true);
    z.take(100 * S); // long idle: still one token, the next 10 s after this take
    expect(z.hasToken(109.9 * S)).toBe(false);
    expect(z.nextPass(100 * S, 0)).toBe(110 * S);
  });

  it('SwapLimiter: same rate keeps the bucket; a new rate drains the new bucket when the old had no token; 0 never accepts', () => {
    const z = new ZoneTainter(0.1);
    z.take(0);
    z.swap(0.1, 1 * S);
    expect(z.hasToken(10 * S)).toBe(true); // unchanged
    z.swap(0.01, 1 * S); // old bucket empty at 1 s: the new one starts drained
    expect(z.hasToken(100 * S)).toBe(false);
    expect(z.hasToken(1 * S + 1e6 / Math.fround(0.01))).toBe(true);
    const full = new ZoneTainter(0.1);
    full.swap(0.01, 5 * S); // old bucket full: the new one starts full
    expect(full.hasToken(5 * S)).toBe(true);
    full.swap(0, 5 * S);
    expect(full.hasToken(1e12)).toBe(false);
    expect(full.nextPass(5 * S, 0)).toBe(Infinity);
    // The never-accepting limiter reports QPS 1: swapping to 1 keeps it (as upstream), to 2 replaces it, drained.
    full.swap(1, 6 * S);
    expect(full.hasToken(1e12)).toBe(false);
    full.swap(2, 6 * S);
    expect(full.hasToken(6 * S)).toBe(false);
    expect(full.hasToken(6.5 * S)).toBe(true);
  });

  it('rate 0 from the start allows its one burst token, then none (x/time/rate with limit 0)', () => {
    const z = new ZoneTainter(0);
    expect(z.hasToken(0)).toBe(true);
    z.take(0);
    expect(z.hasToken(1e12)).toBe(false);
  });

  it('tainting passes run on the 100 ms grid', () => {
    const z = new ZoneTainter(0.3);
    z.take(0);
    expect(TAINT_PASS_PERIOD).toBe(100_000);
    expect(z.nextPass(0, 0)).toBe(Math.ceil(1e6 / Math.fround(0.3) / 1e5) * 1e5); // 3.4 s
    expect(z.nextPass(0, 0)).toBe(3.4 * S);
  });
});
