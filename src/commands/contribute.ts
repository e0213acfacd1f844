import { Flags } from '@oclif/core'
import { createPeer } from '@p2pc/node'
import { sandboxDeniesNetwork } from '@p2pc/runtime'
import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { egressVerdict } from '../lib/network-egress.ts'
import { peerIdFlag } from '../lib/flags.ts'
import { poolFlags, poolInit } from '../lib/governor-flags.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { printPeerEvents } from '../lib/peer-log.ts'
import { contributeUntilStopped, drainRunningContributor } from '../lib/contribute-lifecycle.ts'
import { showContributeStatus } from '../lib/live-status.ts'
import { readTrusted } from '../lib/trust-file.ts'
import { finishRunningContributor } from '../lib/controls.ts'

export default class Contribute extends P2pcCommand {
  static override summary = 'Lend this machine: run tasks of trusted publishers until SIGINT or SIGTERM.'
  static override description =
    "Runs only jobs of trusted publishers: this peer's own, those given with --trust, and those added with `p2pc trust add`. Tasks run in the sandbox at the lowest priority, pause on battery unless --on-battery run, and can be capped with --max-cpu or held to idle times with --idle-only. The first SIGINT (or SIGTERM, or `p2pc contribute --drain`) drains: running tasks finish or checkpoint, the other claims go back to the swarm, then the peer stops. A second SIGINT stops at once."
  static override examples = [
    '<%= config.bin %> contribute --bootstrap /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW… --trust 12D3KooW…',
    '<%= config.bin %> contribute --max-cpu 50 --idle-only --idle-load 0.3 --task-timeout 1h',
  ]

  static override flags = {
    ...networkFlags,
    ...poolFlags,
    trust: peerIdFlag({
      description: 'Peer id of a publisher to run jobs of; repeatable.',
      multiple: true,
    }),
    drain: Flags.boolean({
      description:
        'Ask the contributor running on this data dir to drain and stop, and wait until it has drained.',
      default: false,
    }),
    'no-new-tasks': Flags.boolean({
      description:
        'Ask the contributor running on this data dir to finish the tasks it holds and take no new ones; it stays online (`p2pc resume` undoes it).',
      default: false,
      exclusive: ['drain'],
    }),
    'trust-any': Flags.boolean({
      description: "Run any publisher's jobs (untrusted code, in the sandbox).",
      default: false,
    }),
    'allow-network-egress': Flags.boolean({
      description:
        'Accept that workload code can reach the network, where this Node.js (before 25) cannot deny it; needed there for --trust-any.',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Contribute)
    const dataDir = this.dataDir(flags)
    if (flags['no-new-tasks']) return finishRunningContributor(dataDir, flags.json)
    if (flags.drain) {
      await drainRunningContributor(dataDir)
      if (flags.json) this.printJson({ drained: true })
      else process.stderr.write('p2pc: the contributor has drained and stops\n')
      return
    }
    const egress = egressVerdict({
      deniesNetwork: sandboxDeniesNetwork(),
      trustAny: flags['trust-any'],
      allowEgress: flags['allow-network-egress'],
      nodeVersion: process.versions.node,
    })
    if (egress.refusal !== undefined) throw new UsageError(egress.refusal)
    if (egress.warning !== undefined) process.stderr.write(`p2pc: warning: ${egress.warning}\n`)
    const peer = createPeer({
      dataDir,
      ...(await networkInit(flags, dataDir)),
      contribute: true,
      ...poolInit(flags),
      trust: [...(flags.trust ?? []), ...(await readTrusted(dataDir))],
      trustAny: flags['trust-any'],
    })
    await peer.start()
    if (!flags.json && process.stderr.isTTY === true) {
      const status = showContributeStatus(peer)
      await contributeUntilStopped(peer, status.say, status.freeze)
    } else {
      printPeerEvents(peer, { json: flags.json, role: 'contribute' })
      await contributeUntilStopped(peer, (line) => process.stderr.write(`p2pc: ${line}\n`))
    }
  }
}
