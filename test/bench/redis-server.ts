// A throwaway redis-server for the comparison benchmark: on a free loopback port, persistence
// off, stopped when the benchmark is done. Not installed: a sentence on how to get it.
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

export interface RedisServer {
  port: number
  stop(): Promise<void>
}

/** What the benchmark says where redis-server cannot be started. */
export const REDIS_MISSING =
  'redis-server is not installed (on Debian: apt-get install redis-server); the BullMQ row is skipped'

/** Starts redis-server on 127.0.0.1, or returns undefined when it is not installed. */
export async function startRedis(): Promise<RedisServer | undefined> {
  const port = await freePort()
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const ready = await new Promise<boolean>((resolve) => {
    child.once('error', () => resolve(false))
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve(true)
    })
    child.once('exit', () => resolve(false))
  })
  if (!ready) return undefined
  return { port, stop: () => stop(child) }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
}
