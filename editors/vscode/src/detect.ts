// Which documents the extension starts the server for: deployment templates and their
// parameter files, recognised the way wps-lint does, by the `$schema` they name.

const SCHEMA = /"\$schema"\s*:\s*"[^"]*deployment(template|parameters)\.json/i;

/** Whether a JSON/JSONC document is an ARM deployment template or parameter file. */
export function isDeploymentFile(fileName: string, text: string): boolean {
  if (!/\.jsonc?$/i.test(fileName)) {
    return false;
  }
  return SCHEMA.test(text);
}
