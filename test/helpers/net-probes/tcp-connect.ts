// `tcp-connect.ts HOST PORT TIMEOUT_MS`: opens one TCP connection and prints how it went:
// `connected`, `timeout` (nothing answered: dropped on the way), or the error's code
// (ECONNREFUSED, ENETUNREACH, ...).
import { connect } from 'node:net'

const [host, port, timeoutMs] = process.argv.slice(2)
const socket = connect({ host: host!, port: Number(port), timeout: Number(timeoutMs) })
const outcome = (text: string): void => {
  process.stdout.write(`${text}\n`)
  socket.destroy()
}
socket.once('connect', () => outcome('connected'))
socket.once('timeout', () => outcome('timeout'))
socket.once('error', (error: NodeJS.ErrnoException) => outcome(error.code ?? error.message))
