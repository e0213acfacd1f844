import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import test from 'ava'
import { dataDir } from '../../src/lib/data-dir.ts'

function withEnv(env: Record<string, string | undefined>, fn: () => void): void {
  const saved = { P2PC_HOME: process.env.P2PC_HOME, XDG_DATA_HOME: process.env.XDG_DATA_HOME }
  Object.assign(process.env, env)
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key]
  try {
    fn()
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

test.serial('the flag wins, then $P2PC_HOME, then the XDG data dir, then ~/.local/share', (t) => {
  withEnv({ P2PC_HOME: '/srv/p2pc', XDG_DATA_HOME: '/xdg' }, () => {
    t.is(dataDir('here'), resolve('here'))
    t.is(dataDir(), '/srv/p2pc')
  })
  withEnv({ P2PC_HOME: undefined, XDG_DATA_HOME: '/xdg' }, () => t.is(dataDir(), '/xdg/p2pc'))
  withEnv({ P2PC_HOME: '', XDG_DATA_HOME: undefined }, () =>
    t.is(dataDir(), join(homedir(), '.local', 'share', 'p2pc')),
  )
})
