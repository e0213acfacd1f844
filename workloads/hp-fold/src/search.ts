import { createRandom } from '@p2pc/sdk'
import type { Random, RandomState, TaskContext } from '@p2pc/sdk'
import { Chain } from './chain.ts'
import { canonical } from './lattice.ts'
import { CHECKPOINT_EVERY, EXCHANGE_EVERY, PROGRESS_EVERY, TEMPERATURES } from './constants.ts'

/** One task: a search of `steps` Monte Carlo steps from its own seed. */
export interface FoldInput {
  sequence: string
  steps: number
  seed: string
}

/** A conformation and its energy. */
export interface Fold {
  energy: number
  moves: string
}

/** What a task saves to resume exactly where it stopped. */
export interface FoldCheckpoint {
  /** The next step to run. */
  step: number
  /** The current conformation at each temperature, coldest first. */
  replicas: string[]
  best: Fold
  rng: RandomState
}

/**
 * Replica-exchange Monte Carlo with pull moves: one chain per temperature, each step tries one
 * move in every chain, and every few steps neighbouring temperatures may swap conformations,
 * so that the cold chains refine what the hot ones find. Returns the lowest-energy
 * conformation seen, in canonical form; the first one found wins a tie.
 */
export async function fold(input: FoldInput, ctx: TaskContext): Promise<Fold> {
  const { sequence, steps } = input
  const saved = await ctx.restore<FoldCheckpoint>()
  const random = createRandom(saved?.rng ?? input.seed)
  const straight = 'R'.repeat(sequence.length - 1)
  const chains = TEMPERATURES.map((_, k) => new Chain(sequence, saved?.replicas[k] ?? straight))
  let best: Fold = saved?.best ?? { energy: chains[0]!.energy, moves: straight }
  // exp(−ΔE/T) for every energy rise a move can cause: a contact count never exceeds 2n.
  const acceptance = TEMPERATURES.map((t) =>
    Float64Array.from({ length: 2 * sequence.length + 3 }, (_, delta) => expNeg(delta / t)),
  )

  for (let step = saved?.step ?? 0; step < steps;) {
    for (let k = 0; k < chains.length; k++) {
      const chain = chains[k]!
      const delta = chain.tryMove(random)
      if (delta === undefined) continue
      if (delta > 0 && !(random.next() < acceptance[k]![delta]!)) {
        chain.undo()
        continue
      }
      if (chain.energy < best.energy) best = { energy: chain.energy, moves: canonical(chain.moves()) }
    }
    step++
    if (step % EXCHANGE_EVERY === 0) exchange(chains, random, step / EXCHANGE_EVERY)
    if (step % PROGRESS_EVERY === 0) ctx.progress(step / steps)
    if (step % CHECKPOINT_EVERY === 0 && step < steps) {
      const replicas = chains.map((chain) => chain.moves())
      await ctx.checkpoint({ step, replicas, best, rng: random.state() } satisfies FoldCheckpoint)
    }
    if (step % 1024 === 0 && ctx.signal.aborted) throw ctx.signal.reason
  }
  return best
}

/** Metropolis swaps between neighbouring temperatures, even pairs and odd pairs in turn. */
function exchange(chains: Chain[], random: Random, round: number): void {
  for (let k = round % 2; k + 1 < chains.length; k += 2) {
    const colder = chains[k]!
    const hotter = chains[k + 1]!
    const exponent = (1 / TEMPERATURES[k]! - 1 / TEMPERATURES[k + 1]!) * (colder.energy - hotter.energy)
    if (exponent >= 0 || random.next() < expNeg(-exponent)) {
      chains[k] = hotter
      chains[k + 1] = colder
    }
  }
}

/**
 * e^−x for x ≥ 0, from + − × ÷ alone. IEEE 754 rounds those the same way everywhere, while
 * Math.exp is only an approximation that may differ between engines, and one flipped
 * acceptance would send two contributors' searches apart.
 */
export function expNeg(x: number): number {
  if (!(x < 700)) return 0
  let halvings = 0
  while (x > 0.5) {
    x /= 2
    halvings++
  }
  // e^x for x ≤ 0.5 by its Taylor series, then squared back up.
  let term = 1
  let sum = 1
  for (let k = 1; k <= 18; k++) {
    term = (term * x) / k
    sum += term
  }
  for (; halvings > 0; halvings--) sum *= sum
  return 1 / sum
}
