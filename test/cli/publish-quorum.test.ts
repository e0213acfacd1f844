// `publish` warns when fewer peers work on its job than the quorum: --wait would never see a task validate.
// Real processes: one test at a time, since each warning comes from what peers did within a 10 s watch.
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { spawnP2pc, startCliSwarm } from '../helpers/cli-process.ts'
import { temporaryDir, workloadDir } from '../helpers/paths.ts'

const PARAMS = '{"upTo": 20000, "chunk": 1000}'
const LOOPBACK = ['--listen', '/ip4/127.0.0.1/tcp/0', '--no-mdns']

/** `p2pc publish workloads/primes` on `dataDir` (through the peer running there, if one does). */
function publish(dataDir: string, extra: string[] = []): ReturnType<typeof p2pc> {
  return p2pc(['publish', workloadDir('primes'), '--params', PARAMS, '--data-dir', dataDir, ...extra])
}

test.serial(
  'publish with no peer warns, in one line, that its quorum is out of reach and --wait would stall',
  async (t) => {
    const run = await publish(await temporaryDir(t), LOOPBACK)
    t.is(run.code, 0, run.stderr)
    t.regex(run.stdout, /^bafy\w+\n$/)
    const warnings = run.stderr.split('\n').filter((line) => line.includes('warning'))
    t.is(warnings.length, 1, run.stderr)
    t.regex(
      warnings[0]!,
      /^p2pc: warning: quorum of 2 out of reach: this peer is connected to no other peer, so no one works on the job; a task validates only once 2 distinct peers agree on it, so --wait would stay at 0\/20 until 2 more contributors trust 12D3\w+ \(`p2pc trust add 12D3\w+` on theirs\)$/,
    )
    // The peer publish started stops with it, and a default job needs it online.
    t.regex(run.stderr, /^p2pc: this peer stops now; the job needs it online to settle its tasks .*--wait$/m)
  },
)

test.serial(
  'a job of the plain vote in the open does not need its publisher: publish says nothing of leaving',
  async (t) => {
    const run = await publish(await temporaryDir(t), [
      ...LOOPBACK,
      '--verification',
      'strict',
      '--answers',
      'public',
    ])
    t.is(run.code, 0, run.stderr)
    t.regex(run.stderr, /quorum of 2 out of reach/)
    t.notRegex(run.stderr, /stops now/)
  },
)

test.serial(
  'publish through a contributor on its own data dir, alone: the publisher is its only worker',
  async (t) => {
    const dataDir = await temporaryDir(t)
    await spawnP2pc(t, ['contribute', '--data-dir', dataDir, '--threads', '1', ...LOOPBACK])
    const run = await publish(dataDir)
    t.is(run.code, 0, run.stderr)
    t.regex(
      run.stderr,
      /^p2pc: warning: quorum of 2 out of reach: this peer is connected to no other peer, and works on the job alone; .* until 1 more contributor trusts 12D3\w+ /m,
    )
  },
)

test.serial(
  'two contributors that trust the publisher: quorum 2 gives no warning, quorum 3 says two peers work on it',
  async (t) => {
    const { nodeDir } = await startCliSwarm(t, await temporaryDir(t), 2)
    // A first job that both must answer: once it is complete, both hear the publisher's jobs at
    // once, and the watch below judges what they do, not how long a loaded machine takes to meet.
    const warmUp = await publish(nodeDir, ['--quorum', '2', '--wait', '--json'])
    t.is(warmUp.code, 0, warmUp.stderr)
    // Waited for, so that both are idle again when the next job comes: a busy contributor claims
    // nothing new within the watch.
    const enough = await publish(nodeDir, ['--quorum', '2', '--wait', '--json'])
    t.is(enough.code, 0, enough.stderr)
    t.notRegex(enough.stderr, /warning/)
    // The plain vote: in an adaptive job, contributors with a record may validate tasks alone.
    const tooFew = await publish(nodeDir, ['--quorum', '3', '--verification', 'strict'])
    t.is(tooFew.code, 0, tooFew.stderr)
    t.regex(
      tooFew.stderr,
      /^p2pc: warning: quorum of 3 out of reach: 2 peers worked on the job in 10 s \(claims or results; \d+ connected\); .* --wait would stay at 0\/20 until 1 more contributor trusts /m,
    )
  },
)
