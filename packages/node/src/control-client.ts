import { request } from 'node:http'
import { readControlToken } from './control-token.ts'
import type { PeerApi } from './peer-api.ts'

/** File name of the control socket inside the data dir. */
export const CONTROL_SOCKET = 'control.sock'

/** Whether a peer answers on the control socket. */
export async function probeControl(socketPath: string): Promise<boolean> {
  try {
    await call(socketPath, 'GET', '/status', undefined, 2000)
    return true
  } catch {
    return false
  }
}

/** The API of the peer behind a control socket. Errors it answers are rethrown with their name. */
export function controlClient(socketPath: string): PeerApi {
  return {
    status: () => call(socketPath, 'GET', '/status') as never,
    credit: () => call(socketPath, 'GET', '/credit') as never,
    jobs: () => call(socketPath, 'GET', '/jobs') as never,
    results: (jobId) => call(socketPath, 'GET', `/results/${encodeURIComponent(jobId)}`) as never,
    taskResults: (jobId) => call(socketPath, 'GET', `/tasks/${encodeURIComponent(jobId)}`) as never,
    publish: (dir, params, options) =>
      call(socketPath, 'POST', '/publish', { dir, params, options }) as never,
    drain: async () => {
      await call(socketPath, 'POST', '/drain')
    },
    pause: (options) => call(socketPath, 'POST', '/pause', options) as never,
    resume: () => call(socketPath, 'POST', '/resume') as never,
    finish: () => call(socketPath, 'POST', '/finish') as never,
    setTrust: async (publisher, trusted) => {
      await call(socketPath, 'POST', '/trust', { publisher, trusted })
    },
    controlJob: (jobId, action) =>
      call(socketPath, 'POST', `/jobs/${encodeURIComponent(jobId)}/${action}`) as never,
    cancel: (jobId) => call(socketPath, 'POST', `/jobs/${encodeURIComponent(jobId)}/cancel`) as never,
  }
}

async function call(
  socketPath: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 120_000,
): Promise<unknown> {
  // Read at each call: a peer that restarted on the data dir has a new one.
  const token = await readControlToken(socketPath)
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
    const req = request({ socketPath, method, path, timeout: timeoutMs, headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        try {
          const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            error?: { name: string; message: string }
          }
          if (response.statusCode !== 200) {
            const error = new Error(value.error?.message ?? `control API answered ${response.statusCode}`)
            error.name = value.error?.name ?? 'ControlError'
            reject(error)
          } else resolve(value)
        } catch (err) {
          reject(err as Error)
        }
      })
    })
    req.on('timeout', () => req.destroy(new Error('the control API did not answer in time')))
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}
