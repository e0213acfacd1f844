// One identity is online once: many `p2pc node` started together on one data dir, real processes.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { repoRoot, temporaryDir } from '../helpers/paths.ts'

const STARTS = 20
const offline = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

/** What one `p2pc node --json` did: went online (its first line), or ended (its code and error). */
interface Start {
  child: ChildProcess
  outcome: Promise<
    { online: { peerId: string } } | { code: number | null; error?: { name: string; message: string } }
  >
}

function startNode(t: ExecutionContext, dataDir: string): Start {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'bin', 'run.js'), 'node', ...offline, '--json', '--data-dir', dataDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  const exited = once(child, 'exit')
  const outcome = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      const value = JSON.parse(line) as {
        event?: string
        peerId?: string
        error?: { name: string; message: string }
      }
      if (value.event === 'started') return { online: { peerId: value.peerId! } }
      if (value.error !== undefined)
        return { code: ((await exited) as [number | null])[0], error: value.error }
    }
    return { code: ((await exited) as [number | null])[0] }
  })()
  return { child, outcome }
}

test(`${STARTS} p2pc node started at once on one data dir: one goes online, the others are refused`, async (t) => {
  t.timeout(120_000)
  const dataDir = await temporaryDir(t)
  const starts = Array.from({ length: STARTS }, () => startNode(t, dataDir))
  const outcomes = await Promise.all(starts.map((start) => start.outcome))
  const online = outcomes.flatMap((outcome, index) =>
    'online' in outcome ? [{ ...outcome.online, index }] : [],
  )
  t.is(online.length, 1, `exactly one is online: ${JSON.stringify(online)}`)
  for (const outcome of outcomes) {
    if ('online' in outcome) continue
    t.not(outcome.code, 0, 'a refused start exits non-zero')
    t.deepEqual(outcome.error, {
      name: 'PeerAlreadyRunningError',
      message: `a p2pc peer already runs on the data dir ${dataDir}: stop it first, or use another data dir`,
    })
  }
  const survivor = starts[online[0]!.index]!.child

  // Commands that talk to the running peer go on working, and a later start hears the same sentence.
  const status = await p2pc(['status', '--json', '--data-dir', dataDir])
  t.is(status.code, 0, status.stderr)
  t.like(JSON.parse(status.stdout), { peerId: online[0]!.peerId, online: true })
  const late = await p2pc(['node', ...offline, '--data-dir', dataDir])
  t.is(late.code, 1)
  t.is(
    late.stderr,
    `p2pc: a p2pc peer already runs on the data dir ${dataDir}: stop it first, or use another data dir\n`,
  )

  // kill -9 leaves no stale lock: the next start goes online, with the same identity.
  const killed = once(survivor, 'exit')
  survivor.kill('SIGKILL')
  await killed
  const next = await startNode(t, dataDir).outcome
  t.deepEqual(next, { online: { peerId: online[0]!.peerId } })
})
