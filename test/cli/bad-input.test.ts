import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

// Commands that bring a peer online stay on loopback and off multicast DNS.
const offline = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']
const PEER_ID = '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk'
const UNKNOWN_JOB = 'bafyreihsy67pc754etbzr427vnkiqvxrhw6auuj3mhclsmd6ywgwkxijjq'

const badInputs: Array<[string, string[], RegExp]> = [
  ['an unknown command', ['frobnicate'], /^p2pc: frobnicate is not a p2pc command: see p2pc --help$/],
  ['an unknown subcommand', ['trust', 'frob'], /^p2pc: trust frob is not a p2pc command/],
  ['an unknown flag', ['status', '--frob'], /^p2pc: Nonexistent flag: --frob$/],
  ['a missing argument', ['results'], /^p2pc: Missing 1 required arg: jobId/],
  [
    'publish of a missing workload dir',
    ['publish', '/nonexistent/workload', ...offline],
    /^p2pc: \/nonexistent\/workload does not exist$/,
  ],
  [
    'run-local of a missing workload dir',
    ['run-local', '/nonexistent/workload'],
    /^p2pc: \/nonexistent\/workload does not exist$/,
  ],
  [
    'publish with params that are not JSON',
    ['publish', workloadDir('primes'), '--params', '{upTo', ...offline],
    /^p2pc: --params is not valid JSON: /,
  ],
  [
    'publish with params the schema rejects',
    ['publish', workloadDir('primes'), '--params', '{"upTo": "many"}', ...offline],
    /^p2pc: the workload's params schema rejects the params at \/upTo: must be integer$/,
  ],
  [
    'run-local with params the schema rejects',
    ['run-local', workloadDir('primes'), '--params', '{"chunk": 1}'],
    /^p2pc: the workload's params schema rejects the params at \/chunk: must be >= 1000$/,
  ],
  [
    'publish with a params file that is missing',
    ['publish', workloadDir('primes'), '--params', '@/nonexistent/params.json', ...offline],
    /^p2pc: cannot read --params file \/nonexistent\/params\.json: ENOENT$/,
  ],
  ['results of an unknown job', ['results', UNKNOWN_JOB, ...offline], /^p2pc: this peer knows no job bafy/],
  [
    'a --listen that is not a multiaddr',
    ['node', '--listen', '0.0.0.0:4001', '--no-mdns'],
    /^p2pc: --listen: "0\.0\.0\.0:4001" is not a multiaddr \(.+\)$/,
  ],
  [
    'a --bootstrap that is not a multiaddr',
    ['contribute', '--bootstrap', '/ip4/192.0.2.7/tcp/', '--trust', PEER_ID, ...offline],
    /^p2pc: --bootstrap: "\/ip4\/192\.0\.2\.7\/tcp\/" is not a multiaddr \(.+\)$/,
  ],
  [
    'a relay cap without --relay',
    ['node', '--relay-slots', '3', ...offline],
    /^p2pc: --relay-slots sets a relay's caps: it needs --relay$/,
  ],
  [
    'a relay slot count that is not a positive integer',
    ['node', '--relay', '--relay-slots', '0', ...offline],
    /^p2pc: --relay-slots must be a positive integer, not "0"$/,
  ],
  [
    'a relay rate that is not a size',
    ['node', '--relay', '--relay-peer-rate', '1XB', ...offline],
    /^p2pc: --relay-peer-rate must be a size such as 512KiB, 64MiB or 1GiB, not "1XB"$/,
  ],
  [
    'a --stun that is not a STUN server',
    ['contribute', '--stun', 'stun.example.org', '--trust', PEER_ID, ...offline],
    /^p2pc: --stun must be a STUN server such as stun:stun\.example\.org:3478, not "stun\.example\.org"$/,
  ],
  [
    'a --listen address of no transport p2pc has',
    ['node', '--listen', '/ip4/127.0.0.1/udp/4001', '--no-mdns'],
    /^p2pc: cannot listen on \/ip4\/127\.0\.0\.1\/udp\/4001 \(No transport was configured to listen on this address\)$/,
  ],
  ['a peer id that is not one', ['trust', 'add', 'not-a-peer-id'], /^p2pc: /],
  [
    'a --trust that is not a peer id',
    ['contribute', '--trust', '12D3KooWnotapeer', ...offline],
    /^p2pc: --trust: "12D3KooWnotapeer" is not a peer id$/,
  ],
]

for (const [what, args, expected] of badInputs) {
  test(`${what}: one sentence on stderr, a non-zero exit, no stack trace`, async (t) => {
    const run = await p2pc([...args, '--data-dir', await temporaryDir(t)])
    assertOneSentence(t, run, expected)
  })
}

test('results --csv with --json: refused, as a JSON error since --json asks for one', async (t) => {
  const run = await p2pc(['results', UNKNOWN_JOB, '--csv', '--json', '--data-dir', await temporaryDir(t)])
  t.is(run.code, 1)
  t.deepEqual(JSON.parse(run.stdout), {
    error: { name: 'UsageError', message: '--csv and --json cannot be used together: pick one' },
  })
  t.is(run.stderr, '')
})

// Root may write anywhere whatever the mode bits say, so as root there is no unwritable folder to test with.
const asRoot = process.getuid?.() === 0
for (const [command, ...args] of [
  ['id'],
  ['node', ...offline],
  ['run-local', workloadDir('primes')],
] as const) {
  ;(asRoot ? test.skip : test)(`${command} on a data dir that is not writable: one sentence`, async (t) => {
    const locked = join(await temporaryDir(t), 'locked')
    await mkdir(locked, { mode: 0o500 })
    t.teardown(() => chmod(locked, 0o700))
    const run = await p2pc([command, ...args, '--data-dir', locked])
    assertOneSentence(t, run, /^p2pc: the data dir .*locked is not writable \(EACCES\): choose another with/)
    const inside = await p2pc([command, ...args, '--data-dir', join(locked, 'p2pc')])
    assertOneSentence(t, inside, /^p2pc: cannot create the data dir .*p2pc \(EACCES\): choose another with/)
  })
  // Root ignores permissions, but not a file where a folder should be: this case runs everywhere.
  test(`${command} on a data dir that cannot be a folder: one sentence`, async (t) => {
    const file = join(await temporaryDir(t), 'a-file')
    await writeFile(file, '')
    const run = await p2pc([command, ...args, '--data-dir', join(file, 'p2pc')])
    assertOneSentence(t, run, /^p2pc: cannot create the data dir .*p2pc \(ENOTDIR\): choose another with/)
  })
}

function assertOneSentence(
  t: ExecutionContext,
  run: { code: number | null; stdout: string; stderr: string },
  expected: RegExp,
): void {
  t.not(run.code, 0, 'a non-zero exit')
  t.not(run.code, null, 'it ended on its own')
  const lines = run.stderr.split('\n')
  t.is(lines.at(-1), '', 'stderr ends with a newline')
  t.is(lines.length, 2, `one line on stderr: ${run.stderr}`)
  t.regex(lines[0]!, expected)
  t.false(
    lines.some((line) => line.startsWith('    at ')),
    'no stack trace',
  )
}
