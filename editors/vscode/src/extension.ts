// Starts `wps-lint lsp` once a Bicep file, deployment template or parameter file is open, and
// passes the `wps-lint.*` settings to it (at start and on every change). Beside Microsoft's
// Bicep extension it is a second server on the same documents, with its own diagnostics
// source (`wps-lint`); without it, the `bicep` and `bicep-params` languages this extension
// declares still give `.bicep` and `.bicepparam` files their language.

import * as vscode from "vscode";
import {
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
} from "vscode-languageclient/node";
import { isDeploymentFile } from "./detect";

let client: LanguageClient | undefined;

function settings() {
  const config = vscode.workspace.getConfiguration("wps-lint");
  return {
    select: config.get<string[]>("select", []),
    ignore: config.get<string[]>("ignore", []),
    rulesDirs: config.get<string[]>("rulesDirs", []),
    config: config.get<string>("config", ""),
  };
}

function start(context: vscode.ExtensionContext) {
  if (client) {
    return;
  }
  const command = vscode.workspace.getConfiguration("wps-lint").get<string>("path") || "wps-lint";
  const serverOptions: ServerOptions = { command, args: ["lsp"] };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "bicep" },
      { scheme: "file", language: "bicep-params" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonc" },
    ],
    initializationOptions: settings(),
    synchronize: { configurationSection: "wps-lint" },
  };
  client = new LanguageClient("wps-lint", "wps-lint", serverOptions, clientOptions);
  context.subscriptions.push(client);
  client.start();
}

function consider(context: vscode.ExtensionContext, document: vscode.TextDocument) {
  if (document.uri.scheme === "file" && isDeploymentFile(document.fileName, document.getText())) {
    start(context);
  }
}

export function activate(context: vscode.ExtensionContext) {
  vscode.workspace.textDocuments.forEach((d) => consider(context, d));
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => consider(context, d)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      // A new binary path needs a new server; other settings travel as didChangeConfiguration.
      if (e.affectsConfiguration("wps-lint.path") && client) {
        await client.stop();
        client = undefined;
        vscode.workspace.textDocuments.forEach((d) => consider(context, d));
      }
    }),
  );
}

export async function deactivate() {
  await client?.stop();
}
