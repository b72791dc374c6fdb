/**
 * Gaussian copula helpers: Spearman to normal correlation, r = 2 sin(pi rho_s / 6) (exact for a
 * Gaussian copula; Kruskal 1958), and a Cholesky factor that falls back to shrinking toward the
 * identity when the pairwise estimates do not form a positive-definite matrix.
 */
export function spearmanToNormal(rhoS: number): number {
  return 2 * Math.sin((Math.PI * rhoS) / 6);
}

/** Lower Cholesky factor of `m`, or null when `m` is not (numerically) positive definite. */
export function cholesky(m: readonly (readonly number[])[]): number[][] | null {
  const n = m.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(s > 1e-9)) return null;
        l[i][i] = Math.sqrt(s);
      } else {
        l[i][j] = s / l[j][j];
      }
    }
  }
  return l;
}

/** Cholesky factor of the correlation matrix, shrinking off-diagonals by 5 % steps until PD. */
export function choleskyShrunk(r: readonly (readonly number[])[]): { factor: number[][]; shrink: number } {
  for (let step = 0; step <= 20; step++) {
    const shrink = step * 0.05;
    const m = r.map((row, i) => row.map((x, j) => (i === j ? 1 : (1 - shrink) * x)));
    const f = cholesky(m);
    if (f) return { factor: f, shrink };
  }
  throw new Error('choleskyShrunk: identity is not positive definite?');
}
