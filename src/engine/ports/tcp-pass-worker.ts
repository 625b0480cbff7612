/**
 * Worker-thread entry of a split port scan (scan-threads.ts): runs one share of the first pass with the same
 * pass() as the main thread and posts each port's outcome as a byte. 'abort' from the parent ends it early
 * with what it has.
 */
import {parentPort, workerData} from 'node:worker_threads'

import {AdaptiveTimeout} from './adaptive-timeout.js'
import {encodeOutcomes, type ShareRequest, type ShareResult} from './scan-threads.js'
import {type Outcome, pass} from './tcp-scan.js'

async function run(req: ShareRequest): Promise<void> {
  const controller = new AbortController()
  parentPort!.on('message', (m) => {
    if (m === 'abort') controller.abort()
  })
  const timeout = new AdaptiveTimeout(req.minTimeoutMs, req.maxTimeoutMs)
  const outcomes = new Map<number, Outcome>()
  const counters = {attempts: 0}
  // The first answer times (up to 64), so the parent's adaptive timeout learns this share's path too.
  const rtts: number[] = []
  const observe = timeout.observe.bind(timeout)
  timeout.observe = (ms: number) => {
    observe(ms)
    if (rtts.length < 64) rtts.push(ms)
  }
  await pass(req.ip, req.family, req.ports, {ports: req.ports, concurrency: req.concurrency, maxTimeoutMs: req.maxTimeoutMs, signal: controller.signal}, timeout, () => timeout.currentMs, (port, r) => outcomes.set(port, r), counters)
  const {codes, kinds} = encodeOutcomes(req.ports, outcomes)
  const result: ShareResult = {codes, kinds, attempts: counters.attempts, rtts}
  parentPort!.postMessage(result, [codes.buffer as ArrayBuffer])
  parentPort!.close()
}

if (parentPort && workerData) void run(workerData as ShareRequest)
