import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** File name of the control API's token, beside its socket in the data dir. */
export const CONTROL_TOKEN = 'control.token'

/** The token file of the control socket at `socketPath`. */
export function controlTokenPath(socketPath: string): string {
  return join(dirname(socketPath), CONTROL_TOKEN)
}

/** The token of the peer serving on `socketPath`; '' when there is none (no peer runs there). */
export async function readControlToken(socketPath: string): Promise<string> {
  return readFile(controlTokenPath(socketPath), 'utf8').catch(() => '')
}
