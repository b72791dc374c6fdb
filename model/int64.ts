/** Go's int64 parsing (strconv.ParseInt, base 10), as the Kubernetes API applies it to Gt / Lt values. */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, in int64 range; undefined otherwise. */
export function parseInt64(s: string | undefined): bigint | undefined {
  if (s === undefined || !/^[+-]?\d+$/.test(s)) return undefined;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? undefined : v;
}

/** content.IsDecimalInteger + ParseInt: canonical base-10 (no sign '+', no leading zeros, no "-0"), int64. */
export function parseCanonicalInt64(s: string): bigint | undefined {
  if (!/^(0|-?[1-9]\d*)$/.test(s)) return undefined;
  return parseInt64(s);
}
