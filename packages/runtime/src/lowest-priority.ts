import { setPriority } from 'node:os'
import { LOWEST_PRIORITY } from './constants.ts'

/**
 * Gives a process the lowest scheduling priority (nice 19), so that the owner's programs always
 * come first. On Linux a nice value is per thread and new threads inherit their creator's, so
 * this is called as soon as the sandbox process exists, before it starts its workers.
 */
export function lowerPriority(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    setPriority(pid, LOWEST_PRIORITY)
  } catch {
    // EPERM or EACCES (a system that forbids it, Windows without the right): the process runs
    // at normal priority, still held back by the rest of the governor.
  }
}
