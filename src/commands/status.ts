import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { withPeer } from '../lib/with-peer.ts'

/** Why a contributor's tasks are paused, in words. */
const PAUSED = {
  'idle-only': 'the machine is busy',
  'on-battery': 'on battery',
  'disk-full': 'the disk is full',
}

export default class Status extends P2pcCommand {
  static override summary =
    'Peer id, listen addresses, connected peers, jobs, running tasks, credit and gossip traffic.'
  static override flags = { ...networkFlags }

  async run(): Promise<void> {
    const { flags } = await this.parse(Status)
    await withPeer(this.dataDir(flags), networkInit(flags), async (api, owned) => {
      const status = await api.status()
      if (flags.json) return this.printJson({ ...status, online: !owned })
      process.stdout.write(
        [
          `peer id:   ${status.peerId}${owned ? ' (no peer was running; started one to look)' : ''}`,
          `listening: ${status.addresses.join(' ') || '-'}`,
          `peers:     ${status.connections.length}`,
          `jobs:      ${status.jobs}`,
          `running:   ${status.running} tasks${status.paused === undefined ? '' : `, paused (${PAUSED[status.paused]})`}`,
          ...(status.diskFull === undefined ? [] : [`disk:      ${status.diskFull}`]),
          `credit:    ${status.credit.toFixed(1)} s`,
          `gossip:    ${kib(status.gossip.sentBytes)} sent, ${kib(status.gossip.receivedBytes)} received`,
        ].join('\n') + '\n',
      )
    })
  }
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`
}
