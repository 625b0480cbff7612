import {describe, expect, it} from 'vitest'

import {Semaphore} from '../../src/engine/semaphore.js'

describe('Semaphore', () => {
  it('never lets more than its limit through and wakes waiters in order', async () => {
    const sem = new Semaphore(2)
    let active = 0
    let peak = 0
    const order: number[] = []
    await Promise.all(
      Array.from({length: 6}, async (_, i) => {
        const release = await sem.acquire()
        active++
        peak = Math.max(peak, active)
        await new Promise((r) => setTimeout(r, 5))
        order.push(i)
        active--
        release()
      }),
    )
    expect(peak).toBe(2)
    expect(order).toHaveLength(6)
  })

  it('rejects a waiter whose signal aborts', async () => {
    const sem = new Semaphore(1)
    const release = await sem.acquire()
    const controller = new AbortController()
    const waiting = sem.acquire(controller.signal)
    controller.abort(new Error('budget'))
    await expect(waiting).rejects.toThrow('budget')
    release()
    const again = await sem.acquire()
    again()
  })
})
