// A small bounded map with least-recently-inserted eviction, for memoizing pure, deterministic
// results (DID resolution, signature checks of immutable tokens).
export class BoundedCache<K, V> {
  readonly #max: number
  readonly #map = new Map<K, V>()

  constructor(max = 1024) {
    this.#max = max
  }

  get(key: K): V | undefined {
    return this.#map.get(key)
  }

  set(key: K, value: V): V {
    if (this.#map.size >= this.#max && !this.#map.has(key)) {
      const oldest = this.#map.keys().next()
      if (!oldest.done) this.#map.delete(oldest.value)
    }
    this.#map.set(key, value)
    return value
  }
}
