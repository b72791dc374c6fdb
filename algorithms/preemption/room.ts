/** Does `room[0..dims)` hold `request[offset..offset+dims)` in every dimension? */
export function roomFits(room: Float64Array, request: Float64Array, offset: number, dims: number): boolean {
  for (let d = 0; d < dims; d++) if (request[offset + d] > room[d]) return false;
  return true;
}

/** Would `room` minus the vector at `vecOffset` still hold the request? */
export function roomFitsWithout(room: Float64Array, vectors: Float64Array, vecOffset: number, request: Float64Array, reqOffset: number, dims: number): boolean {
  for (let d = 0; d < dims; d++) if (request[reqOffset + d] > room[d] - vectors[vecOffset + d]) return false;
  return true;
}
