/**
 * The 2D HP lattice model in its plainest form: a conformation is a string of absolute moves,
 * 'U', 'D', 'L' or 'R', one per bond. The search in `chain.ts` is the fast path; these
 * functions are the readable definition that it is checked against.
 */

const STEPS: Readonly<Record<string, readonly [number, number]>> = {
  U: [0, 1],
  D: [0, -1],
  L: [-1, 0],
  R: [1, 0],
}

/** Directions in counter-clockwise order, so that rotating a move is adding to its index. */
const TURN_ORDER = 'RULD'

/**
 * The lattice points of a conformation, starting at the origin.
 *
 * @throws RangeError on a letter other than U, D, L, R
 */
export function decode(moves: string): Array<[number, number]> {
  let x = 0
  let y = 0
  const points: Array<[number, number]> = [[0, 0]]
  for (const move of moves) {
    const step = STEPS[move]
    if (step === undefined)
      throw new RangeError(`a move must be one of U, D, L, R, got ${JSON.stringify(move)}`)
    x += step[0]
    y += step[1]
    points.push([x, y])
  }
  return points
}

/** The moves that walk through the given points, each a lattice neighbour of the previous one. */
export function encode(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let moves = ''
  for (let i = 1; i < xs.length; i++) {
    const dx = (xs[i] as number) - (xs[i - 1] as number)
    const dy = (ys[i] as number) - (ys[i - 1] as number)
    if (dx === 1 && dy === 0) moves += 'R'
    else if (dx === -1 && dy === 0) moves += 'L'
    else if (dx === 0 && dy === 1) moves += 'U'
    else if (dx === 0 && dy === -1) moves += 'D'
    else throw new RangeError(`points ${i - 1} and ${i} are not lattice neighbours`)
  }
  return moves
}

/** Whether the walk never visits a lattice point twice. */
export function isSelfAvoiding(moves: string): boolean {
  const seen = new Set<string>()
  for (const [x, y] of decode(moves)) {
    const key = `${x},${y}`
    if (seen.has(key)) return false
    seen.add(key)
  }
  return true
}

/**
 * The HP energy of a conformation: minus the number of H–H pairs that are lattice neighbours
 * without being consecutive in the chain.
 *
 * @throws RangeError when the moves do not fit the sequence or the walk is not self-avoiding
 */
export function energy(sequence: string, moves: string): number {
  if (moves.length !== sequence.length - 1) {
    throw new RangeError(`a chain of ${sequence.length} residues needs ${sequence.length - 1} moves`)
  }
  if (!isSelfAvoiding(moves)) throw new RangeError('the conformation is not self-avoiding')
  const residueAt = new Map<string, number>()
  decode(moves).forEach(([x, y], i) => residueAt.set(`${x},${y}`, i))
  let contacts = 0
  decode(moves).forEach(([x, y], i) => {
    if (sequence[i] !== 'H') return
    // Look only right and up, so each pair is counted once.
    for (const key of [`${x + 1},${y}`, `${x},${y + 1}`]) {
      const j = residueAt.get(key)
      if (j !== undefined && sequence[j] === 'H' && Math.abs(i - j) > 1) contacts++
    }
  })
  return 0 - contacts
}

/**
 * One representative of a conformation's eight rotations and reflections: the first move is
 * 'R' and the first move off that axis is 'U'. Equal shapes get equal strings.
 */
export function canonical(moves: string): string {
  if (moves.length === 0) return moves
  decode(moves) // throws on a bad letter
  const turn = TURN_ORDER.indexOf(moves[0] as string)
  const rotated = [...moves].map((move) => (TURN_ORDER.indexOf(move) - turn + 4) % 4)
  // Mirroring in the x axis swaps U (1) and D (3) and keeps R and L.
  const mirror = rotated.find((index) => index % 2 === 1) === 3
  return rotated.map((index) => TURN_ORDER[mirror ? (4 - index) % 4 : index]).join('')
}
