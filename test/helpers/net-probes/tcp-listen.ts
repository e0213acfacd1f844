// `tcp-listen.ts PORT`: accepts TCP connections on every address of its namespace, and closes
// them at once. Prints `listening` once it does.
import { createServer } from 'node:net'

const server = createServer((socket) => socket.end())
server.listen(Number(process.argv[2]), '0.0.0.0', () => process.stdout.write('listening\n'))
