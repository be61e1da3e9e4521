// Which documents the extension starts the server for: Bicep files and parameter files by
// their extension, and JSON deployment templates and parameter files recognised the way
// wps-lint does, by the `$schema` they name.

const SCHEMA = /"\$schema"\s*:\s*"[^"]*deployment(template|parameters)\.json/i;

/** Whether a document is a Bicep file, or an ARM deployment template or parameter file. */
export function isDeploymentFile(fileName: string, text: string): boolean {
  if (/\.bicep(param)?$/i.test(fileName)) {
    return true;
  }
  if (!/\.jsonc?$/i.test(fileName)) {
    return false;
  }
  return SCHEMA.test(text);
}
