// Workload code against the network, under the sandbox: a loopback TCP server (HTTP for fetch), a
// UDP socket and a DNS lookup that the test controls. On Node.js 25 and later the permission model
// denies them all; without the sandbox the same workload reaches them, so these tests can fail.
import { once } from 'node:events'
import { createSocket } from 'node:dgram'
import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import test, { type ExecutionContext } from 'ava'
import {
  bundleWorkload,
  createSandboxedTaskPool,
  createTaskPool,
  readWorkloadPackage,
  sandboxDeniesNetwork,
  type TaskPool,
} from '@p2pc/runtime'
import { fixtureWorkload, temporaryDir } from '../helpers/paths.ts'

/** A loopback HTTP server (so also a TCP one) and a UDP socket, each counting who reached it. */
async function listeners(t: ExecutionContext) {
  const reached = { tcp: 0, udp: 0 }
  const http = createHttpServer((_request, response) => response.end('reached'))
  http.on('connection', (socket) => {
    reached.tcp++
    // A bare TCP client sends no request: greet it, so that it has something to read.
    setTimeout(() => {
      if (socket.bytesRead === 0 && !socket.destroyed) socket.end('reached')
    }, 200)
  })
  http.listen(0, '127.0.0.1')
  await once(http, 'listening')
  const udp = createSocket('udp4')
  udp.on('message', () => void reached.udp++)
  udp.bind(0, '127.0.0.1')
  await once(udp, 'listening')
  t.teardown(() => {
    http.close()
    http.closeAllConnections()
    udp.close()
  })
  return {
    reached,
    tcpPort: (http.address() as AddressInfo).port,
    udpPort: udp.address().port,
  }
}

async function poolOf(t: ExecutionContext, sandboxed: boolean): Promise<{ pool: TaskPool; bundle: string }> {
  const cache = await temporaryDir(t)
  const pool = sandboxed
    ? createSandboxedTaskPool({ threads: 1, bundleDir: cache })
    : createTaskPool({ threads: 1 })
  pool.start()
  t.teardown(() => pool.stop())
  const bundle = (await bundleWorkload(await readWorkloadPackage(fixtureWorkload('reaches-network')), cache))
    .path
  return { pool, bundle }
}

const denied = test.macro(async (t, way: 'fetch' | 'net' | 'dgram' | 'dns') => {
  if (!sandboxDeniesNetwork()) {
    t.log(`skipped: Node.js ${process.versions.node} has no --allow-net; its sandbox cannot deny the network`)
    return t.pass()
  }
  const { reached, tcpPort, udpPort } = await listeners(t)
  const { pool, bundle } = await poolOf(t, true)
  const port = way === 'dgram' ? udpPort : tcpPort
  const err = await t.throwsAsync(pool.run({ bundle, input: { way, port } }))
  t.is(err?.message, 'Error: the sandbox denied Net (ERR_ACCESS_DENIED)')
  // Give a datagram or a connection that did leave time to arrive before looking.
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.deepEqual(reached, { tcp: 0, udp: 0 })
})

test('the sandbox denies fetch', denied, 'fetch')
test('the sandbox denies node:net', denied, 'net')
test('the sandbox denies node:dgram', denied, 'dgram')
test('the sandbox denies DNS lookups', denied, 'dns')

test('without the sandbox the same workload reaches all four: the tests above can fail', async (t) => {
  const { reached, tcpPort, udpPort } = await listeners(t)
  const { pool, bundle } = await poolOf(t, false)
  t.is(await pool.run({ bundle, input: { way: 'fetch', port: tcpPort } }), 'reached')
  t.is(await pool.run({ bundle, input: { way: 'net', port: tcpPort } }), 'reached')
  t.is(await pool.run({ bundle, input: { way: 'dgram', port: udpPort } }), 'sent')
  t.is(await pool.run({ bundle, input: { way: 'dns' } }), 'resolved')
  for (let i = 0; i < 50 && reached.udp === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.deepEqual(reached, { tcp: 2, udp: 1 })
})
