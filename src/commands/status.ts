import type { PeerStatus } from '@p2pc/node'
import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { runningTaskLines } from '../lib/running-tasks.ts'
import { withPeer } from '../lib/with-peer.ts'
import { describeControls, PAUSED } from '../lib/controls.ts'

export default class Status extends P2pcCommand {
  static override summary =
    'Peer id, listen addresses, connected peers, jobs, running tasks with their progress, credit and gossip traffic.'
  static override flags = { ...networkFlags }

  async run(): Promise<void> {
    const { flags } = await this.parse(Status)
    const dataDir = this.dataDir(flags)
    await withPeer(dataDir, await networkInit(flags, dataDir), async (api, owned) => {
      const status = await api.status()
      if (flags.json) return this.printJson({ ...status, online: !owned })
      process.stdout.write(
        [
          `peer id:   ${status.peerId}${owned ? ' (no peer was running; started one to look)' : ''}`,
          `listening: ${status.addresses.join(' ') || '-'}`,
          `peers:     ${peerCount(status.connections)}`,
          ...status.connections.map((c) => `  ${c.peer}  ${c.address}${c.relayed ? '  (relayed)' : ''}`),
          ...(status.relay === undefined
            ? []
            : [
                `relay:     ${status.relay.reservations} reservations, ${status.relay.circuits} circuits, ` +
                  `${kib(status.relay.bytes)} carried, ${status.relay.overBudget} peers over budget`,
              ]),
          `jobs:      ${status.jobs}${strangers(status.strangerJobs)}`,
          `running:   ${status.running} tasks${status.paused === undefined ? '' : `, paused (${PAUSED[status.paused]})`}`,
          ...runningTaskLines(status.tasks),
          `tasks:     ${status.done} done, ${status.failed} failed`,
          ...(status.controls === undefined ? [] : [`controls:  ${describeControls(status.controls)}`]),
          ...(status.diskFull === undefined ? [] : [`disk:      ${status.diskFull}`]),
          `credit:    ${status.credit.toFixed(1)} s`,
          `gossip:    ${kib(status.gossip.sentBytes)} sent, ${kib(status.gossip.receivedBytes)} received` +
            (status.gossip.throttled === 0 ? '' : `, ${status.gossip.throttled} messages throttled`),
        ].join('\n') + '\n',
      )
    })
  }
}

function peerCount(connections: PeerStatus['connections']): string {
  const peers = new Set(connections.map((c) => c.peer)).size
  const relayed = new Set(connections.filter((c) => c.relayed).map((c) => c.peer)).size
  return relayed === 0 ? `${peers}` : `${peers} (${relayed} through a relay)`
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}

/** What the jobs line says of the jobs of publishers this peer does not follow, if there are any. */
function strangers({ kept, forgotten }: { kept: number; forgotten: number }): string {
  if (kept === 0 && forgotten === 0) return ''
  return ` (${kept} of publishers not followed, ${forgotten} forgotten)`
}
