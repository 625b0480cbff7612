/** A configuration problem the user must fix: the CLI prints it and exits 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** Each problem as "file:line:col field: message". */
    public readonly details: string[] = [],
  ) {
    super(details.length > 0 ? `${message}\n${details.map((d) => `  ${d}`).join('\n')}` : message)
    this.name = 'ConfigError'
  }
}
