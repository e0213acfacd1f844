// A real contributor (`p2pc contribute`) that trusts two publishers: one whose workload attacks the
// machine, one attack per task, and an honest one. Every attack is denied, or ends only the
// sandbox it ran in; the contributor stays alive at its own priority and goes on contributing.
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { getPriority } from 'node:os'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir, workloadDir } from '../helpers/paths.ts'
import { jobComplete, startPeer } from '../helpers/peers.ts'
import { processState } from '../helpers/process-cpu.ts'

const PRIMES = { upTo: 200_000, chunk: 20_000 }

/** An attacks-host task's input, and what the contributor must report of it. */
type Attack = [Record<string, unknown>, RegExp]

/** A loopback service the attacks aim at, which counts the connections it gets. */
async function service(t: ExecutionContext, listen: (server: Server) => void): Promise<() => number> {
  let connections = 0
  const server = createServer((socket) => {
    connections++
    socket.destroy()
  })
  listen(server)
  await once(server, 'listening')
  t.teardown(() => server.close())
  return () => connections
}

test('a hostile job beside an honest one: every attack fails, the contributor lives on and the honest jobs complete', async (t) => {
  t.timeout(300_000)
  const honest = await startPeer(t)
  const hostile = await startPeer(t, { bootstrap: [honest.addresses()[0]!] })
  const dataDir = await temporaryDir(t)
  const worker = await spawnP2pc(t, [
    ...contributeArgs(dataDir, honest.addresses()[0]!, honest.peerId),
    '--bootstrap',
    hostile.addresses()[0]!,
    '--trust',
    hostile.peerId,
  ])
  const pid = worker.child.pid!
  const nice = getPriority(pid)

  let port = 0
  const tcp = await service(t, (server) =>
    server.listen(0, '127.0.0.1', () => (port = (server.address() as { port: number }).port)),
  )
  const socketPath = join(await temporaryDir(t), 'service.sock')
  const unix = await service(t, (server) => server.listen(socketPath))

  // Each attack, and how the contributor reports its task: denied, or its sandbox ended. The
  // attacks that end their sandbox come in a job of their own, after the others: a sandbox that
  // ends takes the tasks waiting in it along, and those would not show their own denial.
  const SIGNAL = /the sandbox denied Signal \(ERR_ACCESS_DENIED\)/
  const PRIORITY = /the sandbox denied Priority \(ERR_ACCESS_DENIED\)/
  const NET = /the sandbox denied Net \(ERR_ACCESS_DENIED\)/
  const BROKEN = /the sandbox process sent a frame/
  const denied: Attack[] = [
    [{ attack: 'kill', signal: 'SIGKILL' }, SIGNAL],
    [{ attack: 'rawKill' }, SIGNAL],
    [{ attack: 'priority', nice: 19 }, PRIORITY],
    [{ attack: 'recover', signal: 'SIGKILL' }, PRIORITY],
    [{ attack: 'unix', path: socketPath }, NET],
    [{ attack: 'tcp', port }, NET],
    [{ attack: 'control', path: join(dataDir, 'control.sock') }, NET],
  ]
  const breaking: Attack[] = [
    [{ attack: 'channel' }, BROKEN],
    [{ attack: 'forge' }, BROKEN],
  ]
  const attack = async (attacks: Attack[]): Promise<void> => {
    const jobId = await hostile.publish(
      fixtureWorkload('attacks-host'),
      { attacks: attacks.map(([input]) => input) },
      { quorum: 1, maxReplicas: 1 },
    )
    const errors = new Map<number, string>()
    await worker.waitForLine((event) => {
      if (event.jobId !== jobId) return false
      if (event.event === 'task done') errors.set(event.task as number, 'escaped')
      if (event.event === 'task failed') errors.set(event.task as number, event.error as string)
      return errors.size === attacks.length
    })
    attacks.forEach(([input, expected], task) => {
      t.regex(errors.get(task) ?? '', expected, `the ${String(input.attack)} attack`)
    })
  }
  const besideJob = await honest.publish(workloadDir('primes'), PRIMES, { quorum: 1 })
  await attack(denied)
  await attack(breaking)

  t.is(worker.child.exitCode, null, 'the contributor is alive')
  t.notRegex(processState(pid)?.state ?? 'gone', /^[TZ]/, 'and neither stopped nor a zombie')
  t.is(getPriority(pid), nice, 'at its own priority')
  t.is(tcp(), 0, 'no connection reached the TCP service')
  t.is(unix(), 0, 'no connection reached the unix socket')

  await jobComplete(honest, besideJob, 120_000)
  const afterJob = await honest.publish(
    workloadDir('primes'),
    { upTo: 100_000, chunk: 10_000 },
    { quorum: 1 },
  )
  await jobComplete(honest, afterJob, 120_000)
  const results = await honest.results(afterJob)
  t.deepEqual(results.aggregate, { count: 9_592 })
  // Its publisher answers only its own spot checks.
  t.deepEqual(
    results.contributors.map((contributor) => contributor.peer).filter((peer) => peer !== honest.peerId),
    [worker.peerId],
  )
})
