import test from 'ava'
import { csvField, formatTaskCsv } from '../../src/lib/format-csv.ts'

test('one CRLF-ended row per task under a header; outputs as JSON, empty until validated, and how each was verified', (t) => {
  const csv = formatTaskCsv([
    { index: 0, status: 'validated', output: 42, verified: 'quorum' },
    { index: 1, status: 'failed' },
    { index: 2, status: 'pending' },
    { index: 3, status: 'validated', output: null, verified: 'checked' },
    { index: 4, status: 'validated', output: 1, verified: 'single' },
  ])
  t.is(
    csv,
    'index,status,output,verified\r\n0,validated,42,quorum\r\n1,failed,,\r\n2,pending,,\r\n3,validated,null,checked\r\n4,validated,1,single\r\n',
  )
})

test('outputs with commas, quotes or line breaks are quoted and their quotes doubled', (t) => {
  const csv = formatTaskCsv([{ index: 7, status: 'validated', output: { a: 'x,"y"', b: [1, 2] } }])
  t.is(csv, 'index,status,output,verified\r\n7,validated,"{""a"":""x,\\""y\\"""",""b"":[1,2]}",\r\n')
  t.is(csvField('plain'), 'plain')
  t.is(csvField('two\nlines'), '"two\nlines"')
  t.is(csvField('cr\r'), '"cr\r"')
})
