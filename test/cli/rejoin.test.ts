// Peers started again remember the swarm: a contributor restarted without --bootstrap, a
// contributor that only has a saved network, and a command that starts a peer of its own on a
// publisher's data dir all find the others. A peer that knows no one says what to do.
import { once } from 'node:events'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { contributeArgs, freePort, spawnP2pc, watchP2pc, type RunningP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir, workloadDir } from '../helpers/paths.ts'

const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
const LONELY =
  /knows no other peer .*: add one with `p2pc network add MULTIADDR` or pass --bootstrap MULTIADDR$/

/** A `p2pc node` on a known port, and the multiaddr to bootstrap through it. */
async function startNode(t: Parameters<typeof temporaryDir>[0], dataDir: string) {
  const port = await freePort()
  const node = await spawnP2pc(t, [
    'node',
    '--data-dir',
    dataDir,
    '--listen',
    `/ip4/127.0.0.1/tcp/${port}`,
    '--no-mdns',
  ])
  return { node, bootstrap: `/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId}` }
}

type Status = { connections: Array<{ peer: string }> }

/** Resolves once the peer running on `dataDir` is connected to `peerId`, as `p2pc status` reports it. */
async function connected(dataDir: string, peerId: string): Promise<void> {
  for (let tries = 0; tries < 120; tries++) {
    const status = await p2pc(['status', '--json', '--data-dir', dataDir])
    const connections = status.code === 0 ? (JSON.parse(status.stdout) as Status).connections : []
    if (connections.some((connection) => connection.peer === peerId)) return
    await sleep(250)
  }
  throw new Error(`the peer on ${dataDir} never connected to ${peerId}`)
}

/** Stops a `p2pc` process as a service manager would, and waits until it has exited cleanly. */
async function stop(t: Parameters<typeof temporaryDir>[0], running: RunningP2pc): Promise<void> {
  const exited = once(running.child, 'exit')
  running.child.kill('SIGTERM')
  const [code] = (await exited) as [number | null]
  t.is(code, 0, 'it stopped cleanly')
}

test('a contributor restarted without --bootstrap rejoins from its address book, and one with only a saved network joins', async (t) => {
  const root = await temporaryDir(t)
  const nodeDir = join(root, 'node')
  const { node, bootstrap } = await startNode(t, nodeDir)
  const firstDir = join(root, 'first')
  const first = await spawnP2pc(t, contributeArgs(firstDir, bootstrap, node.peerId))
  await connected(firstDir, node.peerId)
  await stop(t, first)

  // Attached like a BOINC client to a project: a saved network and a trusted publisher, no flags.
  const secondDir = join(root, 'second')
  t.is((await p2pc(['network', 'add', bootstrap, '--data-dir', secondDir])).code, 0)
  t.is((await p2pc(['trust', 'add', node.peerId, '--data-dir', secondDir])).code, 0)
  const second = await spawnP2pc(t, ['contribute', '--data-dir', secondDir, '--threads', '1', ...LOOPBACK])
  // A new port for the restarted one: the node cannot dial it back, so it must find the swarm itself.
  const again = await spawnP2pc(t, [
    'contribute',
    '--data-dir',
    firstDir,
    '--trust',
    node.peerId,
    '--threads',
    '1',
    ...LOOPBACK,
  ])

  // Quorum 2 and two contributors: every task needs both of them.
  const published = await p2pc([
    'publish',
    workloadDir('primes'),
    '--params',
    '{"upTo": 400000, "chunk": 100000}',
    '--quorum',
    '2',
    '--json',
    '--data-dir',
    nodeDir,
  ])
  t.is(published.code, 0, published.stderr)
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }
  const results = await p2pc(['results', jobId, '--wait', '--json', '--data-dir', nodeDir], {
    timeoutMs: 90_000,
  })
  t.is(results.code, 0, results.stderr)
  const printed = JSON.parse(results.stdout) as {
    aggregate: unknown
    contributors: Array<{ peer: string; validated: number; invalid: number }>
  }
  t.deepEqual(printed.aggregate, { count: 33860 })
  const validated = (peer: string): number =>
    printed.contributors.find((c) => c.peer === peer)?.validated ?? 0
  t.is(again.peerId, first.peerId)
  t.is(validated(again.peerId), 4, 'the restarted contributor answered every task')
  t.is(validated(second.peerId), 4, 'so did the one that joined through its saved network')
})

test("the publisher's node stops, and results --wait on its data dir alone follows the job to the end", async (t) => {
  const root = await temporaryDir(t)
  const publisherDir = join(root, 'publisher')
  const { node, bootstrap } = await startNode(t, publisherDir)
  const workers = [
    await spawnP2pc(t, contributeArgs(join(root, 'c0'), bootstrap, node.peerId)),
    await spawnP2pc(t, contributeArgs(join(root, 'c1'), bootstrap, node.peerId)),
  ]
  // Sixteen half-second tasks for each of the two: the job outlasts the publisher by seconds.
  const published = await p2pc([
    'publish',
    fixtureWorkload('sleeps'),
    '--params',
    '{"tasks": 16, "ms": 500}',
    '--quorum',
    '2',
    '--json',
    '--data-dir',
    publisherDir,
  ])
  t.is(published.code, 0, published.stderr)
  const { jobId } = JSON.parse(published.stdout) as { jobId: string }
  // Each has the bundle once it runs a task; then the publisher may go.
  await Promise.all(workers.map((worker) => worker.waitForLine((event) => event.event === 'task started')))
  await stop(t, node)

  // Its own peer knows no --bootstrap and no mDNS: only the address book can bring it to the swarm.
  const results = await p2pc(
    ['results', jobId, '--wait', '--json', '--data-dir', publisherDir, ...LOOPBACK],
    {
      timeoutMs: 90_000,
    },
  )
  t.is(results.code, 0, `results --wait ended on its own: ${results.stderr}`)
  const printed = JSON.parse(results.stdout) as { status: string; aggregate: unknown; tasks: unknown }
  t.is(printed.status, 'complete')
  t.deepEqual(printed.tasks, { total: 16, validated: 16, failed: 0, pending: 0 })
  t.is(printed.aggregate, 16)
  t.notRegex(results.stderr, LONELY)
})

test('a peer that knows no one says what to do: in the log of p2pc node, and on stderr of publish --wait', async (t) => {
  const lonelyNode = await spawnP2pc(t, ['node', '--data-dir', await temporaryDir(t), ...LOOPBACK])
  let logged: Record<string, unknown> = {}
  await lonelyNode.waitForLine((event) => {
    logged = event
    return event.event === 'lonely'
  })
  t.regex(String(logged.message), LONELY)
  t.regex(String(logged.message), /does not look on the local network \(--no-mdns\)/)

  // Started with a bootstrap peer that never answers, and online before the lonely one starts:
  // its wait ends first, and it must not speak, since it knows someone.
  const gone = `/ip4/127.0.0.1/tcp/${await freePort()}/p2p/${lonelyNode.peerId}`
  const unanswered = watchP2pc(t, [
    'publish',
    fixtureWorkload('sleeps'),
    '--wait',
    '--bootstrap',
    gone,
    '--data-dir',
    await temporaryDir(t),
    ...LOOPBACK,
  ])
  await unanswered.waitForStderr(/^published /)
  const alone = watchP2pc(t, [
    'publish',
    fixtureWorkload('sleeps'),
    '--wait',
    '--data-dir',
    await temporaryDir(t),
    ...LOOPBACK,
  ])
  const said = await alone.waitForStderr(LONELY)
  t.regex(said, /^p2pc: this peer knows no other peer and does not look on the local network \(--no-mdns\): /)
  t.notRegex(unanswered.stderr(), LONELY)
})
