// `stun-binding.ts HOST PORT`: sends a STUN binding request and prints the mapped address the
// server answers, as `ADDRESS:PORT`: where the server saw the request come from.
import { randomBytes } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { bindingRequest, mappedAddress } from '../stun.ts'

const [host, port] = process.argv.slice(2)
const transactionId = randomBytes(12)
const socket = createSocket('udp4')
const answered = new Promise<string>((resolve) => {
  socket.on('message', (message) => {
    const mapped = mappedAddress(message, transactionId)
    if (mapped !== undefined) resolve(`${mapped.address}:${mapped.port}`)
  })
})
// UDP may lose a datagram: ask again until the server answers.
const asking = setInterval(() => socket.send(bindingRequest(transactionId), Number(port), host), 200)
socket.send(bindingRequest(transactionId), Number(port), host)
const giveUp = setTimeout(() => {
  process.stderr.write(`no STUN answer from ${host}:${port}\n`)
  process.exit(1)
}, 3000)
process.stdout.write(`${await answered}\n`)
clearInterval(asking)
clearTimeout(giveUp)
socket.close()
