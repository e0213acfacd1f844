import type { Peer, PeerEvents } from '@p2pc/node'
import { describeControls } from './controls.ts'

/** What to do about a peer that knows no one, in one sentence (see the Peer's `lonely` event). */
export function lonelyMessage(detail: PeerEvents['lonely']): string {
  const looked = detail.mdns
    ? 'found none on the local network'
    : 'does not look on the local network (--no-mdns)'
  return `this peer knows no other peer and ${looked}: add one with \`p2pc network add MULTIADDR\` or pass --bootstrap MULTIADDR`
}

/**
 * Prints the lonely-peer sentence on stderr when the peer emits it, for commands whose peer
 * would otherwise wait in silence (`results --wait`, `publish --wait`). A progress bar may
 * be on the line: it is cleared first, and redrawn below at its next update.
 */
export function sayWhenLonely(peer: Peer, stream: NodeJS.WriteStream = process.stderr): void {
  peer.addEventListener('lonely', (event) => {
    const clear = stream.isTTY === true ? '\r\u001b[K' : ''
    stream.write(`${clear}p2pc: ${lonelyMessage((event as CustomEvent<PeerEvents['lonely']>).detail)}\n`)
  })
}

/**
 * One line per event on stderr (JSON lines on stdout with --json), so a service manager's log
 * shows what the peer does.
 */
export function printPeerEvents(peer: Peer, options: { json: boolean; role: string }): void {
  const line = (event: Record<string, unknown>): void => {
    if (options.json)
      process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`)
    else process.stderr.write(`${Object.values(event).join(' ')}\n`)
  }
  line({ event: 'started', role: options.role, peerId: peer.peerId, addresses: peer.addresses().join(' ') })
  peer.addEventListener('task', (event) => {
    const { jobId, task, state, error } = (
      event as CustomEvent<{ jobId: string; task: number; state: string; error?: string }>
    ).detail
    line({ event: `task ${state}`, jobId, task, ...(error === undefined ? {} : { error }) })
  })
  peer.addEventListener('lonely', (event) => {
    line({ event: 'lonely', message: lonelyMessage((event as CustomEvent<PeerEvents['lonely']>).detail) })
  })
  peer.addEventListener('controls', (event) => {
    const status = (event as CustomEvent<PeerEvents['controls']>).detail
    line(
      options.json
        ? { event: 'controls', ...status }
        : { event: 'controls', state: describeControls(status) },
    )
  })
  peer.addEventListener('disk', (event) => {
    const { full, error } = (event as CustomEvent<{ full: boolean; error?: string }>).detail
    line(full ? { event: 'disk full', error } : { event: 'disk has space again' })
  })
}
