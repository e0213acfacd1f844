// A small tmpfs for tests of a full disk. Mounting needs root (CAP_SYS_ADMIN): where it is
// impossible, `smallDiskUnavailable` says why, and the tests that need one are skipped.
import { execFile, execFileSync } from 'node:child_process'
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ExecutionContext } from 'ava'

const run = promisify(execFile)

/** A mounted tmpfs the test can fill up and free again. */
export interface SmallDisk {
  /** The folder the tmpfs is mounted on. */
  dir: string
  /** Writes a filler file until the disk refuses another byte (ENOSPC). */
  fill(): Promise<void>
  /** Removes the filler file. */
  free(): Promise<void>
}

async function mountTmpfs(dir: string, sizeKiB: number): Promise<void> {
  await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir])
}

async function unmount(dir: string): Promise<void> {
  // A process killed a moment ago may still hold files open: then detach it now, freed when they close.
  await run('umount', [dir]).catch(() => run('umount', ['-l', dir]))
}

async function probe(): Promise<string | undefined> {
  if (process.platform !== 'linux') return `tmpfs mounts need Linux, and this is ${process.platform}`
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root, and the tests do not run as root'
  const dir = await mkdtemp(join(tmpdir(), 'p2pc-probe-'))
  try {
    await mountTmpfs(dir, 64)
    await unmount(dir)
    return undefined
  } catch (err) {
    return `mount -t tmpfs failed: ${((err as { stderr?: string }).stderr ?? String(err)).trim()}`
  } finally {
    await rmdir(dir).catch(() => {})
  }
}

/** Why no tmpfs can be mounted here, or undefined when one can (tried once, on a throwaway mount). */
export const smallDiskUnavailable: string | undefined = await probe()

/** Mounts that are still up: a test that timed out ends its process without its teardowns. */
const mounted = new Set<string>()
process.once('exit', () => {
  for (const dir of mounted) {
    try {
      execFileSync('umount', ['-l', dir])
    } catch {
      // Gone already.
    }
  }
})

/** Mounts a tmpfs of `sizeKiB` on a fresh folder; unmounted and removed when the test ends. */
export async function smallDisk(t: ExecutionContext, sizeKiB: number): Promise<SmallDisk> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pc-disk-'))
  await mountTmpfs(dir, sizeKiB)
  mounted.add(dir)
  t.teardown(async () => {
    await unmount(dir)
    mounted.delete(dir)
    await rm(dir, { recursive: true, force: true })
  })
  const filler = join(dir, 'filler')
  return {
    dir,
    async fill() {
      const file = await open(filler, 'a')
      try {
        // Large writes first, then ever smaller ones, so that not one free block is left.
        for (const size of [64 * 1024, 4096, 512, 1]) {
          const chunk = Buffer.alloc(size, 1)
          for (;;) {
            try {
              await file.write(chunk)
            } catch (err) {
              if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break
              throw err
            }
          }
        }
      } finally {
        await file.close()
      }
    },
    free: () => rm(filler, { force: true }),
  }
}
