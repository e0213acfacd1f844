import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { ExecutionContext } from 'ava'
import type { PeerInit } from '@p2pc/node'
import { repoRoot } from './paths.ts'

/** A peer in a process of its own (killed when the test ends); resolves once it is online. */
export async function peerProcess(
  t: ExecutionContext,
  init: PeerInit,
): Promise<{ child: ChildProcess; peerId: string; addresses: string[] }> {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'test', 'helpers', 'peer-process.ts'), JSON.stringify(init)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  t.teardown(() => child.kill('SIGKILL'))
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const { peerId, addresses } = JSON.parse(line) as { peerId: string; addresses: string[] }
  return { child, peerId, addresses }
}
