/**
 * A binary min-heap ordered by two numbers (primary, then secondary), each entry
 * carrying an item. Parallel arrays rather than an object per entry, as the
 * market keeps one entry per task and per claim.
 */
export class MinHeap<T> {
  private readonly primary: number[] = []
  private readonly secondary: number[] = []
  private readonly items: T[] = []

  get size(): number {
    return this.items.length
  }

  /** Primary key of the smallest entry; only meaningful when `size > 0`. */
  get topPrimary(): number {
    return this.primary[0] ?? Infinity
  }

  /** Secondary key of the smallest entry; only meaningful when `size > 0`. */
  get topSecondary(): number {
    return this.secondary[0] ?? Infinity
  }

  push(primary: number, secondary: number, item: T): void {
    this.primary.push(primary)
    this.secondary.push(secondary)
    this.items.push(item)
    this.up(this.items.length - 1)
  }

  /** Removes the smallest entry and returns its item. */
  pop(): T | undefined {
    const last = this.items.length - 1
    if (last < 0) return undefined
    const top = this.items[0]
    this.move(last, 0)
    this.primary.pop()
    this.secondary.pop()
    this.items.pop()
    if (last > 0) this.down(0)
    return top
  }

  private less(i: number, j: number): boolean {
    const a = this.primary[i]!
    const b = this.primary[j]!
    return a < b || (a === b && this.secondary[i]! < this.secondary[j]!)
  }

  private move(from: number, to: number): void {
    this.primary[to] = this.primary[from]!
    this.secondary[to] = this.secondary[from]!
    this.items[to] = this.items[from]!
  }

  private swap(i: number, j: number): void {
    const p = this.primary[i]!
    const s = this.secondary[i]!
    const item = this.items[i]!
    this.move(j, i)
    this.primary[j] = p
    this.secondary[j] = s
    this.items[j] = item
  }

  private up(index: number): void {
    let i = index
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent)) return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(index: number): void {
    const n = this.items.length
    let i = index
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) return
      const right = left + 1
      const child = right < n && this.less(right, left) ? right : left
      if (!this.less(child, i)) return
      this.swap(i, child)
      i = child
    }
  }
}
