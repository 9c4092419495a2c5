// The sleep provider: a pause, ended early by the signal (an interrupt).

import type { Action, ActionContext } from '../model.js'

type Sleep = Extract<Action, { kind: 'sleep' }>

export function run(a: Sleep, c: ActionContext): Promise<string> {
  return new Promise((done) => {
    const started = performance.now()
    const finish = () => {
      clearTimeout(t)
      c.signal.removeEventListener('abort', finish)
      done(c.signal.aborted ? `waited ${((performance.now() - started) / 1000).toFixed(2)} s (interrupted)` : `waited ${a.seconds} s`)
    }
    const t = setTimeout(finish, a.seconds * 1000)
    if (c.signal.aborted) return finish()
    c.signal.addEventListener('abort', finish, { once: true })
  })
}

export const plan = (a: Sleep): string => `wait ${a.seconds} s`
