// `udp-mapping.ts HOST PORT...`: from ONE UDP socket, asks a udp-reflector on each port of HOST
// where its datagrams come from, and prints the answers as a JSON array in the order of the
// ports. One socket matters: a NAT's mapping is per internal socket, and whether it depends on
// the destination is what tells a cone NAT from a symmetric one.
import { createSocket } from 'node:dgram'
import { once } from 'node:events'

const [host, ...ports] = process.argv.slice(2)
const socket = createSocket('udp4')
socket.bind(0)
await once(socket, 'listening')
const seen = new Map<number, string>()
socket.on('message', (message, from) => seen.set(from.port, message.toString()))
// UDP may lose a datagram: ask again until every port answered.
const deadline = Date.now() + 3000
while (seen.size < ports.length) {
  if (Date.now() > deadline) throw new Error(`no answer from ${host} on some of ${ports.join(' ')}`)
  for (const port of ports) if (!seen.has(Number(port))) socket.send('where am I', Number(port), host)
  await new Promise((resolve) => setTimeout(resolve, 100))
}
process.stdout.write(`${JSON.stringify(ports.map((port) => seen.get(Number(port))))}\n`)
socket.close()
