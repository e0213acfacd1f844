import { P2pcCommand } from '../lib/base-command.ts'
import { finishRunningContributor } from '../lib/controls.ts'

export default class Finish extends P2pcCommand {
  static override summary =
    'Let the contributor running on this data dir finish the tasks it holds, then idle, online, until `p2pc resume`.'

  async run(): Promise<void> {
    const { flags } = await this.parse(Finish)
    await finishRunningContributor(this.dataDir(flags, { writable: false }), flags.json)
  }
}
