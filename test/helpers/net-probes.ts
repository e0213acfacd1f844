// Small Node scripts (in net-probes/) that tests run inside a NAT lab's namespaces, on the Node
// running the tests, to see what the network lets through.
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import type { NatLab } from './nat-lab.ts'
import { repoRoot } from './paths.ts'

/** The probes; each one's file says what its arguments are and what it prints. */
export type ProbeName = 'tcp-listen' | 'tcp-connect' | 'udp-reflector' | 'udp-mapping' | 'stun-binding'

function probeArgs(name: ProbeName, args: (string | number)[]): string[] {
  return [join(repoRoot, 'test', 'helpers', 'net-probes', `${name}.ts`), ...args.map(String)]
}

/** Runs a probe to its end and resolves with what it printed; rejects when it fails. */
export async function runProbe(
  lab: NatLab,
  ns: string,
  name: ProbeName,
  args: (string | number)[],
): Promise<string> {
  const run = await lab.run(ns, process.execPath, probeArgs(name, args))
  if (run.code !== 0) throw new Error(`probe ${name} in ${ns} failed (${run.code}): ${run.stderr}`)
  return run.stdout.trim()
}

/** Starts a server probe and resolves once it printed that it listens; `stop()` of the lab ends it. */
export async function startProbe(
  lab: NatLab,
  ns: string,
  name: ProbeName,
  args: (string | number)[],
): Promise<ChildProcess> {
  const child = lab.spawn(ns, process.execPath, probeArgs(name, args), {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const [line] = (await Promise.race([
    once(createInterface({ input: child.stdout! }), 'line'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`probe ${name} in ${ns} ended (${code}) before it listened`)
    }),
  ])) as [string]
  if (line !== 'listening') throw new Error(`probe ${name} in ${ns} said ${line}`)
  return child
}
