import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parseCid } from '@p2pc/protocol'
import { writeFileAtomic, type BlobStore } from '@p2pc/store'
import { BUNDLE_RETRY_MS, FETCHES_IN_FLIGHT } from './constants.ts'
import { PeerNotStartedError } from './errors.ts'
import { fetchBlob } from './fetch-protocol.ts'
import type { Host } from './host.ts'

/** Options of {@link BlobSource}. */
export interface BlobSourceInit {
  blobs: BlobStore
  /** Where workload bundles are kept as files, for the pools to import. */
  bundleDir: string
  /** The host online now, if any: blobs this peer lacks are fetched from its peers. */
  host(): Host | undefined
  /** Whether the peer is stopping: a bundle asked for again gives up then. */
  stopping(): boolean
}

/** Blobs and workload bundles: from the store, else fetched from connected peers and kept. */
export class BlobSource {
  private readonly init: BlobSourceInit
  private readonly bundles = new Map<string, Promise<string>>()
  /** Fetches under way, and those waiting for one of them to end: peers serve a few streams each at once. */
  private inFlight = 0
  private readonly waiting: Array<() => void> = []

  constructor(init: BlobSourceInit) {
    this.init = init
  }

  /** Records where a bundle this peer made itself is, so it is never fetched. */
  remember(cid: string, path: string): void {
    this.bundles.set(cid, Promise.resolve(path))
  }

  /** A blob from the store, else from connected peers (checked, then stored, so this peer serves it on). */
  async blob(cid: string): Promise<Uint8Array> {
    const local = await this.init.blobs.get(cid)
    if (local !== undefined) return local
    const host = this.init.host()
    if (host === undefined) throw new PeerNotStartedError()
    const bytes = await this.inTurn(() => fetchBlob(host, host.getPeers(), cid))
    await this.init.blobs.put(bytes, parseCid(cid).code)
    return bytes
  }

  /**
   * Runs a fetch once fewer than {@link FETCHES_IN_FLIGHT} are under way: a job with many batches
   * by CID asks for all their inputs at once, and a peer resets fetch streams beyond its limit.
   */
  private async inTurn<T>(fetch: () => Promise<T>): Promise<T> {
    while (this.inFlight >= FETCHES_IN_FLIGHT)
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.inFlight++
    try {
      return await fetch()
    } finally {
      this.inFlight--
      this.waiting.shift()?.()
    }
  }

  /** The path of a workload bundle, fetched from peers if this peer has none. */
  bundle(cid: string): Promise<string> {
    let path = this.bundles.get(cid)
    if (path === undefined) {
      path = (async () => {
        const file = join(this.init.bundleDir, `${cid}.mjs`)
        if ((await stat(file).catch(() => undefined))?.isFile() === true) return file
        const bytes = await this.blob(cid)
        await mkdir(this.init.bundleDir, { recursive: true })
        await writeFileAtomic(file, bytes)
        return file
      })()
      path.catch(() => this.bundles.delete(cid))
      this.bundles.set(cid, path)
    }
    return path
  }

  /**
   * The bundle, asked for again until `deadline` (a lease's end): the peers that have it may be
   * away for a moment (the publisher often leaves right after announcing).
   */
  async bundleBefore(cid: string, deadline: number): Promise<string> {
    for (;;) {
      try {
        return await this.bundle(cid)
      } catch (err) {
        if (this.init.stopping() || Date.now() + BUNDLE_RETRY_MS >= deadline) throw err
        await new Promise((resolve) => setTimeout(resolve, BUNDLE_RETRY_MS))
      }
    }
  }
}
