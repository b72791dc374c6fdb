import { DIM_CPU, DIM_GPU, DIM_MEMORY } from './resources.js';

const BINARY = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
const DECIMAL = ['k', 'M', 'G', 'T', 'P', 'E'];

/**
 * An amount in the reader's units (millicores, bytes, milli-GPU) written as a Kubernetes quantity,
 * close to apimachinery's canonical form (Quantity.String): CPU `2` or `500m`; memory with the
 * largest binary suffix that divides it (`512Mi`, `2Gi`), else the largest decimal one (`1G`), else
 * bytes; GPUs as a count. For messages that quote Kubernetes' own (LimitRange rejections).
 */
export function formatQuantity(value: number, dim: number): string {
  if (dim === DIM_CPU || dim === DIM_GPU) return value % 1000 === 0 ? String(value / 1000) : `${value}m`;
  if (dim === DIM_MEMORY && value > 0) {
    for (let k = BINARY.length; k >= 1; k--) if (value % 1024 ** k === 0) return `${value / 1024 ** k}${BINARY[k - 1]}`;
    for (let k = DECIMAL.length; k >= 1; k--) if (value % 1000 ** k === 0) return `${value / 1000 ** k}${DECIMAL[k - 1]}`;
  }
  return String(value);
}
