// Explicit command registry (oclif "explicit" strategy): one import per command, no directory scanning,
// so development mode maps this single file to src/ reliably with checks/ living outside src/.
import ChecksList from './checks/list.js'
import ChecksShow from './checks/show.js'
import DbCampaignStats from './db/campaign/stats.js'
import DbExport from './db/export.js'
import DbHistory from './db/history.js'
import DbIngest from './db/ingest.js'
import DbQuery from './db/query.js'
import LabStart from './lab/start.js'
import LabStop from './lab/stop.js'
import ProfilesList from './profiles/list.js'
import ProfilesShow from './profiles/show.js'
import ProfilesValidate from './profiles/validate.js'
import ReportBundle from './report/bundle.js'
import ReportConvert from './report/convert.js'
import ReportDiff from './report/diff.js'
import ReportMerge from './report/merge.js'
import ReportVerify from './report/verify.js'
import Scan from './scan.js'
import Serve from './serve.js'

export const COMMANDS = {
  scan: Scan,
  'checks:list': ChecksList,
  'checks:show': ChecksShow,
  'profiles:list': ProfilesList,
  'profiles:show': ProfilesShow,
  'profiles:validate': ProfilesValidate,
  'lab:start': LabStart,
  'lab:stop': LabStop,
  'report:convert': ReportConvert,
  'report:bundle': ReportBundle,
  'report:verify': ReportVerify,
  'report:merge': ReportMerge,
  'report:diff': ReportDiff,
  'db:ingest': DbIngest,
  'db:query': DbQuery,
  'db:campaign:stats': DbCampaignStats,
  'db:export': DbExport,
  'db:history': DbHistory,
  serve: Serve,
}
