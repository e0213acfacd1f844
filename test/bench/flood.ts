/**
 * Benchmark: what floods cost an honest peer, and how far honest traffic stays from the limits.
 *
 * 1. Honest traffic: a publisher and a two-thread contributor in this process run `--tasks` tasks
 *    of ~1 ms; a bare observer peer counts the gossip messages each peer passes on, by kind, and
 *    prints the most in any one second against the rate limits.
 * 2. An honest `node` peer in a process of its own, with the default bounds, is measured at rest
 *    (RSS, store size, `status` latency over its control socket), then while `--rogues` rogue peers
 *    announce `--announces` junk jobs from fresh keys between them, `--rate` a second each, then while they open slowloris,
 *    silent and garbage streams on fetch and sync for `--seconds`. Ratios are against the rest.
 *
 * With `--max-strangers 1000000000` the honest peer keeps every stranger's job, as it did before
 * the bound: run both to see what the bound saves.
 *
 *     node test/bench/flood.ts [--tasks 20000 --rogues 20 --announces 5000 --rate 15 --seconds 15 --max-strangers 100]
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { GossipsubMessage } from '@libp2p/gossipsub'
import { peerIdFromString } from '@libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import {
  CONTROL_SOCKET,
  DEFAULT_STRANGER_JOBS,
  GOSSIP_RATE_LIMITS,
  controlClient,
  createHost,
  createPeer,
  type GossipKind,
  type Host,
} from '@p2pc/node'
import {
  FETCH_PROTOCOL,
  MARKET_TOPIC,
  SYNC_PROTOCOL,
  generateKey,
  jobIdOf,
  jobTopic,
  openEnvelope,
} from '@p2pc/protocol'
import { repoRoot } from '../helpers/paths.ts'
import { dialPatiently, floodAnnounces, floodStreams } from '../helpers/rogue.ts'
import { spin } from '../fixtures/workloads/busy/index.js'

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '20000' },
    rogues: { type: 'string', default: '20' },
    announces: { type: 'string', default: '5000' },
    seconds: { type: 'string', default: '15' },
    // The honest peer's bound on strangers' jobs; a huge one shows what the bound saves.
    'max-strangers': { type: 'string', default: String(DEFAULT_STRANGER_JOBS) },
    // Announces a second from each rogue: within the rate limit, so that every one reaches the peer.
    rate: { type: 'string', default: '15' },
  },
})
const tasks = Number(values.tasks)
const rogues = Number(values.rogues)
const announces = Number(values.announces)
const seconds = Number(values.seconds)
const maxStrangers = Number(values['max-strangers'])
const rate = Number(values.rate)
const root = await mkdtemp(join(tmpdir(), 'p2pc-bench-flood-'))
const listen = ['/ip4/127.0.0.1/tcp/0']

if (tasks > 0) await honestTraffic()
await floods()
await rm(root, { recursive: true, force: true })

/** Runs a job between two honest peers and prints the most messages of each kind one peer passed on in a second. */
async function honestTraffic(): Promise<void> {
  const timers = { heartbeatMs: 200, tickMs: 20, syncMs: 60_000, redialMs: 1000 }
  const publisher = createPeer({ dataDir: join(root, 'publisher'), listen, mdns: false, ...timers })
  await publisher.start()
  const observer = await bareHost()
  observer.services.pubsub.subscribe(MARKET_TOPIC)
  // Most messages in one second from one peer, by kind.
  const peaks: Record<GossipKind, number> = { announce: 0, batch: 0, claim: 0, result: 0 }
  const windows = new Map<string, { second: number; count: number }>()
  observer.services.pubsub.addEventListener('gossipsub:message', (event: CustomEvent<GossipsubMessage>) => {
    const { msg, propagationSource } = event.detail
    void openEnvelope(msg.data).then((envelope) => {
      const type = envelope.message.type
      if (envelope.message.type === 'JobAnnounce') {
        observer.services.pubsub.subscribe(jobTopic(jobIdOf(envelope.message)))
      }
      const kind: GossipKind =
        type === 'JobAnnounce'
          ? 'announce'
          : type === 'TaskBatch'
            ? 'batch'
            : type === 'Claim'
              ? 'claim'
              : 'result'
      const key = `${kind} ${propagationSource.toString()}`
      const second = Math.floor(performance.now() / 1000)
      const window = windows.get(key)
      if (window?.second === second) window.count++
      else windows.set(key, { second, count: 1 })
      peaks[kind] = Math.max(peaks[kind], windows.get(key)!.count)
    })
  })
  await observer.dial(multiaddr(publisher.addresses()[0]!))
  await poll(() => observer.services.pubsub.getSubscribers(MARKET_TOPIC).length > 0)
  const workloadDir = fileURLToPath(new URL('../fixtures/workloads/busy/', import.meta.url))
  const jobId = await publisher.publish(workloadDir, { tasks, iterations: calibrate() }, { quorum: 1 })
  observer.services.pubsub.subscribe(jobTopic(jobId))
  await poll(() => observer.services.pubsub.getSubscribers(jobTopic(jobId)).length > 0)
  const contributor = createPeer({
    dataDir: join(root, 'contributor'),
    listen,
    mdns: false,
    bootstrap: publisher.addresses(),
    contribute: true,
    threads: 2,
    trust: [publisher.peerId],
    ...timers,
  })
  await contributor.start()
  const progress = setInterval(() => {
    const job = publisher.jobs().find((summary) => summary.jobId === jobId)
    console.error(
      `honest job: ${JSON.stringify(job?.tasks)}, contributor ${JSON.stringify(contributor.jobs()[0]?.tasks)}`,
    )
  }, 10_000)
  await poll(() => publisher.jobs().find((job) => job.jobId === jobId)?.status === 'complete')
  clearInterval(progress)
  const throttled = publisher.status().gossip.throttled + contributor.status().gossip.throttled
  await contributor.stop()
  await publisher.stop()
  await observer.stop()

  console.log(`honest traffic: ${tasks} tasks of ~1 ms, quorum 1, one two-thread contributor`)
  console.log('kind      most in 1 s from one peer   limit (burst + 1 s)   limit / honest')
  for (const kind of Object.keys(peaks) as GossipKind[]) {
    const { burst, perSecond } = GOSSIP_RATE_LIMITS[kind]
    const peak = peaks[kind]
    const ratio = peak === 0 ? '-' : ((burst + perSecond) / peak).toFixed(1)
    console.log(
      `${kind.padEnd(10)}${String(peak).padStart(26)}${String(burst + perSecond).padStart(22)}${ratio.padStart(17)}`,
    )
  }
  console.log(`honest messages throttled: ${throttled}\n`)
}

/** Measures an honest node at rest, under an announce flood, and under a stream flood. */
async function floods(): Promise<void> {
  const dataDir = join(root, 'honest')
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'test', 'helpers', 'peer-process.ts'),
      JSON.stringify({ dataDir, listen, mdns: false, strangerJobs: { maxJobs: maxStrangers } }),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  // Not left behind if this benchmark fails.
  process.on('exit', () => child.kill('SIGKILL'))
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string]
  const honest = JSON.parse(line) as { peerId: string; addresses: string[] }
  const target = peerIdFromString(honest.peerId)
  const control = controlClient(join(dataDir, CONTROL_SOCKET))
  // Node's HTTP agent keeps sockets alive, and the control server may close one as a request goes
  // out on it (EPIPE, ECONNRESET): ask again.
  const api = {
    status: async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await control.status()
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code
          if (attempt === 3 || (code !== 'EPIPE' && code !== 'ECONNRESET')) throw err
        }
      }
    },
  }
  const hosts: Host[] = []
  for (let i = 0; i < rogues; i++) {
    const host = await bareHost()
    host.services.pubsub.subscribe(MARKET_TOPIC)
    await dialPatiently(host, honest.addresses[0]!)
    hosts.push(host)
  }
  await poll(() => hosts.every((host) => host.services.pubsub.getSubscribers(MARKET_TOPIC).length > 0))
  // Meeting 20 peers keeps a peer busy for a while (identify, the DHT, sync): rest is after that.
  await new Promise((resolve) => setTimeout(resolve, 15_000))

  const measure = async (): Promise<{ rss: number; store: number; latency: number; jobs: number }> => {
    const latencies: number[] = []
    for (let i = 0; i < 20; i++) latencies.push(await statusLatency())
    const status = await api.status()
    return {
      rss: rssOf(child.pid!),
      store: storeBytes(dataDir),
      latency: median(latencies),
      jobs: status.jobs,
    }
  }
  const statusLatency = async (): Promise<number> => {
    const begun = performance.now()
    await api.status()
    return performance.now() - begun
  }

  const rest = await measure()
  console.error(`at rest: ${JSON.stringify(rest)}`)

  // Announces from fresh keys, spread over the rogues; the honest peer's RSS is sampled meanwhile.
  let peakRss = rest.rss
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(child.pid!))), 100)
  const each = Math.ceil(announces / rogues)
  await Promise.all(hosts.map((host) => floodAnnounces(host, each, rate)))
  // Until what was sent has been judged: the honest peer's counts stop changing.
  let last = ''
  await poll(async () => {
    const { strangerJobs, gossip } = await api.status()
    const now = JSON.stringify([strangerJobs, gossip.throttled])
    const settled = now === last
    last = now
    return settled
  }, 1000)
  clearInterval(sampler)
  const afterAnnounces = { ...(await measure()), rss: peakRss }
  console.error(`after the announces: ${JSON.stringify(afterAnnounces)}`)
  const { strangerJobs, gossip } = await api.status()

  // Streams that hold on, trickle and babble, opened again as soon as they end, for `seconds`.
  const end = Date.now() + seconds * 1000
  const attacks = hosts.map(async (host) => {
    while (Date.now() < end) {
      await Promise.all([
        floodStreams(host, target, FETCH_PROTOCOL, 8, 'slowloris', end - Date.now()),
        floodStreams(host, target, SYNC_PROTOCOL, 2, 'silent', end - Date.now()),
        floodStreams(host, target, FETCH_PROTOCOL, 4, 'garbage', end - Date.now()),
        floodStreams(host, target, SYNC_PROTOCOL, 4, 'oversized', end - Date.now()),
      ])
    }
  })
  const underStreams: number[] = []
  let streamRss = 0
  while (Date.now() < end) {
    underStreams.push(await statusLatency())
    streamRss = Math.max(streamRss, rssOf(child.pid!))
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await Promise.all(attacks)

  for (const host of hosts) await host.stop()
  child.kill('SIGTERM')
  await once(child, 'exit')

  const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
  const ms = (value: number): string => `${value.toFixed(1)} ms`
  const ratio = (value: number, base: number): string => (value / base).toFixed(2)
  console.log(
    `an honest node keeping ${maxStrangers} strangers' jobs, ${rogues} rogue peers: ${each * rogues} announces from fresh keys, then ${seconds} s of stream floods`,
  )
  console.log(
    `announces: ${strangerJobs.kept} strangers' jobs kept, ${strangerJobs.forgotten} forgotten, ` +
      `${gossip.throttled} messages throttled (${gossip.penalised} penalised)`,
  )
  console.log('                         at rest   announce flood   ratio   stream flood   ratio')
  console.log(
    `RSS (peak)          ${mib(rest.rss).padStart(12)} ${mib(afterAnnounces.rss).padStart(16)} ${ratio(afterAnnounces.rss, rest.rss).padStart(7)} ${mib(streamRss).padStart(14)} ${ratio(streamRss, rest.rss).padStart(7)}`,
  )
  console.log(
    `store size          ${mib(rest.store).padStart(12)} ${mib(afterAnnounces.store).padStart(16)} ${ratio(afterAnnounces.store, rest.store).padStart(7)}`,
  )
  console.log(
    `jobs                ${String(rest.jobs).padStart(12)} ${String(afterAnnounces.jobs).padStart(16)}`,
  )
  console.log(
    `status latency (med)${ms(rest.latency).padStart(12)} ${ms(afterAnnounces.latency).padStart(16)} ${ratio(afterAnnounces.latency, rest.latency).padStart(7)} ${ms(median(underStreams)).padStart(14)} ${ratio(median(underStreams), rest.latency).padStart(7)}`,
  )
  console.log(
    `status latency (max)${''.padStart(12)} ${''.padStart(16)} ${''.padStart(7)} ${ms(Math.max(...underStreams)).padStart(14)}`,
  )
}

async function bareHost(): Promise<Host> {
  const host = await createHost({
    privateKey: await generateKey(),
    listen,
    bootstrap: [],
    mdns: false,
    heartbeatMs: 200,
  })
  await host.start()
  return host
}

/** Resident memory of a process, from /proc (Linux). */
function rssOf(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))
  return Number(line?.match(/\d+/)?.[0] ?? 0) * 1024
}

/** The database and its write-ahead log. */
function storeBytes(dataDir: string): number {
  let bytes = 0
  for (const file of ['store.db', 'store.db-wal']) {
    try {
      bytes += statSync(join(dataDir, file)).size
    } catch {
      // No log yet.
    }
  }
  return bytes
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

function poll(check: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      void Promise.resolve(check()).then((done) => {
        if (!done) return
        clearInterval(timer)
        resolve()
      })
    }, everyMs)
  })
}

function calibrate(): number {
  for (let n = 100_000; ; n *= 2) {
    const begun = performance.now()
    spin(n)
    const elapsed = performance.now() - begun
    if (elapsed > 20) return Math.round(n / elapsed)
  }
}
