import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { FolderNotEmptyError } from '../errors.ts'

/**
 * Writes a new workload package into `dir`: a package.json, an entry with no dependencies
 * that `p2pc run-local` runs as it is, and a README. It refuses a folder that holds anything.
 *
 * @returns the files written, relative to `dir`
 */
export async function scaffoldWorkload(dir: string): Promise<string[]> {
  const folder = resolve(dir)
  const existing = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return []
    if (err.code === 'ENOTDIR') throw new FolderNotEmptyError(`${dir} exists and is not a folder`)
    throw err
  })
  if (existing.length > 0) {
    throw new FolderNotEmptyError(`${dir} is not empty: p2pc init writes only into a new or empty folder`)
  }
  const name = packageName(basename(folder))
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: 'A p2pc workload: sums the squares of 1..n in chunks.',
        type: 'module',
        private: true,
        p2pc: { entry: 'index.js' },
      },
      null,
      2,
    )}\n`,
    'index.js': ENTRY,
    'README.md': readme(name),
  }
  await mkdir(folder, { recursive: true })
  for (const [file, text] of Object.entries(files)) {
    await writeFile(join(folder, file), text, { flag: 'wx' })
  }
  return Object.keys(files)
}

function packageName(folderName: string): string {
  const cleaned = folderName
    .toLowerCase()
    .replace(/[^a-z0-9-._~]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '')
  return cleaned === '' ? 'my-workload' : cleaned
}

function readme(name: string): string {
  return `# ${name}

A p2pc workload package. Run it on this machine:

    p2pc run-local . --params '{"n": 1000000}'

Edit \`index.js\`: \`plan\` splits the job into tasks, \`run\` computes one task (a pure
function of its input), \`reduce\` combines the outputs.
`
}

const ENTRY = `// A p2pc workload: the sum of the squares of 1..n, computed in chunks.
// The default export is a plain object, so this package needs no dependencies.
export default {
  // JSON Schemas: p2pc checks params, task inputs and outputs against them.
  params: {
    type: 'object',
    properties: {
      n: { type: 'integer', minimum: 1, maximum: 100000000, default: 1000000 },
      chunk: { type: 'integer', minimum: 1, default: 100000 },
    },
    additionalProperties: false,
  },
  input: {
    type: 'object',
    properties: { from: { type: 'integer' }, to: { type: 'integer' } },
    required: ['from', 'to'],
  },
  output: { type: 'string', pattern: '^[0-9]+$' },

  // Publisher: one task per chunk of [1, n].
  *plan({ n = 1000000, chunk = 100000 }) {
    for (let from = 1; from <= n; from += chunk) {
      yield { from, to: Math.min(n, from + chunk - 1) }
    }
  },

  // Contributor: must be a pure function of its input. BigInt keeps the sum exact.
  run({ from, to }, ctx) {
    let sum = 0n
    for (let i = from; i <= to; i++) {
      sum += BigInt(i) * BigInt(i)
      if (i % 65536 === 0) ctx.progress((i - from) / (to - from + 1))
    }
    return sum.toString()
  },

  // Reader: outputs arrive in task order.
  reduce(results, params) {
    const total = results.reduce((sum, { output }) => sum + BigInt(output), 0n)
    return { n: params.n, sumOfSquares: total.toString() }
  },
}
`
