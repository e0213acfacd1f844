/**
 * The fake clock and its agenda: a binary min-heap of timed events over parallel
 * typed arrays (a run holds millions of events, so no object per event). Events are
 * ordered by time, then by the order in which they were scheduled, so a run is a
 * pure function of its seed. An event is a kind and three integers.
 */
export class EventQueue {
  /** The time of the event last taken: the simulation's clock. */
  now = 0
  /** Fields of the event last taken by {@link take}. */
  kind = 0
  a = 0
  b = 0
  c = 0
  private times = new Float64Array(1024)
  private seqs = new Float64Array(1024)
  private fields = new Int32Array(4 * 1024)
  private count = 0
  private scheduled = 0

  /** Events waiting. */
  get size(): number {
    return this.count
  }

  /** Events scheduled since the start, taken or not. */
  get total(): number {
    return this.scheduled
  }

  /**
   * Schedules an event. A time before the clock is moved to the clock: the past is over.
   *
   * @throws RangeError on a time that is not a number (an infinite time is a bug: never schedule it)
   */
  schedule(time: number, kind: number, a = 0, b = 0, c = 0): void {
    if (!(time < Infinity)) throw new RangeError(`cannot schedule an event at ${time}`)
    if (this.count === this.times.length) this.grow()
    const at = this.count++
    this.times[at] = time < this.now ? this.now : time
    this.seqs[at] = this.scheduled++
    const f = at * 4
    this.fields[f] = kind
    this.fields[f + 1] = a
    this.fields[f + 2] = b
    this.fields[f + 3] = c
    this.up(at)
  }

  /** Takes the earliest event into `now`, `kind`, `a`, `b`, `c`; false when none is left. */
  take(): boolean {
    if (this.count === 0) return false
    this.now = this.times[0]!
    this.kind = this.fields[0]!
    this.a = this.fields[1]!
    this.b = this.fields[2]!
    this.c = this.fields[3]!
    const last = --this.count
    if (last > 0) {
      this.move(last, 0)
      this.down(0)
    }
    return true
  }

  private less(i: number, j: number): boolean {
    const a = this.times[i]!
    const b = this.times[j]!
    return a < b || (a === b && this.seqs[i]! < this.seqs[j]!)
  }

  private move(from: number, to: number): void {
    this.times[to] = this.times[from]!
    this.seqs[to] = this.seqs[from]!
    this.fields.copyWithin(to * 4, from * 4, from * 4 + 4)
  }

  private swap(i: number, j: number): void {
    const time = this.times[i]!
    const seq = this.seqs[i]!
    const fi = i * 4
    const fj = j * 4
    const f = this.fields
    const k = f[fi]!
    const a = f[fi + 1]!
    const b = f[fi + 2]!
    const c = f[fi + 3]!
    this.move(j, i)
    this.times[j] = time
    this.seqs[j] = seq
    f[fj] = k
    f[fj + 1] = a
    f[fj + 2] = b
    f[fj + 3] = c
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
    const n = this.count
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

  private grow(): void {
    const size = this.times.length * 2
    const times = new Float64Array(size)
    const seqs = new Float64Array(size)
    const fields = new Int32Array(size * 4)
    times.set(this.times)
    seqs.set(this.seqs)
    fields.set(this.fields)
    this.times = times
    this.seqs = seqs
    this.fields = fields
  }
}
