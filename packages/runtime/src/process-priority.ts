import { setPriority } from 'node:os'

/**
 * Gives a process a lower scheduling priority (a nice value from 1 to 19), so that the owner's
 * programs come first. On Linux a nice value is per thread and new threads inherit their
 * creator's, so this is called as soon as the sandbox process exists, before it starts its
 * workers. Nice 0 leaves the process as it was started.
 */
export function lowerPriority(pid: number | undefined, nice: number): void {
  if (pid === undefined || nice <= 0) return
  try {
    setPriority(pid, nice)
  } catch {
    // EPERM or EACCES (a system that forbids it, Windows without the right): the process runs
    // at normal priority, still held back by the rest of the governor.
  }
}
