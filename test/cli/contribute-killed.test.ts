// A real `p2pc contribute --max-cpu` killed with SIGKILL while its governor has the sandbox
// stopped: the sandbox must not stay behind. Linux only: the test reads process states from /proc.
import { setTimeout as sleep } from 'node:timers/promises'
import test from 'ava'
import { contributeArgs, spawnP2pc } from '../helpers/cli-process.ts'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'
import { childPids, commandLine, hasProc, processState } from '../helpers/process-cpu.ts'

const linuxTest = hasProc ? test : test.skip

/** Generous: the bound only fails a test that would otherwise hang. */
const WAIT_MS = 60_000

async function until(check: () => boolean, what: string): Promise<void> {
  const end = Date.now() + WAIT_MS
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not seen within ${WAIT_MS} ms`)
    await sleep(20)
  }
}

linuxTest(
  'a contributor killed with SIGKILL while --max-cpu has its sandbox stopped leaves no sandbox behind',
  async (t) => {
    t.timeout(4 * WAIT_MS)
    const publisher = await startPeer(t)
    const dataDir = await temporaryDir(t)
    const worker = await spawnP2pc(t, [
      ...contributeArgs(dataDir, publisher.addresses()[0]!, publisher.peerId),
      '--max-cpu',
      '5',
    ])
    // Tasks far longer than the test: the sandbox is busy, so the duty cycle stops it 95 % of the time.
    await publisher.publish(
      fixtureWorkload('spins'),
      { tasks: 2, iterations: 1e12 },
      { quorum: 1, maxReplicas: 1, leaseMs: 10 * 60_000 },
    )
    await worker.waitForLine((event) => event.event === 'task started')
    const sandbox = childPids(worker.child.pid).find((pid) => commandLine(pid).includes('sandbox-main'))
    if (sandbox === undefined) throw new Error('the contributor has no sandbox process')
    const startTime = processState(sandbox)!.startTime
    const alive = (): boolean => {
      const now = processState(sandbox)
      return now !== undefined && now.startTime === startTime && now.state !== 'Z'
    }
    t.teardown(() => {
      if (alive()) process.kill(sandbox, 'SIGKILL')
    })

    await until(() => processState(sandbox)?.state === 'T', 'the governor stopping the sandbox')
    worker.child.kill('SIGKILL')
    t.log(
      `the sandbox was ${processState(sandbox)?.state === 'T' ? 'stopped' : 'running'} as its parent died`,
    )
    await until(() => !alive(), 'the sandbox ending')
    t.pass()
  },
)
