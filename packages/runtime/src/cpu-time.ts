/**
 * CPU time, read where the kernel publishes it: a process's own from /proc/<pid>/stat, and the
 * whole machine's from /proc/stat, with os.cpus() where there is no /proc (macOS, say).
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { cpus } from 'node:os'
import { promisify } from 'node:util'

/**
 * Milliseconds per clock tick in /proc. The kernel reports these fields in USER_HZ, which is 100
 * on every Linux architecture Node.js runs on; reading it with sysconf(_SC_CLK_TCK) would take a
 * native addon.
 */
const MS_PER_TICK = 10

/** CPU time of the whole machine in ms, summed over its CPUs: time spent busy and in all. */
export interface SystemCpuTime {
  busyMs: number
  totalMs: number
}

/**
 * CPU time in ms a process has used so far, every thread counted (user and system), from /proc
 * or else from `ps`; undefined when neither can tell or the process is gone.
 */
export async function processCpuTimeMs(pid: number): Promise<number | undefined> {
  let text: string
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8')
  } catch {
    return psCpuTimeMs(pid)
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  const utime = Number(fields[11])
  const stime = Number(fields[12])
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) * MS_PER_TICK : undefined
}

/** The machine's CPU time so far, from /proc/stat or else os.cpus(). */
export async function systemCpuTime(): Promise<SystemCpuTime> {
  try {
    const text = await readFile('/proc/stat', 'utf8')
    const line = text.slice(0, text.indexOf('\n'))
    // cpu user nice system idle iowait irq softirq steal (guest time is already counted in user).
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line
      .split(/\s+/)
      .slice(1, 9)
      .map((field) => Number(field) || 0) as number[] & { length: 8 }
    const busy = user! + nice! + system! + irq! + softirq! + steal!
    return { busyMs: busy * MS_PER_TICK, totalMs: (busy + idle! + iowait!) * MS_PER_TICK }
  } catch {
    let busyMs = 0
    let totalMs = 0
    for (const { times } of cpus()) {
      const busy = times.user + times.nice + times.sys + times.irq
      busyMs += busy
      totalMs += busy + times.idle
    }
    return { busyMs, totalMs }
  }
}

/**
 * CPU time of a process as `ps` prints it, `[[dd-]hh:]mm:ss[.ss]`: the way to read it on a
 * system without /proc, such as macOS, where it has hundredths of a second.
 */
async function psCpuTimeMs(pid: number): Promise<number | undefined> {
  if (process.platform === 'win32') return undefined
  try {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'time=', '-p', String(pid)])
    const match = /^\s*(?:(?:(\d+)-)?(\d+):)?(\d+):(\d+(?:\.\d+)?)\s*$/.exec(stdout)
    if (match === null) return undefined
    const [, days = '0', hours = '0', minutes, seconds] = match
    return Math.round(
      (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000,
    )
  } catch {
    return undefined
  }
}
