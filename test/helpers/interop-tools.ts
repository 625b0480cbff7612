/**
 * External tools of the interop suites (real daemons and reference scanners) and the one rule for when one is
 * missing: the suite FAILS with a test that says what to install (the same Debian packages `.ci/run` installs),
 * unless the user opts out with SG17_SKIP_INTEROP=1 — then the suite is reported as skipped, and the summary line
 * (scripts/test-summary.cjs) counts it. A suite never disappears silently.
 *
 * Tools are looked up on PATH (plus the sbin directories, where Debian puts daemons for root only); an
 * environment variable per tool overrides the lookup with an explicit path.
 */
import {accessSync, constants, statSync} from 'node:fs'
import {delimiter, join} from 'node:path'

import {describe, it} from 'vitest'

export interface InteropTool {
  /** Executable name looked up on PATH. */
  binary: string
  /** Environment variable holding an explicit path (wins over PATH). */
  env: string
  /** Debian package that provides it (what `.ci/run` installs). */
  apt: string
}

export const TOOLS = {
  openssl: {binary: 'openssl', env: 'SG17_OPENSSL', apt: 'openssl'},
  testssl: {binary: 'testssl', env: 'SG17_TESTSSL', apt: 'testssl.sh'},
  nmap: {binary: 'nmap', env: 'SG17_NMAP', apt: 'nmap'},
  sslscan: {binary: 'sslscan', env: 'SG17_SSLSCAN', apt: 'sslscan'},
  sshd: {binary: 'sshd', env: 'SG17_SSHD', apt: 'openssh-server'},
  sshKeygen: {binary: 'ssh-keygen', env: 'SG17_SSH_KEYGEN', apt: 'openssh-client'},
  sshAudit: {binary: 'ssh-audit', env: 'SG17_SSH_AUDIT', apt: 'ssh-audit'},
  snmpd: {binary: 'snmpd', env: 'SG17_SNMPD', apt: 'snmpd'},
  onesixtyone: {binary: 'onesixtyone', env: 'SG17_ONESIXTYONE', apt: 'onesixtyone'},
  hydra: {binary: 'hydra', env: 'SG17_HYDRA', apt: 'hydra'},
  chromium: {binary: 'chromium', env: 'SG17SCAN_CHROMIUM', apt: 'chromium'},
  ntpd: {binary: 'ntpd', env: 'SG17_NTPD', apt: 'ntpsec'},
  ntpq: {binary: 'ntpq', env: 'SG17_NTPQ', apt: 'ntpsec'},
  unshare: {binary: 'unshare', env: 'SG17_UNSHARE', apt: 'util-linux'},
  miniupnpd: {binary: 'miniupnpd', env: 'SG17_MINIUPNPD', apt: 'miniupnpd'},
  /** ip and ss: the namespace tests configure their interfaces and wait for sockets with them. */
  ip: {binary: 'ip', env: 'SG17_IP', apt: 'iproute2'},
} as const satisfies Record<string, InteropTool>

/** The opt-out: with it, a suite whose tools are missing is skipped (and counted as skipped), never failed. */
export const SKIP_VARIABLE = 'SG17_SKIP_INTEROP'

const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin']

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The tool's path, or undefined when it is not installed (or its override variable names no executable). */
export function findTool(tool: InteropTool, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const explicit = env[tool.env]
  if (explicit) return isExecutable(explicit) ? explicit : undefined
  const dirs = [...(env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS]
  return dirs.map((dir) => join(dir, tool.binary)).find(isExecutable)
}

/** The tool's path; when missing, its bare name (the suite is not run then, see interopSuite). */
export function toolPath(tool: InteropTool): string {
  return findTool(tool) ?? tool.binary
}

export type InteropPlan = {action: 'run'} | {action: 'fail' | 'skip'; title: string; message: string}

/** Pure decision for one suite: run it, fail it (what to install) or skip it (opt-out set). */
export function interopPlan(tools: readonly InteropTool[], env: NodeJS.ProcessEnv = process.env): InteropPlan {
  const missing = tools.filter((tool) => findTool(tool, env) === undefined)
  if (missing.length === 0) return {action: 'run'}
  const names = missing.map((tool) => tool.binary).join(', ')
  const install = `apt-get install -y ${[...new Set(missing.map((tool) => tool.apt))].join(' ')}`
  const where = missing.map((tool) => (env[tool.env] ? `${tool.env}=${env[tool.env]} is not an executable` : `not on PATH (or set ${tool.env})`))
  if (env[SKIP_VARIABLE] === '1') {
    return {action: 'skip', title: `skipped (${SKIP_VARIABLE}=1): ${names} missing — ${install}`, message: ''}
  }
  return {
    action: 'fail',
    title: `requires ${names} — ${install}`,
    message: `${names} not found (${where.join('; ')}). Install: ${install} (as .ci/run does), or set ${SKIP_VARIABLE}=1 to skip the interop suites explicitly.`,
  }
}

/**
 * describe() for a suite that needs external tools. Put the suite's hooks (daemons, labs) inside `body`: it is
 * only registered when every tool is present, so nothing tries to start a missing daemon.
 */
export function interopSuite(title: string, tools: readonly InteropTool[], body: () => void): void {
  const plan = interopPlan(tools)
  if (plan.action === 'run') {
    describe(title, body)
    return
  }
  describe(title, () => {
    if (plan.action === 'skip') it.skip(plan.title, () => {})
    else
      it(plan.title, () => {
        throw new Error(plan.message)
      })
  })
}
