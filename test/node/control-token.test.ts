// The control API answers only callers that can read the data dir: its token lies there,
// owner-only, and workload code in the sandbox may not read it (docs/SECURITY.md).
import { stat } from 'node:fs/promises'
import { request } from 'node:http'
import { join } from 'node:path'
import test from 'ava'
import { CONTROL_SOCKET, controlClient } from '@p2pc/node'
import { temporaryDir } from '../helpers/paths.ts'
import { startPeer } from '../helpers/peers.ts'

/** A raw request to the control socket with the given headers: its status and error name. */
function ask(
  socketPath: string,
  headers: Record<string, string>,
): Promise<{ status: number; error?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: 'POST', path: '/drain', headers }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { name: string } }
        resolve({ status: response.statusCode ?? 0, error: body.error?.name })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

test('the control API refuses a caller without the token of the data dir, and the client has it', async (t) => {
  const dataDir = await temporaryDir(t)
  const peer = await startPeer(t, { dataDir, control: true })
  const socket = join(dataDir, CONTROL_SOCKET)
  const token = await stat(join(dataDir, 'control.token'))
  t.is(token.mode & 0o777, 0o600, 'the token is its owner’s only')
  const attempts: Array<Record<string, string>> = [
    {},
    { authorization: `Bearer ${'0'.repeat(64)}` },
    { authorization: 'Bearer x' },
  ]
  for (const headers of attempts) {
    t.deepEqual(
      await ask(socket, headers),
      { status: 401, error: 'UnauthorizedError' },
      JSON.stringify(headers),
    )
  }
  t.is((await controlClient(socket).status()).peerId, peer.peerId, 'the drain above was never done')
})
