/**
 * A watchdog that ends a stopped sandbox process when the process that started it dies.
 *
 * A sandbox that runs notices its parent go: its IPC channel closes and it exits (sandbox-main.ts).
 * A sandbox the governor stopped (SIGSTOP) runs no code at all, so it cannot notice anything; if
 * the contributor is killed with SIGKILL at that moment, nothing of its own can clean up, and the
 * sandbox would stay stopped for ever. Only a signal from outside ends a stopped process, and
 * SIGKILL does even then. So before the sandbox is first stopped, the parent starts a watchdog
 * beside it: a shell that blocks reading a pipe whose only writing end the parent holds (Node
 * opens every descriptor close-on-exec, so the sandbox has none of it). When the parent dies,
 * however it dies, the kernel closes that end, the read sees end of file, and the watchdog sends
 * the sandbox SIGKILL. The governor stops only the sandbox, never the watchdog.
 *
 * Why not the alternatives:
 * - `prctl(PR_SET_PDEATHSIG)` is Linux only and Node has no binding for it without a native
 *   addon; `setpriv --pdeathsig` is not on every system, and the signal follows the death of the
 *   parent's thread that forked, not of the process.
 * - The kernel hangs up and continues the stopped members of a process group that becomes
 *   orphaned, but whether the sandbox's group becomes orphaned depends on how the contributor was
 *   started (a shell with job control, a script, setsid, a service manager): with setsid, or in
 *   its parent's group under a script, it does not, and the sandbox stayed stopped.
 *
 * `/bin/sh` with its `read` and `kill` built in exists on Linux and macOS and costs about a
 * megabyte. It ignores SIGHUP and SIGINT, which a terminal sends to the whole process group: a
 * Ctrl-C is the contributor's to handle (it drains), and a hang-up that kills the contributor is
 * exactly when the watchdog must stay. If the shell cannot start, the sandbox goes without one,
 * as before: ended when the parent exits normally, left stopped if it is killed. Windows has no
 * SIGSTOP, and the governor never stops a sandbox there.
 *
 * Process ids can be reused: the parent dismisses the watchdog (SIGKILL, to its own child) as
 * soon as the sandbox has ended, so it never kills an id that no longer names the sandbox, except
 * if the parent dies in the instant between the two.
 */
import { spawn, type ChildProcess } from 'node:child_process'

/** Blocks until the pipe from the parent reaches end of file, then kills the process `$1`. */
const SCRIPT = `trap '' HUP INT; while read -r _; do :; done; kill -s KILL "$1" 2>/dev/null`

export class SandboxWatchdog {
  private child: ChildProcess | undefined

  /** Starts a watchdog for the process `pid`, which must be a child of this process. */
  constructor(pid: number) {
    let child: ChildProcess
    try {
      child = spawn('/bin/sh', ['-c', SCRIPT, 'p2pc-sandbox-watchdog', String(pid)], {
        stdio: ['pipe', 'ignore', 'ignore'],
        env: {},
      })
    } catch {
      return
    }
    // No shell (ENOENT) is reported here, not thrown: the sandbox goes without a watchdog.
    child.on('error', () => (this.child = undefined))
    child.on('exit', () => (this.child = undefined))
    // EPIPE if the watchdog died: there is nothing to tell it any more.
    child.stdin?.on('error', () => {})
    // Neither the watchdog nor its pipe keeps this process alive.
    child.unref()
    ;(child.stdin as { unref?: () => void } | null)?.unref?.()
    this.child = child
  }

  /** The sandbox has ended or is being killed: the watchdog leaves without a word. Safe to call twice. */
  dismiss(): void {
    this.child?.kill('SIGKILL')
    this.child = undefined
  }
}
