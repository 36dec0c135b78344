/**
 * `rampart lsp`: the language server for editors (VS Code's extension starts the same server; Neovim, Helix,
 * Zed and JetBrains IDEs start it through this command). The server is its own bundle (`dist/server.js`,
 * beside the CLI's) and is loaded only here, so `rampart check` never pays for it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Io } from './commands';

export const LSP_HELP = `Usage: rampart lsp --stdio | --node-ipc | --socket=PORT | --pipe=NAME

Runs the Rampart language server: diagnostics, quick fixes, hover, completion, go to definition, references,
rename, outline, CodeLens and evidence links for *.threatmodel.yaml files, for any editor with an LSP client.
The editor starts it and talks to it over the transport given (most use --stdio). Settings are the
\`rampart.*\` settings of the VS Code extension, asked for with workspace/configuration.
`;

const TRANSPORT = /^--(stdio|node-ipc|socket=\d+|pipe=.+|clientProcessId=\d+)$/;

export function runLanguageServer(args: string[], io: Io): Promise<number> | number {
  if (args.includes('--help') || args.includes('-h')) { io.out(LSP_HELP); return 0; }
  const unknown = args.filter(a => !TRANSPORT.test(a));
  if (unknown.length || !args.some(a => /^--(stdio|node-ipc|socket=|pipe=)/.test(a))) {
    io.err(`rampart lsp: ${unknown.length ? `unknown option '${unknown[0].replace(/[^\x20-\x7e]/g, '?')}'` : 'say how the editor talks to the server'}: use --stdio (most editors), --node-ipc, --socket=PORT or --pipe=NAME.\nRun 'rampart lsp --help' for usage.\n`);
    return 2;
  }
  const bundle = path.join(__dirname, 'server.js');
  if (!fs.existsSync(bundle)) {
    io.err(`rampart lsp: the language server is missing (${bundle}); reinstall rampart.\n`);
    return 2;
  }
  // The server reads its transport from process.argv and owns stdin/stdout from here on; it ends the process
  // when the editor sends `exit`.
  const load = require;
  load(bundle);
  return new Promise<number>(() => { /* runs until the editor stops it */ });
}
