import type { Market } from '@p2pc/market'
import type { JobAnnounce, Json } from '@p2pc/protocol'
import {
  compileWorkloadSchemas,
  createSandboxedTaskPool,
  createTaskPool,
  loadWorkload,
  reduceFailure,
  reduceHere,
  type TaskPool,
} from '@p2pc/runtime'
import type { Workload } from '@p2pc/sdk'

/** What {@link JobCode} needs of its peer. */
export interface JobCodeInit {
  /** This peer's id: whose jobs are its own. */
  self(): string
  /** The path of a bundle, fetched if need be. */
  bundle(cid: string): Promise<string>
  /** The contributor's pool, if this peer contributes. */
  pool(): TaskPool | undefined
  /** How a pool of this peer's own is made, when it has none. */
  readerPool: { sandbox: boolean; bundleDir: string; taskTimeoutMs?: number; memoryMb?: number }
}

/** One task's validated output, as `reduce` takes it. */
export type ReduceInput = Array<{ index: number; input: unknown; output: unknown }>

/** The failed tasks, as `reduce` takes them. */
export type ReduceFailed = Array<{ index: number; input: unknown; reason: string }>

/**
 * Where a job's bundle runs for this peer. Its own jobs' bundle is its own code and runs here:
 * `reduce`, and the `equals` and output schema it judges outputs by. A stranger's bundle is
 * never imported into this process: it is reduced in a pool (the sandbox, unless told otherwise),
 * the contributor's or a one-thread pool of this peer's own.
 */
export class JobCode {
  private readonly init: JobCodeInit
  private readonly workloads = new Map<string, Promise<Workload>>()
  private readerPool: TaskPool | undefined

  constructor(init: JobCodeInit) {
    this.init = init
  }

  /**
   * On this peer's own job, hands the market the workload's `equals` and output schema, then
   * calls `done`. The market seals the job's tasks once it has the schema; a bundle that cannot be
   * loaded leaves it comparing bytes, with no schema.
   */
  judge(
    announce: JobAnnounce,
    jobId: string,
    market: Pick<Market, 'setEquals' | 'setOutputCheck'>,
    done: () => void,
  ): void {
    if (announce.publisher !== this.init.self()) return
    void this.ownWorkload(announce.workload.cid)
      .then((workload) => {
        const schemas = compileWorkloadSchemas(workload)
        // `equals` first: the output check is what lets the market seal.
        market.setEquals(jobId, workload.equals?.bind(workload))
        market.setOutputCheck(jobId, (output: Json) => {
          try {
            schemas.output(output, 0)
            return true
          } catch {
            return false
          }
        })
      })
      .catch(() => market.setOutputCheck(jobId, undefined))
      .finally(done)
  }

  /**
   * A job's aggregate: this peer's own workload reduces here, a stranger's only in a pool.
   *
   * @throws ReduceFailedError naming the workload when its reduce fails, on either path
   */
  async reduce(announce: JobAnnounce, results: ReduceInput, failed: ReduceFailed): Promise<unknown> {
    const { cid, name } = announce.workload
    if (announce.publisher === this.init.self()) {
      return reduceHere(await this.ownWorkload(cid), name, results as never, announce.params, failed)
    }
    const bundle = await this.init.bundle(cid)
    try {
      return await this.pool().evaluate(bundle, { fn: 'reduce', results, params: announce.params, failed })
    } catch (err) {
      throw reduceFailure(name, err)
    }
  }

  /**
   * Runs one task of this peer's own job (a spot check) in a pool, the contributor's or one of
   * this peer's own, like any task: its own code, but a long run must not hold up the peer.
   */
  async runOwn(
    announce: JobAnnounce,
    input: Json,
    options: { signal?: AbortSignal; onRunTime?(ms: number): void } = {},
  ): Promise<unknown> {
    if (announce.publisher !== this.init.self()) {
      throw new Error("a spot check runs on the job's publisher only")
    }
    const bundle = await this.init.bundle(announce.workload.cid)
    return this.pool().run({ bundle, input }, options)
  }

  /** Stops the pool this peer started for itself, if it did. */
  async stop(): Promise<void> {
    const pool = this.readerPool
    this.readerPool = undefined
    await pool?.stop()
  }

  /** The workload of one of this peer's own jobs, imported here: only ever this peer's own code. */
  private ownWorkload(cid: string): Promise<Workload> {
    let workload = this.workloads.get(cid)
    if (workload === undefined) {
      workload = this.init.bundle(cid).then(loadWorkload)
      workload.catch(() => this.workloads.delete(cid))
      this.workloads.set(cid, workload)
    }
    return workload
  }

  private pool(): TaskPool {
    const contributing = this.init.pool()
    if (contributing !== undefined) return contributing
    if (this.readerPool === undefined) {
      const { sandbox, bundleDir, taskTimeoutMs, memoryMb } = this.init.readerPool
      const init = { threads: 1, taskTimeoutMs, memoryMb }
      this.readerPool = sandbox ? createSandboxedTaskPool({ ...init, bundleDir }) : createTaskPool(init)
      this.readerPool.start()
    }
    return this.readerPool
  }
}
