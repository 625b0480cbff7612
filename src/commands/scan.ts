import {Args, Flags} from '@oclif/core'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'

import {parseShard} from '../batch/shard.js'
import {RateLimiter} from '../engine/rate-limiter.js'
import {scanDevices, type DeviceSpec} from '../engine/scan.js'
import {SEVERITIES, type Report, type Severity} from '../evidence/types.js'
import {redactCommandLine} from '../evidence/redact.js'
import type {RunningLab} from '../lab/index.js'
import {ConfigError} from '../profiles/errors.js'
import {DEFAULT_PROFILE_ID, resolveProfile} from '../profiles/loader.js'
import {loadDeclarationFile} from '../declaration/load.js'
import {knownRequirements} from '../requirements/known.js'
import {formatFromPath, loadWriter, WRITERS, writerEntry} from '../writers/index.js'
import {BaseCommand} from '../cli/base-command.js'
import {BUNDLE_SIGNING_FLAGS, labFromFlags, signerFromFlags} from '../cli/bundle-flags.js'
import {inputFiles} from '../evidence/provenance.js'
import {loadCredentialFile} from '../probes/cred/credential-file.js'
import {loadCommunityFile} from '../probes/snmp/community-file.js'
import {loadSnmpV3Credentials} from '../probes/snmp/v3-credential-file.js'

export default class Scan extends BaseCommand {
  static summary = 'Scan a device (its services) or the built-in virtual lab against a conformance profile'

  static description = `Targets are service URIs (tls://, https://, ssh://, snmp://, http://, telnet://, ftp://) or a bare
host (a TCP connect scan of every port — --ports narrows it — and the UDP ports of NTP, SNMP, SSDP, mDNS and
CoAP asked with their own requests — --udp-ports — then each open port identified by protocol and scanned as if its
URI had been given). All targets of one command line form one device.
--inventory FILE scans many devices; with --out-dir DIR each finished device is journaled (resumable with --resume,
splittable with --shard K/N) and the report, CSV summary and HTML are written into DIR.

Exit codes: 0 compliant · 1 a failed finding at or above --fail-on · 2 usage or configuration error ·
3 incomplete (a selected check errored, a service was unreachable or not testable, and nothing worse was found).`

  static examples = [
    '<%= config.bin %> scan --lab',
    '<%= config.bin %> scan tls://192.0.2.10:443 ssh://192.0.2.10:22 --profile itu-t-x1352-baseline -o report.json',
    '<%= config.bin %> scan 192.0.2.10 --fail-on high',
    '<%= config.bin %> scan tls://127.0.0.1:8443 --profile mozilla-intermediate --ca lab-ca.pem --json',
  ]

  static strict = false
  static enableJsonFlag = true

  static args = {
    targets: Args.string({description: 'service URIs or hosts (one device)', required: false}),
  }

  static flags = {
    lab: Flags.boolean({description: 'start the built-in virtual lab in-process and scan its devices'}),
    profile: Flags.string({char: 'p', description: 'built-in profile id or path to a profile YAML', default: DEFAULT_PROFILE_ID}),
    output: Flags.string({
      char: 'o',
      multiple: true,
      description: 'write the report to FILE; repeatable; the format comes from the extension (.json .jsonl .csv .sarif .junit.xml .md) or from --format',
    }),
    format: Flags.string({
      char: 'f',
      multiple: true,
      options: WRITERS.map((w) => w.format),
      description:
        'report format. Without --output: one format is printed on stdout instead of the summary; several are written to sg17scan-report.<ext> (sg17scan-lab-report.<ext> with --lab). With --output: the format of an output file whose extension names none',
    }),
    'fail-on': Flags.string({description: 'lowest failed severity that makes the exit code 1', options: [...SEVERITIES], default: 'medium'}),
    timeout: Flags.integer({description: 'per-step network timeout in milliseconds', default: 5000, min: 100}),
    'max-connections-per-device': Flags.integer({description: 'simultaneous connections to one device', default: 2, min: 1, max: 64}),
    ca: Flags.string({description: 'PEM file of extra trust anchors (e.g. a lab CA); repeatable', multiple: true}),
    communities: Flags.string({description: "a lab's own SNMP community list, one per line, tried before the built-in list (secrets: reported by line id only)"}),
    'snmp-v3-credentials': Flags.string({
      description: 'YAML/JSON list of SNMPv3 users to test ({id, user, authProtocol, authKeyEnv, privProtocol?, privKeyEnv?}); keys come from the named environment variables',
    }),
    credentials: Flags.string({
      description: "a lab's own login credentials, user:pass per line (SecLists ssh-betterdefaultpasslist format), tried as the 'lab' list with --intrusive (secrets: reported as lab:<file>:<line>)",
    }),
    'login-delay': Flags.integer({description: "pause between login attempts in milliseconds (default: the profile's, 1000)", min: 0, max: 60000}),
    intrusive: Flags.boolean({description: 'allow intrusive checks (login attempts, writes)', default: false}),
    'device-name': Flags.string({description: 'name of the device the targets belong to'}),
    declaration: Flags.string({
      description: "the manufacturer's declaration for the device (YAML/JSON, schemas/declaration.schema.json): identity, support claims per requirement, declared services, password scheme, crypto per interface; read by the profile's requirement rules (inventory devices name theirs in a `declaration` field)",
    }),
    'show-passed': Flags.boolean({description: 'list passed and not-applicable findings too', default: false}),
    db: Flags.string({description: "also store the report in the conformity database: a directory (embedded store) or postgres://… (many pods/machines into one server); see 'sg17scan db ingest'"}),
    campaign: Flags.string({description: 'with --db: the campaign the run belongs to', dependsOn: ['db']}),
    bundle: Flags.string({description: 'also write a verifiable evidence bundle (report, artifacts, SHA-256 manifest) to DIR (new or empty)'}),
    ...BUNDLE_SIGNING_FLAGS,
    inventory: Flags.string({description: 'device inventory (CSV, YAML or JSON; schemas/inventory.schema.json): one device per entry, credentials referenced (env:VAR / file:PATH), never inline'}),
    'out-dir': Flags.string({description: 'batch mode: append each finished device to DIR/journal.jsonl (fsync\'d), then write DIR/report.json, DIR/summary.csv, DIR/report.html'}),
    resume: Flags.boolean({description: 'continue the batch in --out-dir: skip devices already in its journal (refused when the inventory, profile, shard, --fail-on, tool build, data files, --intrusive, --timeout, --ca or credential/community files differ)', default: false}),
    shard: Flags.string({description: 'scan only shard K of N (K/N, by a hash of the device id); combine shard reports with `report merge`'}),
    concurrency: Flags.integer({description: 'devices scanned at once (the per-device connection cap still applies)', default: 64, min: 1, max: 4096}),
    rate: Flags.integer({description: 'global limit on new TCP connections per second (all devices together)', min: 1}),
    ports: Flags.string({description: "TCP ports scanned on a bare host: ranges and lists (1-65535, 22,80,443, 1-1024,8080); default the profile's tcpPorts, all 65,535"}),
    'udp-ports': Flags.string({description: "UDP ports probed on a bare host, each with its protocol's own request; default the profile's udpPorts (123,161,1900,5353,5683: NTP, SNMP, SSDP, mDNS, CoAP)"}),
    'port-concurrency': Flags.integer({description: 'connect attempts in flight during a bare host\'s port scan (the per-device cap is for protocol handshakes)', default: 64, min: 1, max: 4096}),
    progress: Flags.boolean({description: 'progress on stderr (a live line on a TTY, a log line every ~5 s / 10 % otherwise); default on with --out-dir', allowNo: true}),
    color: Flags.boolean({description: 'colour the summary table', allowNo: true, default: process.stdout.isTTY ?? false}),
  }

  async run(): Promise<Report> {
    const {argv, flags} = await this.parse(Scan)
    const targets = argv as string[]
    if ([flags.lab, targets.length > 0, Boolean(flags.inventory)].filter(Boolean).length > 1) throw new ConfigError('give one of --lab, --inventory or targets')
    if (!flags.lab && !flags.inventory && targets.length === 0) throw new ConfigError('no targets: give service URIs (e.g. tls://192.0.2.10:443), a host, --inventory FILE or --lab')
    if (flags['out-dir'] && !flags.inventory) throw new ConfigError('--out-dir is for batch scans: add --inventory FILE')
    if (flags.resume && !flags['out-dir']) throw new ConfigError('--resume continues a batch: add --out-dir DIR')
    if (flags.shard && !flags.inventory) throw new ConfigError('--shard splits an inventory: add --inventory FILE')
    const shard = flags.shard ? parseShard(flags.shard) : undefined
    const rate = flags.rate ? new RateLimiter(flags.rate) : undefined
    const commandLine = redactCommandLine(['sg17scan', ...(this.id ?? 'scan').split(':'), ...this.argv])
    // What a single scan and a batch share; credential files are read (and checked) before any network I/O.
    const common = {
      profile: flags.profile,
      timeoutMs: flags.timeout,
      maxConnectionsPerDevice: flags['max-connections-per-device'],
      concurrency: flags.concurrency,
      rate,
      caFiles: flags.ca,
      intrusive: flags.intrusive,
      snmpV3Credentials: flags['snmp-v3-credentials'] ? loadSnmpV3Credentials(flags['snmp-v3-credentials']) : undefined,
      snmpCommunities: flags.communities ? loadCommunityFile(flags.communities) : undefined,
      loginCredentials: flags.credentials ? loadCredentialFile(flags.credentials) : undefined,
      loginDelayMs: flags['login-delay'],
      tcpPorts: flags.ports,
      udpPorts: flags['udp-ports'],
      portConcurrency: flags['port-concurrency'],
      failOn: flags['fail-on'] as Severity,
      commandLine,
      // Provenance (run.inputs, public files by SHA-256) and --resume pinning (secret files, by a salted scrypt in
      // run.json only: a plain digest of a short credential list could be reversed by guessing).
      inputs: inputFiles([{flag: '--inventory', path: flags.inventory}]),
      secretFiles: [
        {flag: '--credentials', path: flags.credentials},
        {flag: '--communities', path: flags.communities},
        {flag: '--snmp-v3-credentials', path: flags['snmp-v3-credentials']},
      ].filter((f): f is {flag: string; path: string} => f.path !== undefined),
    }
    if (flags['out-dir']) {
      if (this.jsonEnabled()) throw new ConfigError('--json prints the whole report on stdout; with --out-dir the report is DIR/report.json')
      // Batch code (journal, finalize, its writers) is loaded only for a batch.
      const {runBatch} = await import('../batch/run-batch.js')
      const {HTML_MAX_DEVICES} = await import('../batch/finalize.js')
      const result = await runBatch({
        ...common,
        inventoryPath: flags.inventory!,
        outDir: resolve(flags['out-dir']),
        resume: flags.resume,
        shard,
        progress: flags.progress === false ? undefined : process.stderr,
        warn: (message) => this.logToStderr(`Warning: ${message}`),
      })
      const s = result.summary
      this.log(`Batch: ${result.total} devices${shard ? ` in shard ${shard.k}/${shard.n}` : ''} (${result.scanned} scanned now, ${result.skipped} already in the journal): ${s.verdicts.pass} pass, ${s.verdicts.fail} fail, ${s.verdicts.incomplete} incomplete`)
      this.log(`Report: ${result.reportPath}\nSummary: ${result.csvPath}${result.requirementsCsvPath ? `\nRequirements: ${result.requirementsCsvPath}` : ''}`)
      this.log(result.htmlPath ? `HTML: ${result.htmlPath}` : `HTML: skipped above ${HTML_MAX_DEVICES} devices (it needs the whole report in memory); render it with 'sg17scan report convert ${result.reportPath} -o report.html'`)
      if (flags.db) await this.storeInDb(flags.db, {path: result.reportPath}, flags)
      process.exitCode = s.exitCode
      return undefined as unknown as Report
    }
    const formats = flags.format ?? []
    const baseName = flags.lab ? 'sg17scan-lab-report' : 'sg17scan-report'
    const outputs = flags.output
      ? planOutputs(flags.output, formats)
      : formats.length > 1
        ? formats.map((f) => ({path: resolve(`${baseName}${writerEntry(f).extensions[0]}`), format: f}))
        : flags.lab
          ? planOutputs([`${baseName}.json`], [])
          : []
    const stdoutFormat = !flags.output && formats.length === 1 ? writerEntry(formats[0]).format : undefined
    if (flags['sign-key'] && !flags.bundle) throw new ConfigError('--sign-key signs an evidence bundle: add --bundle DIR')
    const signer = signerFromFlags(flags)
    if (flags.bundle && existsSync(flags.bundle) && readdirSync(flags.bundle).length > 0) {
      throw new ConfigError(`--bundle ${flags.bundle}: the directory is not empty`)
    }

    if (flags.declaration && (flags.inventory || flags.lab)) throw new ConfigError('--declaration describes the one device of the command line: inventory devices name theirs in a `declaration` field, lab devices carry their own')
    const declaration = flags.declaration ? loadDeclarationFile(flags.declaration, knownRequirements(existsSync(flags.profile) ? [resolveProfile(flags.profile)] : [])) : undefined
    let specs: DeviceSpec[] = flags.inventory
      ? (await import('../batch/run-batch.js')).inventorySpecs(flags.inventory, shard)
      : [{targets, name: flags['device-name'], ...(declaration ? {declaration} : {})}]
    const caCertificates: string[] = []
    let lab: RunningLab | undefined
    if (flags.lab) {
      // Loaded only for --lab: certificate generation pulls in all of node-forge.
      const {startLab} = await import('../lab/index.js')
      lab = await startLab()
      // The lab's declarations feed the requirement rules: only a profile that lists requirements reads them.
      const assessesRequirements = resolveProfile(flags.profile).requirements.length > 0
      specs = lab.devices.map((d) => ({name: d.name, targets: d.targets, declared: d.declared, ...(d.declaration && assessesRequirements ? {declaration: d.declaration} : {})}))
      caCertificates.push(lab.caPem)
      this.log(`Scanning the built-in virtual lab: ${lab.devices.length} reference devices served in-process on 127.0.0.1 (lab CA trusted for this run).`)
    }
    let report: Report
    try {
      report = await scanDevices(specs, {...common, caCertificates})
    } finally {
      await lab?.stop()
    }

    // Only the writers of the formats asked for are loaded (`--json` prints through oclif and loads none).
    for (const {path, format} of outputs) {
      mkdirSync(dirname(path), {recursive: true})
      writeFileSync(path, (await loadWriter(format)).write(report))
    }
    const bundle = flags.bundle ? (await import('../evidence/bundle.js')).writeBundle(report, flags.bundle, {lab: labFromFlags(flags), signer}) : undefined
    // With --json oclif prints the returned report and this.log prints nothing: no summary to render.
    if (this.jsonEnabled()) {
      // nothing more on stdout
    } else if (stdoutFormat) process.stdout.write((await loadWriter(stdoutFormat)).write(report))
    else {
      const {renderSummary} = await import('../writers/console.js')
      this.log(renderSummary(report, {showPassed: flags['show-passed'], color: flags.color}))
      for (const {path, format} of outputs) this.log(`Report (${format}): ${path}`)
      if (bundle) this.log(`Evidence bundle: ${bundle.dir} (${bundle.signed ? 'signed' : 'not signed'}; check with 'sg17scan report verify ${bundle.dir}')`)
    }
    // The bundle when there is one (its manifest digest is kept), else the report as `-o report.json` writes it.
    if (flags.db) await this.storeInDb(flags.db, bundle ? {path: bundle.dir} : {report}, flags)
    process.exitCode = report.summary.exitCode
    return report
  }

  /** `--db`: the finished run goes into the store, verified as `db ingest` does. A refusal is exit 2 (a bug). */
  private async storeInDb(location: string, what: {path: string} | {report: Report}, flags: {campaign?: string; 'lab-name'?: string}): Promise<void> {
    const {openStore} = await import('../db/open.js')
    const {ingestInput} = await import('../db/ingest.js')
    const {readInput, verifyReportObject} = await import('../db/input.js')
    const store = await openStore(location)
    try {
      const input = 'path' in what ? readInput(what.path) : verifyReportObject(what.report, 'scan')
      const out = await ingestInput(store, input, {...(flags['lab-name'] ? {lab: flags['lab-name']} : {}), ...(flags.campaign ? {campaign: {name: flags.campaign}} : {})})
      if (out.status === 'refused') throw new ConfigError(`--db ${store.location}: the report was refused`, out.problems)
      const line = `Database: ${store.location}: ${out.status === 'stored' ? `stored ${out.devices} devices` : 'already stored'} (report sha256 ${out.reportSha256.slice(0, 16)}…)`
      if (this.jsonEnabled()) process.stderr.write(`${line}\n`)
      else this.log(line)
    } finally {
      await store.close()
    }
  }
}

/** Each output file with its format: the extension decides, else the one --format, else it is an error. */
function planOutputs(paths: string[], formats: string[]): Array<{path: string; format: string}> {
  if (formats.length > 1) throw new ConfigError('with --output, name each file\'s format by its extension (several --format values are for output without -o)')
  return paths.map((p) => {
    const chosen = formatFromPath(p) ?? formats[0]
    if (!chosen) throw new ConfigError(`cannot tell the format of '${p}' from its extension: add --format (${WRITERS.map((w) => w.format).join(', ')})`)
    return {path: resolve(p), format: writerEntry(chosen).format}
  })
}
