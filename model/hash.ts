/**
 * Small deterministic hashes, for randomness that must not depend on the order of events (a
 * task's usage at a sample) and for salts that fork one seeded stream per name.
 */

/** 32-bit avalanche hash of three integers (murmur3-style finalizer rounds). */
export function hash3(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h ^ b, 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h ^ c, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/**
 * 32-bit FNV-1a (Fowler, Noll, Vo: offset basis 2166136261, prime 16777619) of a string's UTF-16
 * code units: a small stable hash of a name, e.g. to fork one random stream per policy.
 */
export function fnv1a32(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
