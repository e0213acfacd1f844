import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import test from 'ava'
import { p2pc } from '../helpers/cli.ts'
import { repoRoot } from '../helpers/paths.ts'

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
  oclif: { topics?: Record<string, { description?: string }> }
}
const manifest = JSON.parse(await readFile(join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, { summary?: string }>
}

for (const topic of ['job', 'network', 'trust']) {
  test(`p2pc ${topic} --help describes the topic, not one of its commands`, async (t) => {
    const description = pkg.oclif.topics?.[topic]?.description
    t.truthy(description, `package.json's oclif.topics names ${topic}`)
    const help = await p2pc([topic, '--help'])
    t.is(help.code, 0, help.stderr)
    t.is(help.stdout.split('\n')[0], description)
    const summaries = Object.entries(manifest.commands)
      .filter(([id]) => id.startsWith(`${topic}:`))
      .map(([, command]) => command.summary)
    t.true(summaries.length > 0)
    t.false(summaries.includes(description), 'a summary of its own')
    const root = await p2pc(['--help'])
    t.regex(root.stdout.replace(/\s+/g, ' '), new RegExp(` ${topic} ${escape(description!)} `))
  })
}

test('p2pc help COMMAND prints what COMMAND --help does: every flag, with its choices', async (t) => {
  const help = await p2pc(['help', 'contribute'])
  t.is(help.code, 0, help.stderr)
  t.is(help.stdout, (await p2pc(['contribute', '--help'])).stdout)
  t.regex(help.stdout, /--priority=<option> .*\n(.*\n)*.*<options: lowest\|low\|normal>/)
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\`]/g, '\\$&')
}
