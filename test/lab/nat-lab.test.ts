// The NAT lab behaves as homes behind NATs on the internet: they reach out, nothing reaches in,
// cone and symmetric NATs map ports as their names say, STUN tells a home its public address,
// and stop() leaves nothing behind. Skipped, with the reason, where the lab cannot run (not root).
import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import test from 'ava'
import { spawnP2pc } from '../helpers/cli-process.ts'
import { createNatLab, natLabUnavailable, type NatLab } from '../helpers/nat-lab.ts'
import { runProbe, startProbe } from '../helpers/net-probes.ts'
import { inNetns } from '../helpers/netns.ts'
import { systemTool } from '../helpers/system-tool.ts'
import { temporaryDir } from '../helpers/paths.ts'

const unavailable = await natLabUnavailable()
const labTest = unavailable === undefined ? test : test.skip
const titled = (title: string): string =>
  unavailable === undefined ? title : `${title} (skipped: ${unavailable})`

/** One lab for the tests that only look at it; each test uses ports of its own. */
let shared: NatLab | undefined
test.before(async () => {
  if (unavailable === undefined) shared = await createNatLab()
})
test.after.always(() => shared?.stop())

/** Names in `ip netns list` that start with `prefix`. */
function namespacesNamed(prefix: string): string[] {
  return execFileSync(systemTool('ip'), ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter((name) => name.startsWith(prefix))
}

const CONNECT_TIMEOUT_MS = 500

labTest(
  titled('a home reaches the relay over TCP, and nothing on the WAN reaches a home or a router unasked'),
  async (t) => {
    const lab = shared!
    const [home] = lab.homes
    const { router } = home!
    await Promise.all([
      startProbe(lab, lab.relay.ns, 'tcp-listen', [7001]),
      startProbe(lab, home!.ns, 'tcp-listen', [7002]),
      startProbe(lab, router.ns, 'tcp-listen', [7003]),
    ])
    const connect = (ns: string, host: string, port: number): Promise<string> =>
      runProbe(lab, ns, 'tcp-connect', [host, port, CONNECT_TIMEOUT_MS])
    const [out, routerFromLan, homeFromRelay, routerFromRelay] = await Promise.all([
      connect(home!.ns, lab.relay.ip, 7001),
      connect(home!.ns, router.lanIp, 7003),
      connect(lab.relay.ns, home!.ip, 7002),
      connect(lab.relay.ns, router.wanIp, 7003),
    ])
    t.is(out, 'connected', 'home to relay')
    t.is(routerFromLan, 'connected', "the router's listener is open to its LAN")
    t.is(homeFromRelay, 'ENETUNREACH', 'the relay has no route into a LAN')
    t.is(routerFromRelay, 'timeout', 'the router drops a connection to its WAN address that nobody asked for')

    // Even routed through the router, a connection from the WAN into the LAN is dropped.
    const lan = `${home!.ip.split('.').slice(0, 3).join('.')}.0/24`
    const route = ['route', 'add', lan, 'via', router.wanIp]
    t.is((await lab.run(lab.relay.ns, 'ip', route)).code, 0)
    try {
      t.is(await connect(lab.relay.ns, home!.ip, 7002), 'timeout', "the router's firewall drops it")
    } finally {
      await lab.run(lab.relay.ns, 'ip', ['route', 'del', lan])
    }
  },
)

labTest(
  titled(
    'cone homes keep one UDP mapping for two destinations, the symmetric home makes one per destination',
  ),
  async (t) => {
    const lab = shared!
    await startProbe(lab, lab.relay.ns, 'udp-reflector', [7101, 7102])
    const mappings = await Promise.all(
      lab.homes.map(async (home) => ({
        home,
        seen: JSON.parse(await runProbe(lab, home.ns, 'udp-mapping', [lab.relay.ip, 7101, 7102])) as string[],
      })),
    )
    t.deepEqual(
      lab.homes.map((home) => home.nat),
      ['cone', 'cone', 'symmetric'],
    )
    for (const { home, seen } of mappings) {
      const [first, second] = seen.map((endpoint) => endpoint.split(':'))
      t.is(first![0], home.router.wanIp, `${home.ns} is seen at its router's WAN address`)
      t.is(second![0], home.router.wanIp, `${home.ns} is seen at its router's WAN address`)
      if (home.nat === 'cone') t.is(first![1], second![1], `${home.ns}: one port for both destinations`)
      else t.not(first![1], second![1], `${home.ns}: a port per destination`)
    }
  },
)

labTest(titled("the STUN server tells each home its router's WAN address"), async (t) => {
  const lab = shared!
  const [, host, port] = /^stun:([\d.]+):(\d+)$/.exec(lab.stunUrl)!
  t.is(host, lab.relay.ip)
  const answers = await Promise.all(
    lab.homes.map((home) => runProbe(lab, home.ns, 'stun-binding', [host!, port!])),
  )
  t.deepEqual(
    answers.map((answer) => answer.split(':')[0]),
    lab.homes.map((home) => home.router.wanIp),
  )
})

labTest(
  titled('p2pc runs inside a lab namespace: a node on the relay is reachable from a home'),
  async (t) => {
    const lab = shared!
    const node = await spawnP2pc(
      t,
      ['node', '--listen', `/ip4/${lab.relay.ip}/tcp/7201`, '--no-mdns', '--data-dir', await temporaryDir(t)],
      { netns: lab.relay.ns },
    )
    t.true(
      node.addresses.some((address) => address.startsWith(`/ip4/${lab.relay.ip}/tcp/7201/`)),
      node.addresses.join(' '),
    )
    t.is(
      await runProbe(lab, lab.homes[2]!.ns, 'tcp-connect', [lab.relay.ip, 7201, CONNECT_TIMEOUT_MS]),
      'connected',
    )
  },
)

labTest(titled('stop() kills what runs in the lab and removes its namespaces'), async (t) => {
  const lab = await createNatLab({ homes: [{ nat: 'cone' }] })
  t.teardown(() => lab.stop())
  t.deepEqual(namespacesNamed(`${lab.id}-`).sort(), [...lab.namespaces].sort())
  const started = lab.spawn(lab.homes[0]!.ns, 'sleep', ['600'])
  // Started around the lab, not by it: stop() kills it all the same, for being in its namespace.
  const stranger = spawn(...inNetns(lab.relay.ns, 'sleep', ['600']))
  const strangerExit = once(stranger, 'exit')
  await once(stranger, 'spawn')
  await lab.stop()
  t.deepEqual(namespacesNamed(`${lab.id}-`), [])
  t.is(started.signalCode, 'SIGKILL')
  t.deepEqual(await strangerExit, [null, 'SIGKILL'])
})

labTest(titled('a lab that fails half made removes what it made, and only that'), async (t) => {
  const id = `fail${process.pid.toString(36)}`
  // A namespace of that name already there makes the lab fail at its second home.
  execFileSync(systemTool('ip'), ['netns', 'add', `${id}-h2`])
  t.teardown(() => execFileSync(systemTool('ip'), ['netns', 'del', `${id}-h2`]))
  await t.throwsAsync(createNatLab({ id, homes: [{ nat: 'cone' }, { nat: 'cone' }] }), {
    message: new RegExp(`${id}-h2`),
  })
  t.deepEqual(namespacesNamed(`${id}-`), [`${id}-h2`])
})
