import { ROLES, isRole } from '../privacy/roles';
import type { Role } from '../privacy/roles';
import { AGENT_ID, MIN_PASSWORD, parseAccountsFile, parseQueueList } from './accounts.mapper';
import type { ConsoleAccount } from './accounts.mapper';

export const ACCOUNT_CLI_USAGE =
  'usage: npm run console:account -- <id> --role agent|supervisor|admin|dpo --queues general,fraud [--file accounts.json]\n' +
  '  reads the password from stdin (first line); prints the JSON entry, or adds/replaces it in --file\n' +
  '       npm run console:account -- totp <id>   enrols a new TOTP second factor in the database\n' +
  '         (DATABASE_URL or DATA_DIR; sealed with DATA_KEKS) and prints its otpauth:// URI\n' +
  '       npm run console:account -- code <id>   prints the current code (development: the dev\n' +
  '         secrets under DATA_DIR, else the database)';

/** `totp <id>` / `code <id>`, or null when argv is an account command. Pure. */
export function parseTotpCliArgs(
  argv: string[],
): { command: 'totp' | 'code'; id: string } | { problems: string[] } | null {
  const [command, id, ...rest] = argv;
  if (command !== 'totp' && command !== 'code') return null;
  if (!id || rest.length > 0) return { problems: [`${command} needs exactly one account id`] };
  if (!AGENT_ID.test(id)) return { problems: ['the id must be 1-64 of [A-Za-z0-9._-]'] };
  return { command, id };
}

export interface AccountCliArgs {
  id: string;
  role: Role;
  queues: ConsoleAccount['queues'];
  file?: string;
}

/** argv (after the script) → the request, or every problem with it. Pure. */
export function parseAccountCliArgs(argv: string[]): AccountCliArgs | { problems: string[] } {
  const problems: string[] = [];
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) problems.push(`${a} needs a value`);
      else flags[a.slice(2)] = value;
      i++;
    } else positional.push(a);
  }
  for (const name of Object.keys(flags)) {
    if (!['role', 'queues', 'file'].includes(name)) problems.push(`unknown option --${name}`);
  }
  const id = positional[0] ?? '';
  if (positional.length !== 1) problems.push('give exactly one account id');
  else if (!AGENT_ID.test(id)) problems.push('the id must be 1-64 of [A-Za-z0-9._-]');
  const role = flags['role'] ?? 'agent';
  if (!isRole(role)) problems.push(`--role must be one of ${ROLES.join(', ')}`);
  const names = (flags['queues'] ?? '')
    .split(',')
    .map((q) => q.trim())
    .filter(Boolean);
  const queues = parseQueueList(names, '--queues', (m) => problems.push(m));
  if (role === 'agent' && names.length === 0) problems.push('an agent needs --queues');
  if (problems.length > 0 || !isRole(role)) return { problems };
  return { id, role, queues, ...(flags['file'] && { file: flags['file'] }) };
}

/** The password read from stdin: its first line, checked. */
export function passwordFromStdin(text: string): string | { problem: string } {
  const password = text.split(/\r?\n/, 1)[0] ?? '';
  if (password.length < MIN_PASSWORD) {
    return { problem: `the password must be at least ${MIN_PASSWORD} characters` };
  }
  return password;
}

/** The accounts file with `entry` added, or replacing the entry of the same id. Pure. */
export function upsertAccount(existing: string | null, entry: ConsoleAccount): string {
  const problems: string[] = [];
  const accounts = existing === null ? [] : parseAccountsFile(existing, (m) => problems.push(m));
  if (problems.length > 0) {
    throw new Error(`the accounts file is not valid: ${problems.join('; ')}`);
  }
  const next = accounts.filter((a) => a.id !== entry.id).concat(entry);
  return `${JSON.stringify(next, null, 2)}\n`;
}
