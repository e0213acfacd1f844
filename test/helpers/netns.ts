// Running a command inside a network namespace, for the helpers that start real processes.
import { systemTool } from './system-tool.ts'

/**
 * The file and arguments that run `command ARGS` in network namespace `ns` (`ip netns exec`),
 * or outside any when `ns` is undefined. `ip netns exec` execs the command in its own place,
 * so the child's pid is the command's and killing the child kills the command.
 */
export function inNetns(ns: string | undefined, command: string, args: string[]): [string, string[]] {
  return ns === undefined ? [command, args] : [systemTool('ip'), ['netns', 'exec', ns, command, ...args]]
}
