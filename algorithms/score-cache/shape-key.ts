/**
 * A 32-bit hash of a request shape (the request vector and the missing-request flag), from the
 * bits of each amount: what the score cache keys its classes by, with no string built per lookup.
 * −0 hashes as 0 (the two compare equal, and so do their scores).
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export function shapeHash(request: Float64Array, missing: boolean): number {
  let h = missing ? 0x9e3779b9 : 0x85ebca6b;
  for (let d = 0; d < request.length; d++) {
    f64[0] = request[d] + 0;
    h = Math.imul(h ^ u32[0], 0x01000193);
    h = Math.imul(h ^ u32[1], 0x01000193);
    h ^= h >>> 15;
  }
  return h | 0;
}

/** Same shape: equal amounts in every dimension and the same missing-request flag. */
export function sameShape(a: Float64Array, aMissing: boolean, b: Float64Array, bMissing: boolean): boolean {
  if (aMissing !== bMissing || a.length !== b.length) return false;
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d]) return false;
  return true;
}
