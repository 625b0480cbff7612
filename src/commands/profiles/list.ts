import {listBuiltInProfiles} from '../../profiles/loader.js'
import {BaseCommand} from '../../cli/base-command.js'

export default class ProfilesList extends BaseCommand {
  static summary = 'List the built-in profiles'
  static enableJsonFlag = true

  async run() {
    await this.parse(ProfilesList)
    const profiles = listBuiltInProfiles()
    for (const p of profiles) this.log(`${p.id.padEnd(24)} v${p.version.padEnd(8)} ${String(p.checks.length).padStart(3)} checks  ${p.title}`)
    return profiles.map((p) => ({id: p.id, version: p.version, title: p.title, checks: p.checks.length, sha256: p.sha256}))
  }
}
