// libsecp256k1 compiled to WebAssembly (tiny-secp256k1), behind the protocol's narrow point backend.
// noble-curves stays the reference: protocol tests run both and compare.

import * as tiny from 'tiny-secp256k1'
import { type CurveBackend, scalarToBytes, setCurveBackend } from '../../protocol/math/curve.ts'

export const wasmBackend: CurveBackend = {
  name: 'libsecp256k1-wasm',
  mulG: (k) => {
    const r = tiny.pointFromScalar(scalarToBytes(k), true)
    if (!r) throw new Error('mulG: scalar out of range')
    return r
  },
  mul: (p, k) => tiny.pointMultiply(p, scalarToBytes(k), true),
  add: (a, b) => tiny.pointAdd(a, b, true),
  isPoint: (p) => p.length === 33 && (p[0] === 2 || p[0] === 3) && tiny.isPoint(p),
}

/** Select the WASM backend for the whole process (node entry points and benchmarks call this). */
export function useFastCurve(): void {
  setCurveBackend(wasmBackend)
}
