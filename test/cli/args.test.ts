/** The argument pre-pass: programs that start with '-' are programs, unknown flags stay flags. */
import { describe, expect, it } from 'vitest'
import { normalizeArgv } from '../../src/cli/args.js'
import { cliJson, cli, expectBadInput } from './helpers.js'

const commands = new Set(['eval', 'grad'])

describe('normalizeArgv', () => {
  it('moves programs that start with a minus sign behind --', () => {
    expect(normalizeArgv(['eval', '-x^2', '--at', 'x=3'], commands)).toEqual(['eval', '--at', 'x=3', '--', '-x^2'])
    expect(normalizeArgv(['eval', '-1'], commands)).toEqual(['eval', '--', '-1'])
  })

  it('leaves flag values alone, even negative ones', () => {
    expect(normalizeArgv(['eval', 'x', '--at', '-1', '--wrt', '-x'], commands)).toEqual(['eval', 'x', '--at', '-1', '--wrt', '-x'])
  })

  it('keeps unknown long flags for commander to report, unless nothing else is the program', () => {
    expect(normalizeArgv(['eval', 'x', '--jsn'], commands)).toEqual(['eval', 'x', '--jsn'])
    expect(normalizeArgv(['eval', '--x', '--at', 'x=1'], commands)).toEqual(['eval', '--at', 'x=1', '--', '--x'])
    expect(normalizeArgv(['eval', '-f', 'p.txt', '--jsn'], commands)).toEqual(['eval', '-f', 'p.txt', '--jsn'])
  })

  it('does not touch anything before a command, or after --', () => {
    expect(normalizeArgv(['-x'], commands)).toEqual(['-x'])
    expect(normalizeArgv(['eval', '--', '-x', '--at'], commands)).toEqual(['eval', '--', '-x', '--at'])
  })
})

describe('programs starting with a minus sign, end to end', () => {
  it('evaluate', () => {
    expect(cliJson(['eval', '--x', '--at', 'x=3'])).toEqual({ value: 3 })
    expect(cliJson(['grad', '-x*y', '--at', 'x=3,y=2'])).toEqual({ value: -6, gradient: { x: -2, y: -3 } })
    expect(cliJson(['eval', '-1'])).toEqual({ value: -1 })
  })

  it('a typo in a flag is still reported as an unknown option', () => {
    expect(expectBadInput(cli(['eval', 'x', '--at', 'x=1', '--jsn']))).toContain("unknown option '--jsn'")
  })
})
