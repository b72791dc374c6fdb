import { describe, expect, it } from 'vitest';
import { fnv1a32 } from '../model/hash.js';

// FNV-1a 32-bit test vectors from the FNV reference test suite (Fowler, Noll, Vo;
// http://www.isthe.com/chongo/tech/comp/fnv/), for ASCII strings (UTF-16 code units = bytes).
describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('b')).toBe(0xe70c2de5);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});
