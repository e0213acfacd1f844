import type { Random } from '@p2pc/sdk'
import { decode, encode } from './lattice.ts'

// Unit steps R, U, L, D: a direction index d turned a quarter is (d + 1) & 3.
const DX = [1, 0, -1, 0] as const
const DY = [0, 1, 0, -1] as const

/**
 * A conformation being searched: coordinates plus an occupancy grid, changed in place by pull
 * moves (Lesh, Mitzenmacher & Whitesides 2003), with the energy kept up to date incrementally.
 *
 * The grid is a torus whose side exceeds the chain length: two residues of one chain are never
 * a whole side apart, so distinct points never share a cell, however far the chain drifts.
 */
export class Chain {
  readonly length: number
  /** The HP energy, kept in step with every accepted move. */
  energy: number
  private readonly hydrophobic: Uint8Array
  private readonly xs: Int32Array
  private readonly ys: Int32Array
  /** Residue index + 1 at each torus cell, 0 where empty. */
  private readonly grid: Uint16Array
  private readonly bits: number
  private readonly mask: number
  // The staged move: residues first..last get nextX/nextY; prevX/prevY keep their old places.
  private readonly nextX: Int32Array
  private readonly nextY: Int32Array
  private readonly prevX: Int32Array
  private readonly prevY: Int32Array
  private first = 0
  private last = -1
  private delta = 0

  constructor(sequence: string, moves: string) {
    const n = sequence.length
    this.length = n
    this.hydrophobic = Uint8Array.from(sequence, (residue) => (residue === 'H' ? 1 : 0))
    let bits = 3
    while (1 << bits <= n) bits++
    this.bits = bits
    this.mask = (1 << this.bits) - 1
    this.grid = new Uint16Array(1 << (2 * this.bits))
    this.xs = new Int32Array(n)
    this.ys = new Int32Array(n)
    this.nextX = new Int32Array(n)
    this.nextY = new Int32Array(n)
    this.prevX = new Int32Array(n)
    this.prevY = new Int32Array(n)
    decode(moves).forEach(([x, y], i) => {
      if (this.grid[this.cell(x, y)] !== 0) throw new RangeError('the conformation is not self-avoiding')
      this.xs[i] = x
      this.ys[i] = y
      this.grid[this.cell(x, y)] = i + 1
    })
    this.energy = 0 - this.contacts(0, n - 1)
  }

  /** The conformation as absolute moves. */
  moves(): string {
    return encode(this.xs, this.ys)
  }

  /**
   * Draws a random pull move and applies it, returning the energy change; `undo()` takes it
   * back. Returns undefined, changing nothing, when the drawn move is blocked.
   */
  tryMove(random: Random): number | undefined {
    const n = this.length
    const draw = random.int(n * 32)
    const i = draw >> 5
    const side = draw & 1 ? 1 : -1 // the pulled residues are i + side, i + 2 side, …
    const anchor = i - side
    const { xs, ys, nextX, nextY } = this
    let cx: number
    let cy: number
    let lx: number
    let ly: number
    let only = false // true when the pulled neighbour already sits at C: a corner flip
    if (anchor >= 0 && anchor < n) {
      // L is next to the anchor and diagonal to i, C completes the square: i goes to L, i + side to C.
      const bx = xs[anchor]! - xs[i]!
      const by = ys[anchor]! - ys[i]!
      const turn = draw & 2 ? 1 : -1
      const px = -by * turn
      const py = bx * turn
      lx = xs[anchor]! + px
      ly = ys[anchor]! + py
      cx = xs[i]! + px
      cy = ys[i]! + py
      if (this.grid[this.cell(lx, ly)] !== 0) return undefined
      const pulled = i + side
      if (pulled < 0 || pulled >= n) only = true
      else if (xs[pulled] === cx && ys[pulled] === cy) only = true
      else if (this.grid[this.cell(cx, cy)] !== 0) return undefined
    } else {
      // An end residue: it goes to a free L two steps away through a free C, and the chain follows.
      const c = (draw >> 1) & 3
      cx = xs[i]! + DX[c]!
      cy = ys[i]! + DY[c]!
      const l = (draw >> 3) & 3
      lx = cx + DX[l]!
      ly = cy + DY[l]!
      if (this.grid[this.cell(cx, cy)] !== 0 || this.grid[this.cell(lx, ly)] !== 0) return undefined
    }
    nextX[i] = lx
    nextY[i] = ly
    let end = i
    if (!only) {
      end = i + side
      nextX[end] = cx
      nextY[end] = cy
      // Each further residue takes the old place of the one two ahead, until the chain is whole.
      for (let j = i + 2 * side; j >= 0 && j < n; j += side) {
        const dx = xs[j]! - nextX[j - side]!
        const dy = ys[j]! - nextY[j - side]!
        if (dx * dx + dy * dy === 1) break
        nextX[j] = xs[j - 2 * side]!
        nextY[j] = ys[j - 2 * side]!
        end = j
      }
    }
    this.first = Math.min(i, end)
    this.last = Math.max(i, end)
    const before = this.contacts(this.first, this.last)
    this.swap(nextX, nextY)
    this.delta = before - this.contacts(this.first, this.last)
    this.energy += this.delta
    return this.delta
  }

  /** Takes back the last move of `tryMove`. */
  undo(): void {
    this.swap(this.prevX, this.prevY)
    this.energy -= this.delta
  }

  /** Moves residues first..last to the given places, saving their current ones in prevX/prevY. */
  private swap(toX: Int32Array, toY: Int32Array): void {
    const { xs, ys, grid, prevX, prevY } = this
    for (let k = this.first; k <= this.last; k++) grid[this.cell(xs[k]!, ys[k]!)] = 0
    for (let k = this.first; k <= this.last; k++) {
      const x = toX[k]!
      const y = toY[k]!
      prevX[k] = xs[k]!
      prevY[k] = ys[k]!
      xs[k] = x
      ys[k] = y
      grid[this.cell(x, y)] = k + 1
    }
  }

  /** H–H contacts that involve at least one of the residues first..last. */
  private contacts(first: number, last: number): number {
    const { xs, ys, grid, hydrophobic } = this
    let count = 0
    for (let a = first; a <= last; a++) {
      if (hydrophobic[a] === 0) continue
      const x = xs[a]!
      const y = ys[a]!
      for (let d = 0; d < 4; d++) {
        const b = grid[this.cell(x + DX[d]!, y + DY[d]!)]! - 1
        if (b < 0 || hydrophobic[b] === 0 || b === a - 1 || b === a + 1) continue
        // A pair inside the range is seen from both ends: count it once.
        if (b >= first && b <= last && b < a) continue
        count++
      }
    }
    return count
  }

  private cell(x: number, y: number): number {
    return ((x & this.mask) << this.bits) | (y & this.mask)
  }
}
