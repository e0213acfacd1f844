import { randomBytes, timingSafeEqual } from 'node:crypto'
import { chmod, rm, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { resolve } from 'node:path'
import { controlTokenPath } from './control-token.ts'
import type { PeerApi } from './peer-api.ts'
import type { JobControl } from './peer-types.ts'

const MAX_BODY_BYTES = 1024 * 1024
const JOB_CONTROL = /^\/jobs\/([^/]+)\/(suspend|resume|abort)$/
const JOB_CANCEL = /^\/jobs\/([^/]+)\/cancel$/

/**
 * Serves the local control API, HTTP and JSON on a unix socket readable by its owner only:
 * `GET /status`, `GET /credit`, `GET /jobs`, `GET /results/<jobId>`, `GET /tasks/<jobId>`,
 * `POST /publish {dir, params, options}`, `POST /drain`, and the volunteer's controls:
 * `POST /pause {forMs?}`, `POST /resume`, `POST /finish`, `POST /trust {publisher, trusted}`,
 * `POST /jobs/<jobId>/suspend|resume|abort`; and the publisher's `POST /jobs/<jobId>/cancel`.
 * Errors answer `{ "error": { "name", "message" } }` with status 400 or 404.
 *
 * The caller holds the data dir's lock (`lockDataDir`): a socket already there is then one
 * left by a peer that was killed, and is replaced. (Looking for a live peer on the socket
 * first, then removing it, then listening, let two peers that started together both through.)
 */
export async function serveControl(api: PeerApi, socketPath: string): Promise<{ close(): Promise<void> }> {
  await rm(socketPath, { force: true })
  // A new token each start, owner-only beside the socket: a caller must read the data dir, which
  // workload code in the sandbox may not, even where the sandbox cannot deny it sockets.
  const token = randomBytes(32)
  await writeFile(controlTokenPath(socketPath), token.toString('hex'), { mode: 0o600 })
  const server = createServer((request, response) => {
    if (!authorised(request, token)) {
      response.writeHead(401, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          error: {
            name: 'UnauthorizedError',
            message: 'the control API needs the token kept in the data dir',
          },
        }),
      )
      return
    }
    void answer(api, request, response)
  })
  await new Promise<void>((done, fail) => {
    server.once('error', fail)
    server.listen(socketPath, () => done())
  })
  await chmod(socketPath, 0o600)
  return { close: () => closeServer(server, socketPath) }
}

async function answer(api: PeerApi, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = new URL(request.url ?? '/', 'http://p2pc')
    const route = `${request.method} ${url.pathname}`
    let body: unknown
    if (route === 'GET /status') body = await api.status()
    else if (route === 'GET /credit') body = await api.credit()
    else if (route === 'GET /jobs') body = await api.jobs()
    else if (request.method === 'GET' && url.pathname.startsWith('/results/')) {
      body = await api.results(decodeURIComponent(url.pathname.slice('/results/'.length)))
    } else if (request.method === 'GET' && url.pathname.startsWith('/tasks/')) {
      body = await api.taskResults(decodeURIComponent(url.pathname.slice('/tasks/'.length)))
    } else if (route === 'POST /publish') {
      const { dir, params, options } = (await readJson(request)) as {
        dir?: unknown
        params?: unknown
        options?: unknown
      }
      if (typeof dir !== 'string')
        throw Object.assign(new Error('publish needs a dir'), { name: 'InvalidRequestError' })
      body = await api.publish(resolve(dir), params, (options ?? {}) as never)
    } else if (route === 'POST /drain') {
      await api.drain()
      body = { drained: true }
    } else if (route === 'POST /pause') {
      const { forMs } = ((await readJson(request)) ?? {}) as { forMs?: unknown }
      if (forMs !== undefined && typeof forMs !== 'number') throw invalid('a pause lasts a number of ms')
      body = await api.pause({ forMs })
    } else if (route === 'POST /resume') body = await api.resume()
    else if (route === 'POST /finish') body = await api.finish()
    else if (route === 'POST /trust') {
      const { publisher, trusted } = ((await readJson(request)) ?? {}) as Record<string, unknown>
      if (typeof publisher !== 'string' || typeof trusted !== 'boolean') {
        throw invalid('trust needs a publisher and whether it is trusted')
      }
      await api.setTrust(publisher, trusted)
      body = { publisher, trusted }
    } else if (request.method === 'POST' && JOB_CANCEL.test(url.pathname)) {
      body = await api.cancel(decodeURIComponent(JOB_CANCEL.exec(url.pathname)![1]!))
    } else if (request.method === 'POST' && JOB_CONTROL.test(url.pathname)) {
      const [, jobId, action] = JOB_CONTROL.exec(url.pathname)!
      body = await api.controlJob(decodeURIComponent(jobId!), action as JobControl)
    } else {
      response.writeHead(404, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ error: { name: 'NotFoundError', message: `no route ${route}` } }))
      return
    }
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  } catch (err) {
    const { name, message } = err as Error
    response.writeHead(name === 'UnknownJobError' ? 404 : 400, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ error: { name, message } }))
  }
}

/** Whether the request carries the token (`authorization: Bearer HEX`). */
function authorised(request: IncomingMessage, token: Buffer): boolean {
  const given = /^Bearer ([0-9a-f]{64})$/.exec(request.headers.authorization ?? '')?.[1]
  return given !== undefined && timingSafeEqual(Buffer.from(given, 'hex'), token)
}

function invalid(message: string): Error {
  return Object.assign(new Error(message), { name: 'InvalidRequestError' })
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new Error('request body too large')
    chunks.push(chunk as Buffer)
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null')
}

async function closeServer(server: Server, socketPath: string): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((done) => server.close(() => done()))
  await rm(socketPath, { force: true })
  await rm(controlTokenPath(socketPath), { force: true })
}
