// A process's CPU time and children, read from /proc: the test's own measurement, apart from
// the runtime's, so that the governor is not checked by itself. Linux only.
import { readdirSync, readFileSync } from 'node:fs'

/** Whether this machine has the /proc files these helpers read. */
export const hasProc = process.platform === 'linux'

function statFields(pid: number, file = `/proc/${pid}/stat`): string[] {
  const text = readFileSync(file, 'utf8')
  // Fields from the third on (state, ppid, …): the second, the command name, may hold spaces.
  return text.slice(text.lastIndexOf(')') + 2).split(' ')
}

/** User and system CPU time of a process, every thread counted, in ms (USER_HZ is 100). */
export function cpuTimeMs(pid: number): number {
  const fields = statFields(pid)
  return (Number(fields[11]) + Number(fields[12])) * 10
}

/**
 * A process's state (`R`, `S`, `T` for stopped, `Z` for a zombie…) and its start time in clock
 * ticks since boot, which tells it apart from a later process given the same id; undefined once
 * it is gone.
 */
export function processState(pid: number): { state: string; startTime: string } | undefined {
  try {
    const fields = statFields(pid)
    return { state: fields[0]!, startTime: fields[19]! }
  } catch {
    return undefined
  }
}

/** The command line of a process, its arguments joined by spaces; '' once it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  } catch {
    return ''
  }
}

/** Each thread of a process: its id, its CPU time in ms and its nice value. */
export function threadsOf(pid: number): Array<{ tid: number; cpuMs: number; nice: number }> {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const fields = statFields(pid, `/proc/${pid}/task/${tid}/stat`)
    return {
      tid: Number(tid),
      cpuMs: (Number(fields[11]) + Number(fields[12])) * 10,
      nice: Number(fields[16]),
    }
  })
}

/** The ids of the live processes whose parent is `parent`. */
export function childPids(parent: number = process.pid): number[] {
  const children: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const fields = statFields(Number(name))
      if (Number(fields[1]) === parent && fields[0] !== 'Z') children.push(Number(name))
    } catch {
      // Gone between the listing and the read.
    }
  }
  return children
}

/** The machine's busy and total CPU time in ms, from /proc/stat. */
export function systemCpuMs(): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .split(/\s+/)
    .slice(1, 9)
    .map(Number) as [number, number, number, number, number, number, number, number]
  const busy = user + nice + system + irq + softirq + steal
  return { busy: busy * 10, total: (busy + idle + iowait) * 10 }
}
