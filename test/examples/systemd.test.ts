import { execFile, spawnSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { repoRoot } from '../helpers/paths.ts'

const folder = join(repoRoot, 'examples', 'systemd')
const unitPath = join(folder, 'p2pc-contribute.service')

/** The `Key=Value` lines of a unit or environment file, comments left out. */
async function settings(path: string): Promise<Map<string, string>> {
  const entries = (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => /^\w+=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
  return new Map(entries)
}

async function contributeFlags(): Promise<Set<string>> {
  const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8'))
  return new Set(Object.keys(manifest.commands.contribute.flags).map((name) => `--${name}`))
}

test('the unit runs p2pc contribute with flags it has, and the sample environment file too', async (t) => {
  const unit = await settings(unitPath)
  const [command, subcommand, ...args] = (unit.get('ExecStart') ?? '').split(/\s+/)
  t.deepEqual([command, subcommand], ['p2pc', 'contribute'])
  t.true(args.includes('$P2PC_FLAGS'), 'ExecStart passes the flags of the environment file')
  const env = await settings(join(folder, 'contribute.env'))
  const flags = [...args, ...(env.get('P2PC_FLAGS') ?? '').split(/\s+/)].filter((arg) => arg.startsWith('--'))
  t.true(flags.includes('--bootstrap') && flags.includes('--trust'))
  const known = await contributeFlags()
  t.deepEqual(
    flags.filter((flag) => !known.has(flag)),
    [],
    'flags that p2pc contribute does not have',
  )
  t.is(unit.get('KillSignal'), 'SIGINT', 'stopping the service asks p2pc to finish its tasks first')
  t.is(unit.get('Environment'), 'P2PC_HOME=%S/p2pc')
  t.is(unit.get('StateDirectory'), 'p2pc')
})

// systemd-analyze exists only where systemd does; elsewhere there is nothing to ask.
const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version']).error === undefined
;(hasSystemdAnalyze ? test : test.skip)(
  'systemd-analyze verify finds nothing wrong in the unit',
  async (t) => {
    const stderr = await new Promise<string>((resolve) =>
      execFile('systemd-analyze', ['verify', unitPath], (_error, _stdout, stderr) => resolve(stderr)),
    )
    // Lines about this unit, but the one saying p2pc is not installed on this machine's system path.
    const complaints = stderr
      .split('\n')
      .filter((line) => line.includes('p2pc-contribute.service'))
      .filter((line) => !/Command p2pc is not executable/.test(line))
    t.deepEqual(complaints, [])
  },
)
