// A NAT lab of Linux network namespaces, so that tests can run real processes behind real NATs
// on one machine. Needs root, iproute2, nftables and coturn; `natLabUnavailable` says why a lab
// cannot run here, and tests skip on that reason.
//
//   relay 10.99.0.1 ──────┐
//   router N 10.99.0.N+1 ─┴─ br0: the "WAN" 10.99.0.0/24, a bridge in a namespace of its own
//     └─ LAN 192.168.N.0/24: router .1, home .2 (default route via the router)
//
// The relay has no route into any LAN and the routers let nothing in unasked, as on the internet.
// Each veth end is made inside its namespace under a fixed short name (interface names have at
// most 15 characters), so labs in several test processes at once never clash, and nothing of a
// lab lives in the host's namespace: deleting its namespaces deletes its links.
//
// Use:
//   const unavailable = await natLabUnavailable()   // skip the test with this reason if set
//   const lab = await createNatLab()                 // homes: cone, cone, symmetric
//   t.teardown(() => lab.stop())                     // or test.after.always for a shared lab
//   await spawnP2pc(t, ['node', '--listen', `/ip4/${lab.relay.ip}/tcp/4001`], { netns: lab.relay.ns })
//   await spawnP2pc(t, [...], { netns: lab.homes[0].ns })   // or p2pc([...], { netns }) to its end
import { execFile, execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { existsSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { inNetns } from './netns.ts'
import { routerRuleset, type NatKind } from './nat-router.ts'
import { findSystemTool, systemTool } from './system-tool.ts'

export type { NatKind } from './nat-router.ts'

/** The port the lab's STUN server listens on, UDP and TCP, at the relay's address. */
export const STUN_PORT = 3478

export interface NatLabOptions {
  /** One home per entry; home N (from 1) sits on 192.168.N.0/24. Default: cone, cone, symmetric. */
  homes?: { nat: NatKind }[]
  /** The prefix of the lab's namespace names, 1–12 of a-z0-9. Default: unique to this process and lab. */
  id?: string
}

/** A host of the lab: its namespace and its address. */
export interface NatLabHost {
  ns: string
  ip: string
}

export interface NatLabHome extends NatLabHost {
  nat: NatKind
  /** The home's NAT router: its WAN address is what the relay and STUN see of the home. */
  router: { ns: string; wanIp: string; lanIp: string }
}

/** What a finished command left behind. */
export interface CommandRun {
  code: number | null
  stdout: string
  stderr: string
}

export interface NatLab {
  id: string
  /** The public host, where a relay and the STUN server run. */
  relay: NatLabHost
  homes: NatLabHome[]
  /** The lab's STUN server, e.g. `stun:10.99.0.1:3478`. */
  stunUrl: string
  /** Every namespace of the lab. */
  namespaces: readonly string[]
  /** Starts `command ARGS` in namespace `ns` of this lab; it is killed by `stop()` at the latest. */
  spawn(ns: string, command: string, args: string[], options?: SpawnOptions): ChildProcess
  /** Runs `command ARGS` in namespace `ns` to its end (killed after `timeoutMs`, default 10 s). */
  run(ns: string, command: string, args: string[], options?: { timeoutMs?: number }): Promise<CommandRun>
  /**
   * Kills every process in the lab's namespaces (whoever started them) and deletes the
   * namespaces. Call it in `t.teardown` or `test.after.always`, so that it runs when a test fails.
   * Calling it again returns the first call's promise.
   */
  stop(): Promise<void>
}

const DEFAULT_HOMES: { nat: NatKind }[] = [{ nat: 'cone' }, { nat: 'cone' }, { nat: 'symmetric' }]
const RELAY_IP = '10.99.0.1'
const wanIp = (home: number): string => `10.99.0.${home + 1}`
const lanIp = (home: number, host: number): string => `192.168.${home}.${host}`

let labsMade = 0
function uniqueId(): string {
  labsMade += 1
  // The pid keeps apart the test processes running now; the random part, a leftover of a dead one.
  return `nl${process.pid.toString(36)}${labsMade.toString(36)}${randomBytes(1).toString('hex')}`
}

/** Runs a system command to its end; rejects with its stderr when it fails. */
function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(systemTool(command), args, (error, stdout, stderr) => {
      if (error === null) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')}: ${stderr.trim() || error.message}`))
    })
    child.stdin!.end(input)
  })
}

const ipIn = (ns: string, ...args: string[]): Promise<string> => run('ip', ['-n', ns, ...args])

/** Writes /proc/sys entries as seen from namespace `ns` (they are per namespace): [key, value]... */
function sysctl(ns: string, entries: [string, string][]): Promise<string> {
  const script = 'while [ $# -gt 0 ]; do echo "$2" > "/proc/sys/$1"; shift 2; done'
  return run('ip', ['netns', 'exec', ns, systemTool('sh'), '-c', script, 'sh', ...entries.flat()])
}

function processIdsIn(ns: string): number[] {
  try {
    return execFileSync(systemTool('ip'), ['netns', 'pids', ns], { encoding: 'utf8' })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number)
  } catch {
    return []
  }
}

function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Ended already.
    }
  }
}

/** What a lab made, in order, so that it can be unmade even when the lab was made only half. */
class LabParts {
  readonly namespaces: string[] = []
  readonly children = new Set<ChildProcess>()
  dir: string | undefined

  async addNamespace(ns: string): Promise<void> {
    await run('ip', ['netns', 'add', ns])
    this.namespaces.push(ns)
    await ipIn(ns, 'link', 'set', 'lo', 'up')
    // IPv6 would bypass the routers' `ip` family rules over link-local addresses.
    if (existsSync('/proc/sys/net/ipv6'))
      await sysctl(ns, [
        ['net/ipv6/conf/all/disable_ipv6', '1'],
        ['net/ipv6/conf/default/disable_ipv6', '1'],
      ])
  }

  spawn(ns: string, command: string, args: string[], options: SpawnOptions): ChildProcess {
    const [file, fileArgs] = inNetns(ns, command, args)
    return this.track(spawn(file, fileArgs, options))
  }

  track(child: ChildProcess): ChildProcess {
    this.children.add(child)
    child.once('exit', () => this.children.delete(child))
    return child
  }

  async release(): Promise<void> {
    for (const child of this.children) child.kill('SIGKILL')
    // `ip netns del` leaves running processes in the namespace: kill them first, children of
    // processes the lab started included. Several rounds, for those that forked meanwhile.
    for (let round = 0; round < 10; round++) {
      const pids = this.namespaces.flatMap(processIdsIn)
      if (pids.length === 0) break
      killAll(pids)
      await sleep(20)
    }
    await Promise.all(
      [...this.children].map((child) =>
        child.exitCode !== null || child.signalCode !== null ? undefined : once(child, 'exit'),
      ),
    )
    const failures: string[] = []
    for (const ns of this.namespaces.toReversed()) {
      await run('ip', ['netns', 'del', ns]).catch((error: Error) => failures.push(error.message))
    }
    this.namespaces.length = 0
    if (this.dir !== undefined) await rm(this.dir, { recursive: true, force: true })
    unreleased.delete(this)
    if (failures.length > 0) throw new Error(`the NAT lab was not removed entirely: ${failures.join('; ')}`)
  }

  releaseNow(): void {
    for (const child of this.children) child.kill('SIGKILL')
    for (const ns of this.namespaces) killAll(processIdsIn(ns))
    for (const ns of this.namespaces) {
      try {
        execFileSync(systemTool('ip'), ['netns', 'del', ns], { stdio: 'ignore' })
      } catch {
        // Gone already.
      }
    }
    if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true })
  }
}

/** Labs not stopped yet: a test that timed out ends its process without its teardowns. */
const unreleased = new Set<LabParts>()
process.once('exit', () => {
  for (const parts of unreleased) parts.releaseNow()
})

/**
 * Makes a NAT lab: a relay host and `homes` behind their own NAT routers on one WAN, with a STUN
 * server on the relay. When a step fails, what was made is removed before the error is thrown.
 */
export async function createNatLab(options: NatLabOptions = {}): Promise<NatLab> {
  const homeKinds = options.homes ?? DEFAULT_HOMES
  const id = options.id ?? uniqueId()
  if (!/^[a-z0-9]{1,12}$/.test(id)) throw new Error(`a NAT lab id is 1 to 12 of a-z0-9, not ${id}`)
  if (homeKinds.length > 250) throw new Error(`a NAT lab has at most 250 homes, not ${homeKinds.length}`)

  const parts = new LabParts()
  unreleased.add(parts)
  let stopped: Promise<void> | undefined
  try {
    const wan = `${id}-wan`
    const relay: NatLabHost = { ns: `${id}-relay`, ip: RELAY_IP }
    const homes: NatLabHome[] = homeKinds.map(({ nat }, index) => {
      const n = index + 1
      return {
        ns: `${id}-h${n}`,
        ip: lanIp(n, 2),
        nat,
        router: { ns: `${id}-r${n}`, wanIp: wanIp(n), lanIp: lanIp(n, 1) },
      }
    })
    for (const ns of [wan, relay.ns, ...homes.flatMap((home) => [home.router.ns, home.ns])])
      await parts.addNamespace(ns)

    await ipIn(wan, 'link', 'add', 'br0', 'type', 'bridge')
    await ipIn(wan, 'link', 'set', 'br0', 'up')
    const plugIntoWan = async (ns: string, port: string, ip: string): Promise<void> => {
      await ipIn(wan, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'wan', 'netns', ns)
      await ipIn(wan, 'link', 'set', port, 'master', 'br0', 'up')
      await ipIn(ns, 'addr', 'add', `${ip}/24`, 'dev', 'wan')
      await ipIn(ns, 'link', 'set', 'wan', 'up')
    }
    await plugIntoWan(relay.ns, 'relay', relay.ip)
    for (const [index, home] of homes.entries()) {
      const { router } = home
      await plugIntoWan(router.ns, `r${index + 1}`, router.wanIp)
      await ipIn(router.ns, 'link', 'add', 'lan', 'type', 'veth', 'peer', 'name', 'lan', 'netns', home.ns)
      await ipIn(router.ns, 'addr', 'add', `${router.lanIp}/24`, 'dev', 'lan')
      await ipIn(router.ns, 'link', 'set', 'lan', 'up')
      await ipIn(home.ns, 'addr', 'add', `${home.ip}/24`, 'dev', 'lan')
      await ipIn(home.ns, 'link', 'set', 'lan', 'up')
      await ipIn(home.ns, 'route', 'add', 'default', 'via', router.lanIp)
      await sysctl(router.ns, [['net/ipv4/ip_forward', '1']])
      await run('ip', ['netns', 'exec', router.ns, systemTool('nft'), '-f', '-'], routerRuleset(home.nat))
    }

    parts.dir = await mkdtemp(join(tmpdir(), 'p2pc-nat-lab-'))
    await startStun(parts, relay, parts.dir)

    return {
      id,
      relay,
      homes,
      stunUrl: `stun:${relay.ip}:${STUN_PORT}`,
      namespaces: [...parts.namespaces],
      spawn(ns, command, args, spawnOptions = {}) {
        if (!parts.namespaces.includes(ns)) throw new Error(`${ns} is not a namespace of NAT lab ${id}`)
        return parts.spawn(ns, command, args, spawnOptions)
      },
      run(ns, command, args, { timeoutMs = 10_000 } = {}) {
        if (!parts.namespaces.includes(ns)) throw new Error(`${ns} is not a namespace of NAT lab ${id}`)
        const [file, fileArgs] = inNetns(ns, command, args)
        return new Promise((resolve) => {
          const child = execFile(
            file,
            fileArgs,
            { timeout: timeoutMs, killSignal: 'SIGKILL' },
            (error, stdout, stderr) => {
              const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null
              resolve({ code, stdout, stderr })
            },
          )
          parts.track(child)
        })
      },
      stop: () => (stopped ??= parts.release()),
    }
  } catch (error) {
    await parts.release().catch(() => {})
    throw error
  }
}

/**
 * Starts coturn as a bare STUN server on the relay, with no config file and its database, pid
 * file and log in `dir`, and waits until it listens.
 */
async function startStun(parts: LabParts, relay: NatLabHost, dir: string): Promise<void> {
  const log = join(dir, 'turnserver.log')
  // prettier-ignore
  const args = [
    '-n', '--stun-only', '--no-cli', '--no-tls', '--no-dtls',
    '--listening-ip', relay.ip, '--listening-port', String(STUN_PORT),
    '--log-file', log, '--simple-log', '--no-stdout-log',
    '--pidfile', join(dir, 'turnserver.pid'), '--userdb', join(dir, 'turndb'),
  ]
  const server = parts.spawn(relay.ns, systemTool('turnserver'), args, { stdio: 'ignore' })
  const ended = async (): Promise<Error> => {
    const output = await readFile(log, 'utf8').catch(() => '')
    return new Error(
      `turnserver did not start to listen on ${relay.ip}:${STUN_PORT}:\n${output.slice(-2000)}`,
    )
  }
  const deadline = Date.now() + 5000
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw await ended()
    const listening = await run('ip', [
      'netns',
      'exec',
      relay.ns,
      systemTool('ss'),
      '-Hlun',
      `sport = :${STUN_PORT}`,
    ])
    if (listening.trim() !== '') return
    await sleep(25)
  }
  throw await ended()
}

let availability: Promise<string | undefined> | undefined

/** Why no NAT lab can run here, in one line, or undefined when one can (tried once per process). */
export function natLabUnavailable(): Promise<string | undefined> {
  return (availability ??= probeLab())
}

async function probeLab(): Promise<string | undefined> {
  if (process.platform !== 'linux')
    return `the NAT lab needs Linux network namespaces, not ${process.platform}`
  if (process.getuid?.() !== 0) return 'the NAT lab needs root for network namespaces'
  const tools: [string, string][] = [
    ['ip', 'iproute2'],
    ['ss', 'iproute2'],
    ['nft', 'nftables'],
    ['turnserver', 'coturn'],
  ]
  for (const [tool, debianPackage] of tools)
    if (findSystemTool(tool) === undefined)
      return `the NAT lab needs ${tool} (Debian package ${debianPackage})`
  const ns = `${uniqueId()}-probe`
  try {
    await run('ip', ['netns', 'add', ns])
  } catch (error) {
    return `the NAT lab cannot make a network namespace: ${(error as Error).message}`
  }
  try {
    await run('ip', ['netns', 'exec', ns, systemTool('nft'), 'add', 'table', 'ip', 'probe'])
    return undefined
  } catch (error) {
    return `the NAT lab cannot use nftables in a namespace: ${(error as Error).message}`
  } finally {
    await run('ip', ['netns', 'del', ns]).catch(() => {})
  }
}
