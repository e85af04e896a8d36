import { describe, expect, it } from '@jest/globals'
import iconv from 'iconv-lite'
import { decodeFileText, encodeFileText } from '../src/file-text.js'

const roundTrips = (bytes: Buffer): void => {
  const decoded = decodeFileText(bytes)
  if (!decoded.ok) throw new Error(decoded.reason)
  const encoded = encodeFileText(decoded.text, decoded.encoding, decoded.text)
  if (!encoded.ok) throw new Error(encoded.reason)
  expect(encoded.bytes).toEqual(bytes)
}

describe('bytes that decode and encode back exactly are text to edit', () => {
  it('UTF-8, with or without a BOM, with CRLF or a missing final newline', () => {
    roundTrips(Buffer.from('x = "é"\n', 'utf8'))
    roundTrips(Buffer.from('\uFEFFx = 1\r\ny = 2', 'utf8'))
    expect(decodeFileText(Buffer.from('\uFEFFx', 'utf8'))).toEqual({ ok: true, text: '\uFEFFx', encoding: 'utf-8' })
  })

  it('the encoding a PEP 263 coding line declares, on line 1 or line 2', () => {
    const latin1 = Buffer.from('# -*- coding: latin-1 -*-\ns = "é"\n', 'latin1')
    expect(decodeFileText(latin1)).toMatchObject({ ok: true, text: '# -*- coding: latin-1 -*-\ns = "é"\n', encoding: 'latin-1' })
    roundTrips(latin1)
    roundTrips(iconv.encode('#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :\ns = "€"\n', 'iso-8859-15'))
    roundTrips(iconv.encode('# coding=cp1252\ns = "€ — ok"\n', 'cp1252'))
    roundTrips(iconv.encode('# -*- coding: shift_jis -*-\ns = "日本語"\n', 'shift_jis'))
  })

  it('a pure-ASCII file that declares Latin-1 is written in Latin-1 when an edit adds a non-ASCII character', () => {
    const decoded = decodeFileText(Buffer.from('# coding: latin-1\ns = "a"\n'))
    expect(decoded).toMatchObject({ ok: true, encoding: 'latin-1' })
    expect(encodeFileText('# coding: latin-1\ns = "é"\n', 'latin-1')).toEqual({
      ok: true,
      bytes: Buffer.from('# coding: latin-1\ns = "é"\n', 'latin1')
    })
  })

  it('UTF-16 with a byte order mark', () => {
    roundTrips(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x = "é"\n', 'utf16le')]))
  })
})

describe('bytes that would not come back exactly are refused, with a reason', () => {
  it.each([
    ['Latin-1 without a coding line', Buffer.from('s = "é"\n', 'latin1'), /not valid UTF-8 and declares no other encoding/],
    [
      'a coding line that says UTF-8 over Latin-1 bytes',
      Buffer.from('# coding: utf-8\ns = "é"\n', 'latin1'),
      /not valid UTF-8, although its coding line says UTF-8/
    ],
    [
      'an encoding nobody knows',
      Buffer.from('# coding: klingon\ns = 1\n'),
      /declares 'klingon', an encoding pytest-fixer cannot write back/
    ],
    [
      'bytes invalid in the declared encoding',
      Buffer.from([...Buffer.from('# coding: shift_jis\ns = "'), 0x81, 0x20, 0x22, 0x0a]),
      /not valid shift_jis, as its coding line declares/
    ],
    ['a binary file', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x00]), /binary file/]
  ])('%s', (_label, bytes, reason) => {
    const decoded = decodeFileText(bytes)
    expect(decoded.ok).toBe(false)
    if (!decoded.ok) expect(decoded.reason).toMatch(reason)
  })

  it('text the encoding cannot hold: the characters named', () => {
    const encoded = encodeFileText('s = "€ and Ω"\n', 'latin-1')
    expect(encoded.ok).toBe(false)
    if (!encoded.ok) expect(encoded.reason).toMatch(/'€' \(U\+20AC\), 'Ω' \(U\+03A9\), which latin-1 cannot hold/)
    expect(encodeFileText('s = "\uD800"\n', 'utf-8').ok).toBe(false) // a lone surrogate has no UTF-8 bytes
  })
})
