import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ExecutionContext } from 'ava'
import type { ConnectionStatus, RelayStatus } from '@p2pc/node'
import { p2pc } from './cli.ts'
import { spawnP2pc, TEST_PRIORITY, type RunningP2pc } from './cli-process.ts'
import type { NatLab, NatLabHome } from './nat-lab.ts'
import { temporaryDir, workloadDir } from './paths.ts'

/** The relay's TCP port, on the lab's public host. */
export const RELAY_PORT = 4001

/** A swarm across a NAT lab: a relay on the WAN, a publisher's node in home 1, a contributor in each other home. */
export interface LabSwarm {
  relay: RunningP2pc
  relayDir: string
  relayAddress: string
  publisher: RunningP2pc
  publisherDir: string
  contributors: RunningP2pc[]
  contributorDirs: string[]
}

/** `p2pc node --relay` on the lab's public host, on a fixed port, so that it can be restarted at the same address. */
export function startRelay(t: ExecutionContext, lab: NatLab, dataDir: string): Promise<RunningP2pc> {
  const listen = `/ip4/${lab.relay.ip}/tcp/${RELAY_PORT}`
  return spawnP2pc(t, ['node', '--relay', '--listen', listen, '--no-mdns', '--data-dir', dataDir], {
    netns: lab.relay.ns,
  })
}

/** The flags of a peer in a home that knows only the relay. */
export function homeFlags(lab: NatLab, relayAddress: string): string[] {
  return ['--listen', '/ip4/0.0.0.0/tcp/0', '--bootstrap', relayAddress, '--stun', lab.stunUrl, '--no-mdns']
}

/**
 * A one-thread `p2pc contribute` in `home` that trusts `publisher`; it joins through `relayAddress`,
 * or, without one, through no one but its address book.
 */
export function startHomeContributor(
  t: ExecutionContext,
  lab: NatLab,
  home: NatLabHome,
  dataDir: string,
  publisher: string,
  relayAddress?: string,
): Promise<RunningP2pc> {
  const network =
    relayAddress === undefined
      ? ['--listen', '/ip4/0.0.0.0/tcp/0', '--stun', lab.stunUrl, '--no-mdns']
      : homeFlags(lab, relayAddress)
  const args = [
    'contribute',
    ...TEST_PRIORITY,
    ...network,
    '--trust',
    publisher,
    '--threads',
    '1',
    '--data-dir',
    dataDir,
  ]
  return spawnP2pc(t, args, { netns: home.ns })
}

/** Starts the relay, the publisher's node in home 1, and a one-thread contributor trusting it in every other home. */
export async function startLabSwarm(t: ExecutionContext, lab: NatLab): Promise<LabSwarm> {
  const root = await temporaryDir(t)
  const relayDir = join(root, 'relay')
  const relay = await startRelay(t, lab, relayDir)
  const relayAddress = `/ip4/${lab.relay.ip}/tcp/${RELAY_PORT}/p2p/${relay.peerId}`
  const publisherDir = join(root, 'publisher')
  const [home1, ...others] = lab.homes
  const publisher = await spawnP2pc(
    t,
    ['node', ...homeFlags(lab, relayAddress), '--data-dir', publisherDir],
    {
      netns: home1!.ns,
    },
  )
  const contributorDirs = others.map((_, i) => join(root, `contributor-${i + 2}`))
  const contributors = []
  for (const [i, home] of others.entries()) {
    const args = [
      'contribute',
      ...TEST_PRIORITY,
      ...homeFlags(lab, relayAddress),
      '--trust',
      publisher.peerId,
      '--threads',
      '1',
    ]
    contributors.push(await spawnP2pc(t, [...args, '--data-dir', contributorDirs[i]!], { netns: home.ns }))
  }
  return { relay, relayDir, relayAddress, publisher, publisherDir, contributors, contributorDirs }
}

export const PRIMES_PARAMS = '{"upTo": 400000, "chunk": 20000}'

/** A job that takes two one-thread contributors a few seconds. */
export const LONGER_PRIMES_PARAMS = '{"upTo": 3000000000, "chunk": 30000000}'

/** Publishes the primes workload, quorum 2, through the node running on `dataDir`; returns the job id. */
export async function publishPrimes(
  dataDir: string,
  extra: string[] = [],
  params = PRIMES_PARAMS,
): Promise<string> {
  const args = ['publish', workloadDir('primes'), '--params', params, '--quorum', '2', ...extra]
  const published = await p2pc([...args, '--data-dir', dataDir, '--json'])
  if (published.code !== 0) throw new Error(`publish failed: ${published.stderr}`)
  return (JSON.parse(published.stdout) as { jobId: string }).jobId
}

/** The open connections of the peer running on `dataDir`, read through `p2pc status --json`. */
export async function connectionsOf(dataDir: string): Promise<ConnectionStatus[]> {
  const status = await p2pc(['status', '--json', '--data-dir', dataDir])
  if (status.code !== 0) throw new Error(`status failed: ${status.stderr}`)
  return (JSON.parse(status.stdout) as { connections: ConnectionStatus[] }).connections
}

/** What the relay running on `dataDir` shares out, read through `p2pc status --json`. */
export async function relayStatusOf(dataDir: string): Promise<RelayStatus | undefined> {
  const status = await p2pc(['status', '--json', '--data-dir', dataDir])
  if (status.code !== 0) throw new Error(`status failed: ${status.stderr}`)
  return (JSON.parse(status.stdout) as { relay?: RelayStatus }).relay
}

/** Polls `check` every half second until it holds; throws `what` after `timeoutMs`. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(500)) {
    if (await check()) return
  }
  throw new Error(`timed out waiting for ${what}`)
}
