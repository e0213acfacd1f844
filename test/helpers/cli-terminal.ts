import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import type { ExecutionContext } from 'ava'
import { repoRoot } from './paths.ts'
import { findSystemTool } from './system-tool.ts'

/** A `p2pc` process on a pseudo-terminal: what a person at a terminal sees, and their keys. */
export interface TerminalP2pc {
  child: ChildProcess
  /** Everything written to the terminal so far, escape sequences and all. */
  screen(): string
  /** Resolves once what was written since `from` (an offset into screen()) matches; rejects if the process ends first. */
  waitFor(pattern: RegExp, from?: number, timeoutMs?: number): Promise<RegExpExecArray>
  /** Types keys, such as '\u0003' for Ctrl-C (the terminal turns it into SIGINT). */
  type(keys: string): void
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}

/** `script` (util-linux) gives a command a pseudo-terminal; undefined where there is none. */
export const scriptTool = findSystemTool('script')

/** Starts `p2pc ARGS` on a pseudo-terminal through `script`; it is killed when the test ends. */
export function terminalP2pc(t: ExecutionContext, args: string[]): TerminalP2pc {
  const quote = (arg: string): string => `'${arg.replaceAll("'", "'\\''")}'`
  const command = [process.execPath, join(repoRoot, 'bin', 'run.js'), ...args].map(quote).join(' ')
  // -e: script exits with the command's code; -f: it writes what it reads at once.
  const child = spawn(scriptTool ?? 'script', ['-qfec', command, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  t.teardown(() => {
    child.kill('SIGKILL')
  })
  let text = ''
  const waiters = new Set<() => void>()
  child.stdout!.setEncoding('utf8')
  child.stdout!.on('data', (chunk: string) => {
    text += chunk
    for (const check of waiters) check()
  })
  const exited = once(child, 'exit').then(([code]) => code as number | null)
  return {
    child,
    screen: () => text,
    waitFor: (pattern, from = 0, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`no ${pattern} on the terminal within ${timeoutMs} ms: ${text.slice(from)}`))
        }, timeoutMs)
        const check = (): void => {
          const match = pattern.exec(text.slice(from))
          if (match === null) return
          waiters.delete(check)
          clearTimeout(timer)
          resolve(match)
        }
        waiters.add(check)
        check()
        void exited.then(() => {
          if (!waiters.delete(check)) return
          clearTimeout(timer)
          reject(new Error(`p2pc ${args[0]} ended without ${pattern}: ${text.slice(from)}`))
        })
      }),
    type: (keys) => child.stdin!.write(keys),
    exited,
  }
}
