/**
 * Every `affix` command and subcommand with its usage, in one table: `affix --help`, `affix <command> --help` and
 * `affix <command> <sub> --help` all read it, and an unknown command is refused against it.
 */
export interface CommandHelp {
  /** The words that name it: `['client', 'create']`. */
  words: readonly string[];
  /** Its synopsis and description, as lines of the usage page. */
  usage: string;
}

export const COMMANDS: readonly CommandHelp[] = [
  {
    words: ['serve'],
    usage: `serve [--no-jobs]             start the API server and the connect pages (default; npm start);
                                also runs the background jobs unless --no-jobs (then run affix worker)`,
  },
  {
    words: ['worker'],
    usage:
      'worker                        run the background jobs (retention, vault re-wrap), no HTTP listener',
  },
  {
    words: ['healthcheck'],
    usage: `healthcheck [--worker]        exit 0 when this host's API answers /readyz 200 (or, with --worker, its
                                worker's heartbeat is fresh); the container's HEALTHCHECK`,
  },
  { words: ['migrate'], usage: 'migrate                       bring the database schema up to date' },
  {
    words: ['sandbox-token'],
    usage: `sandbox-token [--mode xhr|official] [--employees N] [--client ID] [--count N]
                                create sandbox connections and print their tokens, one per line`,
  },
  {
    words: ['client', 'create'],
    usage: `client create --name N --redirect-uri U [--redirect-uri U2] [--webhook-uri W] [--public]
                [--logo-url L] [--accent-color #RRGGBB] [--json]
                                register an app; prints client_id and client_secret (shown once)`,
  },
  { words: ['client', 'list'], usage: 'client list [--json]          registered apps' },
  {
    words: ['client', 'rotate-secret'],
    usage: `client rotate-secret <client_id> [--revoke-others] [--json]
                                add a new secret (old ones stay valid unless --revoke-others)`,
  },
  {
    words: ['keys', 'rotate'],
    usage:
      'keys rotate [--delay 1h]      publish a new token signing key; it signs after the delay (KEY_ROTATION_DELAY)',
  },
  {
    words: ['keys', 'list'],
    usage: 'keys list                     signing keys: published, active, retired',
  },
  {
    words: ['keys', 'rotate-kek'],
    usage:
      'keys rotate-kek               add a new primary key-encryption key (local keyring); new data keys use it',
  },
  {
    words: ['keys', 'rewrap'],
    usage: 'keys rewrap [--batch N]       move every data key onto the primary KEK, with progress',
  },
  {
    words: ['keys', 'kek-status'],
    usage: 'keys kek-status               keyring, primary KEK and data keys per KEK',
  },
  {
    words: ['keys', 'retire-kek'],
    usage: 'keys retire-kek <id>          retire an unused KEK (refused while it still wraps data keys)',
  },
  {
    words: ['screenshots', 'list'],
    usage: 'screenshots list [connection_id]  error screenshots of web logins (kept SCREENSHOT_RETENTION)',
  },
  {
    words: ['screenshots', 'export'],
    usage: `screenshots export <connection_id> <screenshot_id> <file.png>
                                decrypt one screenshot to a new file (mode 0600)`,
  },
  {
    words: ['webhooks', 'list'],
    usage: `webhooks list --client ID [--status pending|succeeded|failed|disabled] [--limit N] [--json]
                                a client's webhook deliveries, newest first: status, attempts, last error`,
  },
  {
    words: ['webhooks', 'redeliver'],
    usage: 'webhooks redeliver <id> --client ID   send a delivery again (same webhook-id)',
  },
  {
    words: ['webhooks', 'test'],
    usage:
      'webhooks test --client ID [--json]    queue a signed webhook.test event to the client’s webhook_uri',
  },
  { words: ['help'], usage: 'help [command]                this page, or one command’s' },
];

const SETTINGS_HINT = `
Settings come from the environment, then from a .env file in the working directory; \`npm start\` and every
affix command read the same ones. See the README's configuration table.
`;

/** The usage page for everything under `words` (everything when empty); undefined when nothing matches. */
export function usageFor(words: readonly string[]): string | undefined {
  const matching = COMMANDS.filter((c) => words.every((w, i) => c.words[i] === w));
  if (matching.length === 0) return undefined;
  return `usage: affix <command> [options]\n\n${words.length ? '' : 'commands:\n'}${matching
    .map((c) => indent(c.usage))
    .join('\n')}\n${words.length ? '' : SETTINGS_HINT}`;
}

/** The command that `argv` names, as many words as are known; `complete` when it is a runnable leaf. */
export function resolveCommand(argv: readonly string[]): { words: string[]; complete: boolean } {
  const words: string[] = [];
  for (const w of argv) {
    if (w.startsWith('-')) break;
    const next = [...words, w];
    if (!COMMANDS.some((c) => next.every((x, i) => c.words[i] === x))) break;
    words.push(w);
  }
  const complete = COMMANDS.some(
    (c) => c.words.length === words.length && words.every((w, i) => c.words[i] === w),
  );
  return { words, complete };
}

/** Continuation lines in the table are already aligned for the page. */
function indent(text: string): string {
  return `  ${text}`;
}

/**
 * What `affix` answers before reading any setting: the help it was asked for, or the refusal of a command it does
 * not know. Undefined when `argv` names a runnable command.
 */
export function answerWithoutConfig(
  argv: readonly string[],
): { code: number; stdout: string; stderr: string } | undefined {
  if (argv[0] === 'help' || argv.includes('--help') || argv.includes('-h')) {
    const target = argv[0] === 'help' ? argv.slice(1) : argv;
    const { words } = resolveCommand(target);
    const asked = argv[0] === 'help' ? target.filter((w) => !w.startsWith('-')) : [];
    return { code: asked.length > words.length ? 2 : 0, stdout: usageFor(words) ?? '', stderr: '' };
  }
  const named = resolveCommand(argv.length ? argv : ['serve']);
  if (named.complete) return undefined;
  const typed = argv.filter((w) => !w.startsWith('-')).slice(0, named.words.length + 1);
  const what = typed.length > named.words.length ? 'unknown command' : 'needs a subcommand';
  return {
    code: 2,
    stdout: '',
    stderr: `affix ${typed.join(' ')}: ${what}\n\n${usageFor(named.words) ?? ''}`,
  };
}
