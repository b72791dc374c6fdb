/**
 * Standard normal CDF and survival function through the complementary error function, using the
 * Chebyshev fit of erfc from Numerical Recipes (2nd ed., §6.2, `erfcc`; fractional error < 1.2e-7
 * everywhere). The survival function is computed directly for z > 0 so the upper tail keeps its
 * relative precision (needed to draw heavy tails from a Gaussian copula).
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return z > 0 ? 1 - 0.5 * erfc(z / Math.SQRT2) : 0.5 * erfc(-z / Math.SQRT2);
}

/** P(Z > z) for a standard normal Z, accurate in the upper tail. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}
