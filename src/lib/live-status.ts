import type { Peer, PeerEvents } from '@p2pc/node'
import { lonelyMessage } from './peer-log.ts'
import { formatContributeStatus, redrawBlock, shortId } from './contribute-status.ts'

const REDRAW_MS = 1000

/**
 * Draws contribute's status block on a terminal and redraws it about once a second, from the
 * peer's status (its counts, its running tasks and their progress) and its last failure, until the first
 * SIGINT or SIGTERM; the timer does not keep the process alive.
 */
export function showContributeStatus(peer: Peer, stream: NodeJS.WriteStream = process.stderr): void {
  let lastFailure: string | undefined
  let drawn = 0
  const draw = (): void => {
    const lines = formatContributeStatus(peer.status(), lastFailure)
    // A terminal of unknown size reports 0 columns.
    stream.write(redrawBlock(drawn, lines, stream.columns > 0 ? stream.columns : 80))
    drawn = lines.length
  }
  peer.addEventListener('task', (event) => {
    const { jobId, task, state, error } = (event as CustomEvent<PeerEvents['task']>).detail
    if (state === 'failed') lastFailure = `task ${task} of job ${shortId(jobId)}: ${error ?? 'failed'}`
  })
  peer.addEventListener('lonely', (event) => {
    // Above the block, where no redraw reaches it and the terminal wraps it whole: clear the
    // block, print the sentence, draw the block again below.
    const message = lonelyMessage((event as CustomEvent<PeerEvents['lonely']>).detail)
    stream.write(`${drawn > 0 ? `\u001b[${drawn}A` : ''}\r\u001b[Jp2pc: ${message}\n`)
    drawn = 0
    draw()
  })
  stream.write(`contributing as ${peer.peerId} on ${peer.addresses().join(' ')}\n`)
  draw()
  const timer = setInterval(() => {
    // The peer may be stopping: its status is gone then, and so is the need to draw it.
    try {
      draw()
    } catch {
      clearInterval(timer)
    }
  }, REDRAW_MS)
  timer.unref()
  // Once asked to stop, the block stays as it was, and what the stopping prints goes below it.
  const freeze = (): void => clearInterval(timer)
  process.once('SIGINT', freeze)
  process.once('SIGTERM', freeze)
}
