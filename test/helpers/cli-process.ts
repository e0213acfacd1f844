import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ExecutionContext } from 'ava'
import { inNetns } from './netns.ts'
import { repoRoot } from './paths.ts'

/** A long-running `p2pc` process (node, contribute) started with --json. */
export interface RunningP2pc {
  child: ChildProcess
  peerId: string
  addresses: string[]
  /** Reads the process's JSON lines until one satisfies `check`. */
  waitForLine(check: (event: Record<string, unknown>) => boolean): Promise<void>
}

/**
 * Starts `p2pc ARGS --json` in its own process, in network namespace `netns` if given (one of a
 * NAT lab's), and resolves once it printed its `started` line. It is killed when the test ends.
 */
export async function spawnP2pc(
  t: ExecutionContext,
  args: string[],
  options: { netns?: string } = {},
): Promise<RunningP2pc> {
  const [file, fileArgs] = inNetns(options.netns, process.execPath, [
    join(repoRoot, 'bin', 'run.js'),
    ...args,
    '--json',
  ])
  const child = spawn(file, fileArgs, { stdio: ['ignore', 'pipe', 'inherit'] })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  // The iterator buffers lines, so none is lost between two reads.
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]()
  const next = async (): Promise<Record<string, unknown>> => {
    const { value, done } = await lines.next()
    if (done === true) throw new Error(`p2pc ${args[0]} ended its output`)
    return JSON.parse(value as string) as Record<string, unknown>
  }
  const started = (await next()) as { peerId: string; addresses: string }
  return {
    child,
    peerId: started.peerId,
    addresses: started.addresses.split(' '),
    waitForLine: async (check) => {
      while (!check(await next()));
    },
  }
}

/** A TCP port that was free a moment ago, for a peer that must listen on a known address. */
export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as { port: number }
  server.close()
  await once(server, 'close')
  return port
}

/**
 * `contribute --priority normal`: test contributors share the CPUs with the other test files, and
 * at the default nice 19 their sandboxes wait for all of those (under four busy loops on two cores
 * a sandbox took 28 s, not 0.8 s, to start its first task). The nice values themselves are
 * tested on the sandbox (test/runtime/governor.test.ts).
 */
export const TEST_PRIORITY = ['--priority', 'normal']

/** The flags of a one-thread `p2pc contribute` on loopback that joins `bootstrap` and trusts `publisher`. */
export function contributeArgs(dataDir: string, bootstrap: string, publisher: string): string[] {
  return [
    'contribute',
    ...TEST_PRIORITY,
    '--data-dir',
    dataDir,
    '--listen',
    '/ip4/127.0.0.1/tcp/0',
    '--bootstrap',
    bootstrap,
    '--trust',
    publisher,
    '--threads',
    '1',
    '--no-mdns',
  ]
}

/** A `p2pc` process whose stderr is read as it comes: what a command that waits says meanwhile. */
export interface WatchedP2pc {
  child: ChildProcess
  /** Everything it wrote on stderr so far. */
  stderr(): string
  /** Resolves with the first stderr line that matches; rejects if the process ends first. */
  waitForStderr(pattern: RegExp): Promise<string>
}

/** Starts `p2pc ARGS` (no --json added) with its stderr read; it is killed when the test ends. */
export function watchP2pc(t: ExecutionContext, args: string[]): WatchedP2pc {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'run.js'), ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  let text = ''
  const waiters = new Set<() => void>()
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    text += chunk
    for (const check of waiters) check()
  })
  const ended = once(child, 'exit')
  return {
    child,
    stderr: () => text,
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          // Whole lines only: the end of a chunk may cut a line short.
          const line = text
            .split('\n')
            .slice(0, -1)
            .find((candidate) => pattern.test(candidate))
          if (line === undefined) return
          waiters.delete(check)
          resolve(line)
        }
        waiters.add(check)
        check()
        void ended.then(() => {
          if (waiters.delete(check)) reject(new Error(`p2pc ${args[0]} ended without ${pattern}: ${text}`))
        })
      }),
  }
}

/**
 * A swarm of `p2pc` processes on loopback below `root`: a `p2pc node` on a known port and
 * `contributors` one-thread `p2pc contribute` that bootstrap to it and trust it.
 */
export async function startCliSwarm(
  t: ExecutionContext,
  root: string,
  contributors: number,
): Promise<{ nodeDir: string; bootstrap: string; node: RunningP2pc; workers: RunningP2pc[] }> {
  const port = await freePort()
  const nodeDir = join(root, 'node')
  const node = await spawnP2pc(t, [
    'node',
    '--data-dir',
    nodeDir,
    '--listen',
    `/ip4/127.0.0.1/tcp/${port}`,
    '--no-mdns',
  ])
  const bootstrap = `/ip4/127.0.0.1/tcp/${port}/p2p/${node.peerId}`
  const workers = []
  for (let i = 0; i < contributors; i++) {
    workers.push(await spawnP2pc(t, contributeArgs(join(root, `contributor-${i}`), bootstrap, node.peerId)))
  }
  return { nodeDir, bootstrap, node, workers }
}
