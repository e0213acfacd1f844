// `udp-reflector.ts PORT...`: on each port, answers every UDP datagram with the address and port
// it came from, as `ADDRESS:PORT`: what a NAT made of the sender. Prints `listening` once bound.
import { createSocket } from 'node:dgram'
import { once } from 'node:events'

await Promise.all(
  process.argv.slice(2).map(async (port) => {
    const socket = createSocket('udp4')
    socket.on('message', (_message, from) =>
      socket.send(`${from.address}:${from.port}`, from.port, from.address),
    )
    socket.bind(Number(port), '0.0.0.0')
    await once(socket, 'listening')
  }),
)
process.stdout.write('listening\n')
