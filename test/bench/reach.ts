/**
 * Benchmark, in the NAT lab (root): the same job twice in one run, once with contributors in cone
 * homes (they meet the publisher directly over WebRTC) and once with contributors behind symmetric
 * NATs (everything goes through the relay). Prints tasks/s of each, their ratio, and the bytes the
 * relay carried per task. Real `p2pc` processes, as in test/lab/reach.test.ts.
 *
 *     node test/bench/reach.ts [--upTo 4000000 --chunk 20000]
 */
import type { ExecutionContext } from 'ava'
import { parseArgs } from 'node:util'
import { p2pc } from '../helpers/cli.ts'
import {
  connectionsOf,
  eventually,
  relayStatusOf,
  startLabSwarm,
  type LabSwarm,
} from '../helpers/lab-swarm.ts'
import { createNatLab, natLabUnavailable, type NatKind } from '../helpers/nat-lab.ts'
import { workloadDir } from '../helpers/paths.ts'

const { values } = parseArgs({
  options: { upTo: { type: 'string', default: '4000000' }, chunk: { type: 'string', default: '20000' } },
})
const params = JSON.stringify({ upTo: Number(values.upTo), chunk: Number(values.chunk) })
const tasks = Math.ceil(Number(values.upTo) / Number(values.chunk))

const unavailable = await natLabUnavailable()
if (unavailable !== undefined) {
  console.log(`skipped: ${unavailable}`)
  process.exit(0)
}

/** Enough of ava's context for the helpers: teardowns, run at the end of a round. */
function context(): { t: ExecutionContext; end(): Promise<void> } {
  const teardowns: Array<() => unknown> = []
  const t = { teardown: (fn: () => unknown) => teardowns.push(fn) } as unknown as ExecutionContext
  return { t, end: async () => void (await Promise.all(teardowns.reverse().map((fn) => fn()))) }
}

async function relayBytes(swarm: LabSwarm): Promise<number> {
  return (await relayStatusOf(swarm.relayDir))?.bytes ?? 0
}

async function round(contributorHomes: NatKind[]): Promise<{ rate: number; bytesPerTask: number }> {
  const { t, end } = context()
  try {
    const lab = await createNatLab({ homes: [{ nat: 'cone' }, ...contributorHomes.map((nat) => ({ nat }))] })
    t.teardown(() => lab.stop())
    const swarm = await startLabSwarm(t, lab)
    // Time starts once every contributor is connected to the publisher, as a swarm already running would be.
    await eventually(
      async () => {
        const peers = new Set((await connectionsOf(swarm.publisherDir)).map((c) => c.peer))
        return swarm.contributors.every((c) => peers.has(c.peerId))
      },
      60_000,
      'the contributors to meet the publisher',
    )
    const before = await relayBytes(swarm)
    const started = performance.now()
    const published = await p2pc(
      [
        'publish',
        workloadDir('primes'),
        '--params',
        params,
        '--quorum',
        '2',
        '--wait',
        '--json',
        '--data-dir',
        swarm.publisherDir,
      ],
      { timeoutMs: 600_000 },
    )
    if (published.code !== 0) throw new Error(published.stderr)
    const seconds = (performance.now() - started) / 1000
    return { rate: tasks / seconds, bytesPerTask: ((await relayBytes(swarm)) - before) / tasks }
  } finally {
    await end()
  }
}

const direct = await round(['cone', 'cone'])
const relayed = await round(['symmetric', 'symmetric'])
console.log(`tasks: ${tasks}, quorum 2, two one-thread contributors`)
console.log(
  `direct (cone homes):        ${direct.rate.toFixed(1)} tasks/s, relay ${direct.bytesPerTask.toFixed(0)} B/task`,
)
console.log(
  `relayed (symmetric homes):  ${relayed.rate.toFixed(1)} tasks/s, relay ${relayed.bytesPerTask.toFixed(0)} B/task`,
)
console.log(`relayed / direct:           ${(relayed.rate / direct.rate).toFixed(3)}`)
