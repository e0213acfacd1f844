import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { describeControls, runningPeer } from '../lib/controls.ts'
import { duration } from '../lib/flags.ts'

export default class Pause extends P2pcCommand {
  static override summary =
    'Pause the contributor running on this data dir, at once: its sandbox stops, checkpoints kept.'
  static override description =
    'Claims are held while their lease lasts; those whose lease would end before the pause does are given back to the swarm. Without --for, the pause lasts until `p2pc resume`.'
  static override examples = ['<%= config.bin %> pause', '<%= config.bin %> pause --for 1h']
  static override flags = {
    for: duration({
      description: 'How long to pause, like 30m or 1h; then the contributor resumes by itself.',
    }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Pause)
    if (flags.for === 0) throw new UsageError('--for: a pause must last longer than 0 ms')
    const api = await runningPeer(this.dataDir(flags, { writable: false }))
    const status = await api.pause({ forMs: flags.for })
    if (flags.json) this.printJson(status)
    else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
  }
}
