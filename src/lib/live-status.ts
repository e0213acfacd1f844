import type { Peer, PeerEvents } from '@p2pc/node'
import { lonelyMessage } from './peer-log.ts'
import { formatContributeStatus, redrawBlock, shortId } from './contribute-status.ts'

const REDRAW_MS = 1000

/** contribute's status block on a terminal, and how to write beside it. */
export interface LiveStatus {
  /** Prints `p2pc: LINE` above the block, where no redraw reaches it, and draws the block below. */
  say(line: string): void
  /** Stops redrawing and leaves the block as it is; what is said next goes below it. */
  freeze(): void
}

/**
 * Draws contribute's status block on a terminal and redraws it about once a second, from the
 * peer's status (its counts, its running tasks and their progress) and its last failure, through
 * a drain too (the block then says so) until the peer stops; the timer does not keep the process alive.
 */
export function showContributeStatus(peer: Peer, stream: NodeJS.WriteStream = process.stderr): LiveStatus {
  let lastFailure: string | undefined
  let draining: { until: number } | undefined
  let drawn = 0
  let lines: string[] = []
  let live = true
  const columns = (): number => (stream.columns > 0 ? stream.columns : 80)
  const draw = (): void => {
    // The peer may be stopping: its status is gone then, and the last block drawn stays.
    try {
      lines = formatContributeStatus(peer.status(), lastFailure, Date.now(), draining)
    } catch {
      stop()
    }
    // A terminal of unknown size reports 0 columns.
    stream.write(redrawBlock(drawn, lines, columns()))
    drawn = lines.length
  }
  peer.addEventListener('task', (event) => {
    const { jobId, task, state, error } = (event as CustomEvent<PeerEvents['task']>).detail
    if (state === 'failed') lastFailure = `task ${task} of job ${shortId(jobId)}: ${error ?? 'failed'}`
  })
  peer.addEventListener('draining', (event) => {
    draining = { until: Date.now() + (event as CustomEvent<PeerEvents['draining']>).detail.graceMs }
    if (live) draw()
  })
  const say = (line: string): void => {
    if (!live) {
      // At the start of a line of its own, over the ^C the terminal may have echoed there.
      stream.write(`\r\u001b[Kp2pc: ${line}\n`)
      return
    }
    // Clear the block, print the sentence whole (the terminal wraps it), draw the block below.
    stream.write(`${drawn > 0 ? `\u001b[${drawn}A` : ''}\r\u001b[Jp2pc: ${line}\n`)
    drawn = 0
    draw()
  }
  peer.addEventListener('lonely', (event) => {
    say(lonelyMessage((event as CustomEvent<PeerEvents['lonely']>).detail))
  })
  stream.write(`contributing as ${peer.peerId} on ${peer.addresses().join(' ')}\n`)
  const timer = setInterval(() => {
    if (live) draw()
  }, REDRAW_MS)
  timer.unref()
  const stop = (): void => {
    live = false
    clearInterval(timer)
  }
  draw()
  return { say, freeze: stop }
}
