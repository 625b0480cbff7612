import {Flags} from '@oclif/core'

import {BaseCommand} from '../cli/base-command.js'
import {dbFlag, dbLocation} from '../cli/db-flags.js'
import {openStore} from '../db/open.js'
import {ConfigError} from '../profiles/errors.js'
import {isLoopback, startDashboard} from '../serve/server.js'

export default class Serve extends BaseCommand {
  static summary = 'Serve the read-only conformity dashboard: campaigns, models across firmware, devices, conformity list, search'

  static description = `Server-rendered pages (no script) over the store given by --db: the overview of campaigns and runs, campaign statistics, a per-model table with the failure-rate trend across firmware, a filterable device list (the filters of 'db query'), each device result with its identity, findings, keys, evidence references and coverage, and the conformity list with JSON/CSV downloads.

Listens on 127.0.0.1 unless --host names another address, which requires --token (or $SG17SCAN_TOKEN): open http://HOST:PORT/?token=… once, or send Authorization: Bearer …. Stops on Ctrl-C.`

  static examples = ['<%= config.bin %> serve --db ./sg17scan-db', '<%= config.bin %> serve --db postgres://viewer@db/conformity --host 0.0.0.0 --port 8017 --token "$TOKEN"']

  static flags = {
    ...dbFlag,
    host: Flags.string({description: 'address to listen on', default: '127.0.0.1'}),
    port: Flags.integer({description: 'TCP port (0: any free port)', default: 8017, min: 0, max: 65535}),
    token: Flags.string({description: 'access token; required for a non-loopback --host', env: 'SG17SCAN_TOKEN'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Serve)
    if (!isLoopback(flags.host) && !flags.token) throw new ConfigError(`--host ${flags.host} is not a loopback address: give --token (or $SG17SCAN_TOKEN) so the dashboard is not open to the network`)
    if (flags.token !== undefined && flags.token.length < 16) throw new ConfigError('--token must be at least 16 characters')
    const store = await openStore(dbLocation(flags.db))
    const dashboard = await startDashboard(store, {host: flags.host, port: flags.port, ...(flags.token ? {token: flags.token} : {})})
    this.log(`Dashboard of ${store.location} on ${dashboard.url}${flags.token ? ' (token required)' : ''} — Ctrl-C stops it`)
    await new Promise<void>((resolve) => {
      const stop = () => resolve()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    await dashboard.close()
    await store.close()
  }
}
