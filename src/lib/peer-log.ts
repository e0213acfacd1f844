import type { Peer } from '@p2pc/node'

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
  peer.addEventListener('disk', (event) => {
    const { full, error } = (event as CustomEvent<{ full: boolean; error?: string }>).detail
    line(full ? { event: 'disk full', error } : { event: 'disk has space again' })
  })
}
