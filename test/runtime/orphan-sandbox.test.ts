// A sandbox whose parent dies ends, whether the governor had stopped it or not. The parent is a
// real process running a sandboxed pool (test/helpers/sandbox-parent.ts), killed with SIGKILL, so
// that nothing of its own can clean up. Linux only: the tests read process states from /proc.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { setTimeout as sleep } from 'node:timers/promises'
import test, { type ExecutionContext } from 'ava'
import { bundleWorkload, createSandboxedTaskPool, readWorkloadPackage } from '@p2pc/runtime'
import { fixtureWorkload, repoRoot, temporaryDir } from '../helpers/paths.ts'
import { fakePowerSupply, type FakePowerSupply } from '../helpers/power-supply.ts'
import { childPids, commandLine, hasProc, processState } from '../helpers/process-cpu.ts'

const linuxTest = hasProc ? test : test.skip

/** Generous: the bounds below only fail a test that would otherwise hang. */
const WAIT_MS = 60_000

/** Polls `check` every 50 ms until it holds; fails after `timeoutMs`. */
async function until(check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not seen within ${timeoutMs} ms`)
    await sleep(50)
  }
}

/** Whether the process that had `pid` and `startTime` still lives (a zombie is dead). */
function alive(pid: number, startTime: string): boolean {
  const now = processState(pid)
  return now !== undefined && now.startTime === startTime && now.state !== 'Z'
}

interface Orphanable {
  power: FakePowerSupply
  kill(): void
  sandbox: number
  startTime: string
}

/** A parent process with a sandbox running a task, both killed when the test ends. */
async function sandboxParent(t: ExecutionContext): Promise<Orphanable> {
  const power = await fakePowerSupply(t)
  const cache = await temporaryDir(t)
  const parent = spawn(
    process.execPath,
    [join(repoRoot, 'test', 'helpers', 'sandbox-parent.ts'), cache, power.dir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  t.teardown(() => parent.kill('SIGKILL'))
  const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string]
  const { sandbox } = JSON.parse(line) as { sandbox: number }
  const startTime = processState(sandbox)?.startTime
  if (startTime === undefined) throw new Error('the sandbox process ended at once')
  // Should a test fail, what it left behind goes too.
  t.teardown(() => {
    if (alive(sandbox, startTime)) process.kill(sandbox, 'SIGKILL')
  })
  return { power, kill: () => parent.kill('SIGKILL'), sandbox, startTime }
}

linuxTest('a sandbox the governor stopped ends when its parent is killed with SIGKILL', async (t) => {
  t.timeout(3 * WAIT_MS)
  const { power, kill, sandbox, startTime } = await sandboxParent(t)
  await power.set(false)
  await until(() => processState(sandbox)?.state === 'T', 'the sandbox stopped on battery')
  kill()
  await until(() => !alive(sandbox, startTime), 'the stopped sandbox ending')
  t.pass()
})

linuxTest('a running sandbox ends when its parent is killed with SIGKILL', async (t) => {
  t.timeout(3 * WAIT_MS)
  const { kill, sandbox, startTime } = await sandboxParent(t)
  t.not(processState(sandbox)?.state, 'T')
  kill()
  await until(() => !alive(sandbox, startTime), 'the running sandbox ending')
  t.pass()
})

linuxTest('a stopped sandbox that ends takes its watchdog along', async (t) => {
  t.timeout(3 * WAIT_MS)
  const power = await fakePowerSupply(t)
  const cache = await temporaryDir(t)
  const pool = createSandboxedTaskPool({
    threads: 1,
    bundleDir: cache,
    governor: { onBattery: 'pause', powerSupplyDir: power.dir, powerCheckMs: 50 },
  })
  pool.start()
  t.teardown(() => pool.stop())
  const bundle = await bundleWorkload(await readWorkloadPackage(fixtureWorkload('sleeps')), cache)
  const task = pool.run({ bundle: bundle.path, input: 1_000_000_000 }).catch(() => {})
  const sandbox = childPids().find((pid) => commandLine(pid).includes('sandbox-main'))
  if (sandbox === undefined) throw new Error('the sandbox process did not start')
  await power.set(false)
  let watchdog: number | undefined
  await until(() => {
    watchdog = childPids().find((pid) => commandLine(pid).includes('p2pc-sandbox-watchdog'))
    return watchdog !== undefined
  }, 'a watchdog for the stopped sandbox')
  await until(() => processState(sandbox)?.state === 'T', 'the sandbox stopped on battery')
  await pool.stop()
  await task
  const gone = (pid: number): boolean => !childPids().includes(pid)
  await until(() => gone(sandbox) && gone(watchdog!), 'the sandbox and its watchdog ending')
  t.pass()
})
