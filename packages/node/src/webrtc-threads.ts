import { cleanup } from 'node-datachannel'

let peersOnline = 0

/** Counts a peer of this process that went online with WebRTC. */
export function webrtcPeerStarted(): void {
  peersOnline++
}

/**
 * Lets go of node-datachannel's native threads once the last peer of this process has stopped.
 * They keep the process alive after every connection is closed (js-libp2p#2574), and
 * @libp2p/webrtc no longer calls `cleanup()` on stop, since it closes every peer connection of
 * the process, other nodes' too (js-libp2p#2498). A process running several peers calls it
 * after the last.
 */
export function webrtcPeerStopped(): void {
  peersOnline = Math.max(0, peersOnline - 1)
  if (peersOnline === 0) cleanup()
}
