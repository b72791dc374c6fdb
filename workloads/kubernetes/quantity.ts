/**
 * Kubernetes resource quantities (k8s.io/apimachinery `resource.Quantity`), parsed exactly.
 *
 * Grammar (from the apimachinery documentation of Quantity):
 *
 *   quantity        ::= signedNumber suffix
 *   suffix          ::= binarySI | decimalExponent | decimalSI
 *   binarySI        ::= Ki | Mi | Gi | Ti | Pi | Ei
 *   decimalSI       ::= m | "" | k | M | G | T | P | E
 *   decimalExponent ::= "e" signedNumber | "E" signedNumber
 *   number          ::= digits | digits "." digits | digits "." | "." digits
 *
 * Values are kept as an exact fraction of BigInts, because binary floating point gets the most
 * common quantities wrong: 0.1 × 1000 = 100.00000000000001, which a round-up would turn into
 * 101 millicores. Conversion to a unit rounds *up*, as apimachinery's MilliValue()/Value() do
 * (so "100m" of memory is 1 byte, and "0.0001" CPU is 1 millicore).
 */

/** An exact non-negative rational value num / den. */
export interface Quantity {
  num: bigint;
  den: bigint;
  /** The text as written (for messages). */
  text: string;
}

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

/** decimalSI suffix → power of ten ('' is handled by the absence of a suffix). */
const DECIMAL: Record<string, number> = { m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:([eE])([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E))?$/;

/** What a valid quantity looks like, for InputError's `expected`. */
export const QUANTITY_EXPECTED =
  'a Kubernetes quantity such as 250m, 0.5, 2, 512Mi, 1Gi, 1G or 1e3 (non-negative)';

/**
 * Parses a quantity written as a string (or a YAML/JSON number, given as its source text).
 * Returns null when the text is not a quantity or is negative (requests, limits and capacities
 * cannot be negative), so the caller can attach file/line/field to the error.
 */
export function parseQuantity(text: string): Quantity | null {
  const m = QUANTITY.exec(text.trim());
  if (m === null) return null;
  const [, sign, number, e, expText, suffix] = m;
  const dot = number.indexOf('.');
  const intPart = dot < 0 ? number : number.slice(0, dot);
  const fracPart = dot < 0 ? '' : number.slice(dot + 1);
  let num = BigInt((intPart === '' ? '0' : intPart) + fracPart);
  let den = 10n ** BigInt(fracPart.length);
  if (sign === '-' && num !== 0n) return null;
  let exp10 = 0;
  if (e !== undefined) {
    exp10 = Number(expText);
    // Quantities larger than 10^±400 are not representable in Kubernetes either (and would make
    // BigInt powers huge); reject rather than allocate.
    if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 400) return null;
  } else if (suffix !== undefined) {
    const bin = BINARY[suffix];
    if (bin !== undefined) num *= bin;
    else exp10 = DECIMAL[suffix];
  }
  if (exp10 > 0) num *= 10n ** BigInt(exp10);
  else if (exp10 < 0) den *= 10n ** BigInt(-exp10);
  return { num, den, text };
}

/**
 * The quantity in units of 1/`perUnit` (perUnit = 1000 gives millis, 1 gives whole units), rounded
 * up to an integer, as a Number (exact below 2^53, which covers every real capacity).
 */
export function quantityToUnits(q: Quantity, perUnit: number): number {
  const scaled = q.num * BigInt(perUnit);
  const whole = scaled / q.den;
  return Number(scaled % q.den === 0n ? whole : whole + 1n);
}

/** True when the quantity is a whole number (extended resources such as nvidia.com/gpu must be). */
export function isWholeQuantity(q: Quantity): boolean {
  return q.num % q.den === 0n;
}
