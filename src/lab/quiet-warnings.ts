/**
 * The legacy lab devices are weak on purpose (1024-bit DHE); Node warns about that on every server start.
 * The warning is noise for someone running the lab, so drop exactly that one and keep every other warning.
 */
let installed = false

export function silenceLabWeaknessWarnings(): void {
  if (installed) return
  installed = true
  const original = process.emitWarning.bind(process) as (...args: unknown[]) => void
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message
    if (/^DH parameter is less than \d+ bits$/.test(text)) return
    original(warning, ...rest)
  }) as typeof process.emitWarning
}
