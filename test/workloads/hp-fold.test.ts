import test from 'ava'
import { createRandom, runInline } from '@p2pc/sdk'
import type { TaskContext } from '@p2pc/sdk'
import hpFold from '../../workloads/hp-fold/src/index.ts'
import type { FoldCheckpoint, FoldInput } from '../../workloads/hp-fold/src/index.ts'
import { Chain } from '../../workloads/hp-fold/src/chain.ts'
import { CHECKPOINT_EVERY, DEFAULT_SEQUENCE } from '../../workloads/hp-fold/src/constants.ts'
import { canonical, energy, isSelfAvoiding } from '../../workloads/hp-fold/src/lattice.ts'
import { expNeg } from '../../workloads/hp-fold/src/search.ts'

// The test's own reading of the model, written apart from the workload's so neither checks itself.

function points(moves: string): Array<[number, number]> {
  const step: Record<string, [number, number]> = { U: [0, 1], D: [0, -1], L: [-1, 0], R: [1, 0] }
  const walk: Array<[number, number]> = [[0, 0]]
  for (const move of moves) {
    const [x, y] = walk.at(-1)!
    walk.push([x + step[move]![0], y + step[move]![1]])
  }
  return walk
}

function selfAvoiding(moves: string): boolean {
  const walk = points(moves)
  return walk.every(([x, y], i) => walk.findIndex(([u, v]) => u === x && v === y) === i)
}

/** Every pair of H residues, at least three apart in the chain, at lattice distance 1. */
function contactEnergy(sequence: string, moves: string): number {
  const walk = points(moves)
  let contacts = 0
  for (let i = 0; i < walk.length; i++) {
    for (let j = i + 3; j < walk.length; j++) {
      const distance = Math.abs(walk[i]![0] - walk[j]![0]) + Math.abs(walk[i]![1] - walk[j]![1])
      if (sequence[i] === 'H' && sequence[j] === 'H' && distance === 1) contacts++
    }
  }
  return contacts === 0 ? 0 : -contacts
}

/** The optimal energy by trying every self-avoiding walk (first move fixed, by symmetry). */
function bruteForceOptimum(sequence: string): number {
  let best = 0
  const extend = (moves: string): void => {
    if (!selfAvoiding(moves)) return
    if (moves.length === sequence.length - 1) {
      best = Math.min(best, contactEnergy(sequence, moves))
      return
    }
    for (const move of 'UDLR') extend(moves + move)
  }
  extend('R')
  return best
}

/** A random self-avoiding walk, grown move by move, starting over when it traps itself. */
function randomWalk(length: number, seed: string): string {
  const random = createRandom(seed)
  for (;;) {
    let moves = ''
    while (moves.length < length) {
      const options = [...'UDLR'].filter((move) => selfAvoiding(moves + move))
      if (options.length === 0) break
      moves += random.pick(options)
    }
    if (moves.length === length) return moves
  }
}

/** A context that keeps its checkpoints in memory and records progress. */
function memoryContext(
  init: { saved?: FoldCheckpoint; onCheckpoint?: (state: FoldCheckpoint) => void } = {},
) {
  const controller = new AbortController()
  const checkpoints: FoldCheckpoint[] = []
  const progress: number[] = []
  const ctx: TaskContext = {
    signal: controller.signal,
    progress: (fraction) => progress.push(fraction),
    log() {},
    async checkpoint(state) {
      // As the host persists it: nothing but JSON survives.
      checkpoints.push(JSON.parse(JSON.stringify(state)) as FoldCheckpoint)
      init.onCheckpoint?.(checkpoints.at(-1)!)
    },
    async restore<T>() {
      return structuredClone(init.saved) as T | undefined
    },
  }
  return { ctx, controller, checkpoints, progress }
}

const MER36 = 'PPPHHPPHHPPPPPHHHHHHHPPHHPPPPHHPPHPP'

test('the test helpers agree with hand-counted conformations', (t) => {
  t.is(contactEnergy('HPPH', 'RUL'), -1) // a square: the ends touch
  t.is(contactEnergy('HPPH', 'RRR'), 0)
  t.is(contactEnergy('HHHHHH', 'RRULL'), -2) // a 2 × 3 block: 0–5 and 1–4 touch
  t.true(selfAvoiding('RULD'.slice(0, 3)))
  t.false(selfAvoiding('RULD'))
  t.is(bruteForceOptimum('HPPH'), -1)
  t.is(bruteForceOptimum('HHHHHH'), -2)
})

test('lattice.ts agrees with the independent energy and self-avoidance checks', (t) => {
  const sequence = 'HHPHPHHHPPHHPHHHPHHPHHPPHH'
  for (let k = 0; k < 50; k++) {
    const moves = randomWalk(sequence.length - 1, `walk ${k}`)
    t.true(isSelfAvoiding(moves))
    t.is(energy(sequence, moves), contactEnergy(sequence, moves))
  }
  for (const moves of ['RULD', 'RRULLD', 'UUDD', 'RL']) {
    t.false(isSelfAvoiding(moves))
    t.throws(() => energy('H'.repeat(moves.length + 1), moves), { instanceOf: RangeError })
  }
  t.throws(() => energy('HPPH', 'RU'), { instanceOf: RangeError })
  t.throws(() => isSelfAvoiding('RX'), { instanceOf: RangeError })
})

test('canonical picks one of the eight symmetric copies and keeps the shape', (t) => {
  const moves = randomWalk(30, 'canonical')
  const rotate = (m: string): string => m.replace(/./g, (c) => ({ R: 'U', U: 'L', L: 'D', D: 'R' })[c]!)
  const mirror = (m: string): string => m.replace(/./g, (c) => ({ R: 'R', L: 'L', U: 'D', D: 'U' })[c]!)
  const copies = [moves, rotate(moves), rotate(rotate(moves)), rotate(rotate(rotate(moves)))]
  copies.push(...copies.map(mirror))
  const representative = canonical(moves)
  t.is(new Set(copies).size, 8)
  t.deepEqual(new Set(copies.map(canonical)), new Set([representative]))
  t.true(copies.includes(representative))
  t.is(representative[0], 'R')
  t.is(representative.replace(/[RL]/g, '')[0], 'U')
  t.is(canonical('LLL'), 'RRR')
})

test('pull moves keep the chain self-avoiding and its energy right, including undo', (t) => {
  const sequence = 'HPHHPPHHHPHHPHHPPHPHHHH'
  const chain = new Chain(sequence, 'R'.repeat(sequence.length - 1))
  const random = createRandom('pull moves')
  let accepted = 0
  for (let k = 0; k < 5000; k++) {
    const before = chain.moves()
    const delta = chain.tryMove(random)
    if (delta === undefined) {
      t.is(chain.moves(), before)
      continue
    }
    const moved = chain.moves()
    t.true(selfAvoiding(moved))
    t.is(chain.energy, contactEnergy(sequence, moved))
    t.is(delta, contactEnergy(sequence, moved) - contactEnergy(sequence, before))
    if (random.next() < 0.3) {
      chain.undo()
      t.is(chain.moves(), before)
      t.is(chain.energy, contactEnergy(sequence, before))
    } else accepted++
  }
  t.true(accepted > 1000, `only ${accepted} moves were possible`)
})

test('expNeg matches Math.exp closely', (t) => {
  for (const x of [0, 1e-9, 0.3, 0.5, 1, 2.5, 4, 10, 37.5, 100]) {
    t.true(Math.abs(expNeg(x) - Math.exp(-x)) <= 1e-12 * Math.exp(-x), `at ${x}`)
  }
  t.is(expNeg(Infinity), 0)
})

test('a task reports a self-avoiding conformation whose energy checks out', async (t) => {
  const input: FoldInput = { sequence: MER36, steps: 20_000, seed: 'check' }
  const output = await hpFold.run(input, memoryContext().ctx)
  t.is(output.moves.length, MER36.length - 1)
  t.regex(output.moves, /^[UDLR]+$/)
  t.true(selfAvoiding(output.moves))
  t.is(output.energy, contactEnergy(MER36, output.moves))
  t.true(output.energy <= -8, `energy ${output.energy} after 20,000 steps`)
})

test('a task is a pure function of its input', async (t) => {
  const input: FoldInput = { sequence: MER36, steps: 3000, seed: 'same' }
  const first = await hpFold.run(input, memoryContext().ctx)
  t.deepEqual(await hpFold.run({ ...input }, memoryContext().ctx), first)
  const others = await Promise.all(
    ['other 1', 'other 2', 'other 3'].map((seed) => hpFold.run({ ...input, seed }, memoryContext().ctx)),
  )
  t.true(
    others.some((output) => output.moves !== first.moves),
    'other seeds all gave the same conformation',
  )
})

test('a task resumed from its checkpoint ends exactly like an uninterrupted one', async (t) => {
  const input: FoldInput = { sequence: MER36, steps: 2 * CHECKPOINT_EVERY + 5000, seed: 'resume' }
  const whole = memoryContext()
  const expected = await hpFold.run(input, whole.ctx)
  t.is(whole.checkpoints.length, 2)

  const interrupted = memoryContext({
    onCheckpoint: () => interrupted.controller.abort(new Error('drained')),
  })
  await t.throwsAsync(async () => hpFold.run(input, interrupted.ctx), { message: 'drained' })
  t.is(interrupted.checkpoints.length, 1)
  const saved = interrupted.checkpoints[0]!
  t.deepEqual(saved, whole.checkpoints[0])
  t.is(saved.step, CHECKPOINT_EVERY)

  const resumed = memoryContext({ saved })
  t.deepEqual(await hpFold.run(input, resumed.ctx), expected)
  // It carried on from the checkpoint rather than starting over.
  t.deepEqual(resumed.checkpoints, [whole.checkpoints[1]])
  t.true(resumed.progress.length > 0)
  t.true(resumed.progress.every((fraction) => fraction > saved.step / input.steps))
})

test('an aborted task stops with the abort reason', async (t) => {
  const { ctx, controller } = memoryContext()
  controller.abort(new Error('deadline'))
  await t.throwsAsync(async () => hpFold.run({ sequence: MER36, steps: 1e9, seed: 'x' }, ctx), {
    message: 'deadline',
  })
})

test('small sequences reach the optimum found by exhaustive enumeration', async (t) => {
  const cases = [
    'HPPH',
    'HHHH',
    'HPH',
    'PPPP',
    'HHHHHH',
    'HH',
    'HPHPPHPHH',
    'HHPPHPHHPH',
    'PHHPHHPHPHH',
    'HPPHHPPHHPPH',
  ]
  const optima = cases.map(bruteForceOptimum)
  t.deepEqual(optima.slice(0, 6), [-1, -1, 0, 0, -2, 0]) // by hand
  for (const [k, sequence] of cases.entries()) {
    const optimum = optima[k]!
    const { aggregate } = await runInline(hpFold, { sequence, tasks: 2, steps: 5000, seed: 'small' })
    t.is(aggregate.sequence, sequence)
    t.is(aggregate.energy, optimum, sequence)
    t.is(contactEnergy(sequence, aggregate.moves), optimum)
    t.true(selfAvoiding(aggregate.moves))
  }
})

test('the benchmark 20-mer reaches its known optimum of −9', async (t) => {
  const { tasks, aggregate } = await runInline(hpFold, { tasks: 4, steps: 50_000 })
  t.is(tasks, 4)
  t.is(aggregate.sequence, DEFAULT_SEQUENCE)
  t.is(aggregate.energy, -9)
  t.is(contactEnergy(DEFAULT_SEQUENCE, aggregate.moves), -9)
  t.true(selfAvoiding(aggregate.moves))
})

test('a 36-mer reaches its known optimum of −14', async (t) => {
  const { aggregate } = await runInline(hpFold, { sequence: MER36, tasks: 2, steps: 300_000, seed: 'mer36' })
  t.is(aggregate.energy, -14)
  t.is(contactEnergy(MER36, aggregate.moves), -14)
})

test('plan applies the defaults and gives each task its own seed', (t) => {
  const inputs = [...(hpFold.plan({}) as Iterable<FoldInput>)]
  t.is(inputs.length, 16)
  t.true(inputs.every((input) => input.sequence === DEFAULT_SEQUENCE && input.steps > 0))
  t.is(new Set(inputs.map((input) => input.seed)).size, 16)
  t.deepEqual(
    [...(hpFold.plan({ sequence: 'HPPH', tasks: 2, steps: 7, seed: 's' }) as Iterable<FoldInput>)],
    [
      { sequence: 'HPPH', steps: 7, seed: 's/0' },
      { sequence: 'HPPH', steps: 7, seed: 's/1' },
    ],
  )
})

test('reduce keeps the lowest energy, and the lowest task index on a tie', async (t) => {
  const input: FoldInput = { sequence: 'HPPHPH', steps: 1, seed: 's' }
  const results = [
    { index: 0, input, output: { energy: 0, moves: 'RRRRR' } },
    { index: 1, input, output: { energy: -1, moves: 'RULLL' } },
    { index: 2, input, output: { energy: -1, moves: 'RURUL' } },
  ]
  t.deepEqual(await hpFold.reduce(results, {}, []), { sequence: 'HPPHPH', energy: -1, moves: 'RULLL' })
})
