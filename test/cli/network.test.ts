import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import test, { type ExecutionContext } from 'ava'
import { p2pc, type CliRun } from '../helpers/cli.ts'
import { temporaryDir } from '../helpers/paths.ts'

const PEER_A = '12D3KooWEj5hRZbLjRLi5g8JvMZPYeETYfXyTJL5ovUj6GeVuHbk'
const PEER_B = '12D3KooWKmYvSCqNanczVc1yJh2NeZcMq8Pp6Lf9aMHJW9sn7qoQ'
const A = `/ip4/192.0.2.7/tcp/4001/p2p/${PEER_A}`
const B = `/dns4/peers.example.org/tcp/443/wss/p2p/${PEER_B}`
const A_WS = `/ip4/192.0.2.7/tcp/4002/ws/p2p/${PEER_A}`

async function network(dataDir: string, ...args: string[]): Promise<CliRun> {
  return p2pc(['network', ...args, '--data-dir', dataDir])
}

async function listed(dataDir: string): Promise<string[]> {
  const run = await network(dataDir, 'list', '--json')
  if (run.code !== 0) throw new Error(run.stderr)
  return (JSON.parse(run.stdout) as { network: string[] }).network
}

test('network add saves peer multiaddrs once each, in order; list prints them; remove forgets them', async (t) => {
  const dataDir = await temporaryDir(t)
  const empty = await network(dataDir, 'list')
  t.is(empty.code, 0)
  t.is(empty.stdout, 'no saved network: add a peer with `p2pc network add MULTIADDR`\n')

  const added = await network(dataDir, 'add', A, B, A, '--json')
  t.is(added.code, 0, added.stderr)
  t.deepEqual(JSON.parse(added.stdout), { network: [A, B] })
  t.is((await network(dataDir, 'add', A_WS)).stdout, '', 'silent without --json, like trust add')
  t.deepEqual(await listed(dataDir), [A, B, A_WS])
  t.is((await network(dataDir, 'list')).stdout, `${A}\n${B}\n${A_WS}\n`)

  const file = join(dataDir, 'network.json')
  t.deepEqual(JSON.parse(await readFile(file, 'utf8')), [A, B, A_WS])
  t.is((await stat(file)).mode & 0o777, 0o600)

  const removed = await network(dataDir, 'remove', B, `/ip4/198.51.100.1/tcp/1/p2p/${PEER_B}`, '--json')
  t.is(removed.code, 0, removed.stderr)
  t.deepEqual(JSON.parse(removed.stdout), { network: [A, A_WS] }, 'an address not saved is let be')
  t.deepEqual(await listed(dataDir), [A, A_WS])
})

test('network add --file reads one multiaddr a line, with # comments and blank lines', async (t) => {
  const dataDir = await temporaryDir(t)
  const list = join(await temporaryDir(t), 'peers.txt')
  await writeFile(list, `# The example project's bootstrap peers\n${A}\n\n  ${B}   # the WebSockets one\r\n`)
  const run = await network(dataDir, 'add', A_WS, '--file', list, '--json')
  t.is(run.code, 0, run.stderr)
  t.deepEqual(JSON.parse(run.stdout), { network: [A_WS, A, B] })
})

const badInputs: Array<[string, (dir: string) => Promise<string[]>, RegExp]> = [
  [
    'a multiaddr that does not parse',
    async () => ['add', A, '/ip4/192.0.2.7/tcp/'],
    /^p2pc: "\/ip4\/192\.0\.2\.7\/tcp\/" is not a multiaddr \(.+\)$/,
  ],
  [
    'a multiaddr with no /p2p/',
    async () => ['add', A, '/ip4/192.0.2.7/tcp/4001'],
    /^p2pc: "\/ip4\/192\.0\.2\.7\/tcp\/4001" names no peer: end it with \/p2p\/<peer id>$/,
  ],
  [
    'a /p2p/ that is not a peer id',
    async () => ['add', '/ip4/192.0.2.7/tcp/4001/p2p/notapeer'],
    /^p2pc: ".*" ends with \/p2p\/notapeer, which is not a peer id$/,
  ],
  ['a peer id with no address', async () => ['add', `/p2p/${PEER_A}`], /names a peer but no address to dial/],
  ['nothing to add', async () => ['add'], /^p2pc: name at least one MULTIADDR to add, or a --file of them$/],
  [
    'an address list that cannot be read',
    async (dir) => ['add', A, '--file', join(dir, 'missing.txt')],
    /^p2pc: cannot read the address list .*missing\.txt: ENOENT$/,
  ],
  [
    'an address list with a bad line',
    async (dir) => {
      const list = join(dir, 'peers.txt')
      await writeFile(list, `# ok so far\n${A}\n/ip4/192.0.2.9/tcp/4001\n`)
      return ['add', '--file', list]
    },
    /^p2pc: .*peers\.txt line 3: "\/ip4\/192\.0\.2\.9\/tcp\/4001" names no peer: end it with \/p2p\/<peer id>$/,
  ],
  [
    'a remove of something else than a multiaddr',
    async () => ['remove', 'peers.example.org'],
    /is not a multiaddr/,
  ],
]

for (const [what, argsIn, expected] of badInputs) {
  test(`network ${what}: one sentence, a non-zero exit, nothing written`, async (t) => {
    const dataDir = await temporaryDir(t)
    t.is((await network(dataDir, 'add', A_WS)).code, 0)
    const before = await saved(t, dataDir)
    const run = await network(dataDir, ...(await argsIn(await temporaryDir(t))))
    assertOneSentence(t, run, expected)
    t.deepEqual(await saved(t, dataDir), before, 'the saved network is as it was')
  })
}

test('a bad input with --json is a JSON error, and nothing is written', async (t) => {
  const dataDir = await temporaryDir(t)
  const run = await network(dataDir, 'add', '/ip4/192.0.2.7/tcp/4001', '--json')
  t.is(run.code, 1)
  t.deepEqual(JSON.parse(run.stdout), {
    error: {
      name: 'UsageError',
      message: '"/ip4/192.0.2.7/tcp/4001" names no peer: end it with /p2p/<peer id>',
    },
  })
  t.deepEqual(await listed(dataDir), [])
})

test('a damaged saved network is named, and neither listed nor used', async (t) => {
  const dataDir = await temporaryDir(t)
  await writeFile(join(dataDir, 'network.json'), '["/ip4/192.0.2.7/tcp/4001"]\n')
  const listing = await network(dataDir, 'list')
  assertOneSentence(
    t,
    listing,
    /^p2pc: .*network\.json is not a list of peer multiaddrs \(.*names no peer.*\): fix it/,
  )
  const node = await p2pc(['node', '--no-mdns', '--listen', '/ip4/127.0.0.1/tcp/0', '--data-dir', dataDir])
  assertOneSentence(t, node, /network\.json is not a list of peer multiaddrs/)
})

test('--bootstrap wants a /p2p/ peer id too', async (t) => {
  const run = await p2pc([
    'node',
    '--bootstrap',
    '/ip4/192.0.2.7/tcp/4001',
    '--no-mdns',
    '--data-dir',
    await temporaryDir(t),
  ])
  assertOneSentence(t, run, /^p2pc: --bootstrap: "\/ip4\/192\.0\.2\.7\/tcp\/4001" names no peer: end it with/)
})

/** The saved network's file as it is, if there is one. */
async function saved(t: ExecutionContext, dataDir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dataDir, 'network.json'), 'utf8')
  } catch (err) {
    t.is((err as NodeJS.ErrnoException).code, 'ENOENT')
    return undefined
  }
}

function assertOneSentence(t: ExecutionContext, run: CliRun, expected: RegExp): void {
  t.is(run.code, 1, 'a non-zero exit')
  const lines = run.stderr.split('\n')
  t.is(lines.length, 2, `one line on stderr: ${run.stderr}`)
  t.regex(lines[0]!, expected)
}
