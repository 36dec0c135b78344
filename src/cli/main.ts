/**
 * `rampart`: the command-line front end over the same core as the extension.
 * Exit codes: 0 no finding reaches --fail-on; 1 one does; 2 usage errors and unreadable files.
 */
import { parseArgs } from 'node:util';
import { COMMANDS, CommandError, UsageError, type Io } from './commands';
import { terminalSafe } from '../core/text/safe';
import { LSP_HELP, runLanguageServer } from './lsp';

const VERSION = process.env.RAMPART_VERSION ?? '0.1.0';

export const HELP = `rampart ${VERSION} — threat modeling as code

Usage: rampart <command> [options]

Commands:
  check [paths...]     Check threat models (files, or directories searched for *.threatmodel.yaml)
  report FILE          Write a Markdown report of a model
  plan FILE            The mitigation plan (fix first): what to do next, by risk closed and return (ROSI)
  diagram FILE         Print the model's data-flow diagram as Mermaid text
  diff BASE HEAD       Markdown risk delta between two versions of a model (or --git REV FILE)
  import --from TOOL   Convert a Threagile, Threat Dragon, OTM or Threat Composer model into a Rampart model
  export --to TOOL     Convert a Rampart model into a Threagile, Threat Dragon, OTM or Threat Composer model
  init [FILE]          Write a commented starter model
  discover [paths...]  Draft a model from Compose, Kubernetes and OpenAPI files (or list what a model lacks)
  rules                List every rule with its id, severity and title
  lsp --stdio          Run the language server (for Neovim, Helix, Zed, JetBrains IDEs and other LSP clients)

Run 'rampart <command> --help' for the options of a command.
Exit codes: 0 ok, 1 findings at or above --fail-on, 2 usage error or unreadable file.
`;

export async function main(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = cmd === 'help' ? rest[0] : undefined;
    if (topic === 'lsp') { io.out(LSP_HELP); return 0; }
    if (topic && Object.hasOwn(COMMANDS, topic)) { io.out(COMMANDS[topic].help); return 0; }
    io.out(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-v') { io.out(VERSION + '\n'); return 0; }
  if (cmd === 'lsp') return runLanguageServer(rest, io);
  // Own commands only: `rampart __proto__` or `rampart constructor` is an unknown command, not Object's.
  const command = Object.hasOwn(COMMANDS, cmd) ? COMMANDS[cmd] : undefined;
  if (!command) {
    io.err(`rampart: unknown command '${terminalSafe(cmd)}'. Run 'rampart --help' for the list of commands.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) { io.out(command.help); return 0; }
  try {
    const parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    return await command.run(parsed.values as Record<string, unknown>, parsed.positionals, io);
  } catch (e) {
    // Messages quote ids, file names and git output: each is printed as one terminal-safe line.
    const err = e as Error & { code?: string };
    if (e instanceof CommandError) {
      io.err(`rampart ${cmd}: ${terminalSafe(err.message)}\n`);
      return 2;
    }
    if (e instanceof UsageError || err.code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`rampart ${cmd}: ${terminalSafe(err.message.replace(/\. To specify a positional argument.*$/s, ''))}\nRun 'rampart ${cmd} --help' for usage.\n`);
      return 2;
    }
    io.err(`rampart ${cmd}: internal error: ${terminalSafe(err?.message ?? String(e))}\nPlease report this with the model that caused it.\n`);
    return 2;
  }
}

/** Runs the command line of this process (`dist/cli.js`, src/cli/bin.ts, calls it once the bundle is loaded). */
export function runCli(): void {
  // A reader that stops early (`rampart check … | head`) closes the pipe: stop quietly, like other tools,
  // instead of an unhandled EPIPE with a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  const io: Io = {
    out: s => { process.stdout.write(s); },
    err: s => { process.stderr.write(s); },
    color: !process.env.NO_COLOR && !!process.stdout.isTTY && process.env.TERM !== 'dumb',
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(code => { process.exitCode = code; });
}

if (require.main === module) runCli();
