import { Command, Flags } from '@oclif/core'
import { dataDir, ensureWritableDir } from './data-dir.ts'

/**
 * What every p2pc command shares: `--json`, `--data-dir`, and errors printed as one
 * sentence (or `{"error": {"name", "message"}}` with `--json`) with a non-zero exit.
 */
export abstract class P2pcCommand extends Command {
  static override baseFlags = {
    json: Flags.boolean({ description: 'Print machine-readable JSON on stdout.', default: false }),
    'data-dir': Flags.string({
      description:
        'Folder of this peer: identity, database, bundle cache. Defaults to $P2PC_HOME, else the XDG data dir.',
      helpGroup: 'GLOBAL',
    }),
  }

  /**
   * The data directory from `--data-dir`, else the environment's default; created and checked
   * to be writable unless `writable` is false (for commands that only read it).
   */
  protected dataDir(
    flags: { 'data-dir'?: string | undefined },
    options: { writable?: boolean } = {},
  ): string {
    const dir = dataDir(flags['data-dir'])
    if (options.writable !== false) ensureWritableDir(dir)
    return dir
  }

  /** Prints a value as one line of JSON on stdout. */
  protected printJson(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`)
  }

  protected override async catch(
    err: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<void> {
    // oclif signals --help, --version and this.exit() with errors of its own: let them through.
    if (err.oclif?.exit !== undefined && err.name === 'ExitError') throw err
    // A flag that failed to parse still means parsing ran; without this, oclif warns outside
    // production that the command "did not parse its arguments".
    this.parsed = true
    const message = oneSentence(err.message)
    if (this.argv.includes('--json')) {
      this.printJson({ error: { name: err.name, message } })
    } else {
      process.stderr.write(`p2pc: ${message}\n`)
    }
    process.exitCode = typeof err.oclif?.exit === 'number' && err.oclif.exit > 0 ? err.oclif.exit : 1
  }
}

/**
 * oclif's parse errors span lines: a "Parsing --flag" header, the reason, and a help hint.
 * Keep the reason, on one line.
 */
function oneSentence(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('See more help with'))
  // A missing argument comes with a paragraph about repeatable flags: the first line says enough.
  const note = lines.findIndex((line) => line.startsWith('Note: '))
  if (note > 0) lines.splice(note)
  const reason = lines.length > 1 && /^Parsing --\S+$/.test(lines[0] ?? '') ? lines.slice(1) : lines
  return reason.join(' ').replace(/\s+/g, ' ')
}
