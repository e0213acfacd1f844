import test from 'ava'
import { rendezvousRank, rendezvousSeed } from '@p2pc/market'
import { OpenTasks, RendezvousWalk } from '@p2pc/sim'

function marketOrder(seed: number, tasks: number[]): number[] {
  return [...tasks].sort((a, b) => rendezvousRank(seed, a) - rendezvousRank(seed, b))
}

function walkAll(walk: RendezvousWalk, now = 0): number[] {
  const order: number[] = []
  for (let task = walk.pop(now); task !== undefined; task = walk.pop(now)) order.push(task)
  return order
}

test('a walk is the market rendezvous order of the job, across all its windows', (t) => {
  for (const [peer, count] of [
    ['peer-a', 1],
    ['peer-b', 300],
    ['peer-c', 5000],
  ] as const) {
    const seed = rendezvousSeed(peer, 'job')
    const all = Array.from({ length: count }, (_, i) => i)
    t.deepEqual(walkAll(new RendezvousWalk(seed, new OpenTasks(count))), marketOrder(seed, all))
  }
})

test('a task put back comes out again in its rank order', (t) => {
  const seed = rendezvousSeed('peer', 'job')
  const walk = new RendezvousWalk(seed, new OpenTasks(1000))
  const first = Array.from({ length: 300 }, () => walk.pop(0)!)
  const back = [first[10]!, first[250]!, first[3]!]
  for (const task of back) walk.push(task)
  const rest = walkAll(walk)
  t.deepEqual(rest.slice(0, 3), marketOrder(seed, back))
  t.is(rest.length, 700 + 3)
})

test('tasks every peer sees settled are left out of the windows drawn after', (t) => {
  const seed = rendezvousSeed('peer', 'job')
  const open = new OpenTasks(2000)
  for (let task = 0; task < 2000; task += 2) open.deadAt[task] = 100
  open.compact(100)
  t.is(open.count, 1000)
  const order = walkAll(new RendezvousWalk(seed, open), 100)
  t.deepEqual(
    order,
    marketOrder(
      seed,
      Array.from({ length: 1000 }, (_, i) => 2 * i + 1),
    ),
  )
  // Before they die, they are walked.
  const early = walkAll(new RendezvousWalk(seed, new OpenTasks(2000)), 99)
  t.is(early.length, 2000)
})
