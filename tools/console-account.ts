/**
 * `npm run console:account -- <id> --role agent --queues general,fraud [--file accounts.json]`:
 * reads a password from stdin and prints (or writes into the file) the CONSOLE_ACCOUNTS_FILE entry
 * with its argon2id hash. The password is never echoed or written anywhere.
 * `npm run console:account -- totp <id>` enrols a TOTP second factor; `code <id>` prints a code.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hashPassword } from '../apps/console/src/auth/account-directory';
import {
  ACCOUNT_CLI_USAGE,
  parseAccountCliArgs,
  parseTotpCliArgs,
  passwordFromStdin,
  upsertAccount,
} from '../apps/console/src/auth/account-cli.mapper';
import { currentCode, enrollTotp } from './console-totp.command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  const totp = parseTotpCliArgs(process.argv.slice(2));
  if (totp && 'problems' in totp) {
    console.error(`${totp.problems.join('\n')}\n${ACCOUNT_CLI_USAGE}`);
    return 2;
  }
  if (totp) {
    console.log(
      totp.command === 'totp'
        ? await enrollTotp(process.env, totp.id)
        : await currentCode(process.env, totp.id),
    );
    return 0;
  }
  const args = parseAccountCliArgs(process.argv.slice(2));
  if ('problems' in args) {
    console.error(`${args.problems.join('\n')}\n${ACCOUNT_CLI_USAGE}`);
    return 2;
  }
  if (process.stdin.isTTY) console.error('password (then Enter, Ctrl-D):');
  const password = passwordFromStdin(await readStdin());
  if (typeof password !== 'string') {
    console.error(password.problem);
    return 2;
  }
  const entry = {
    id: args.id,
    passwordHash: await hashPassword(password),
    role: args.role,
    queues: args.queues,
  };
  if (!args.file) {
    console.log(JSON.stringify(entry, null, 2));
    return 0;
  }
  const existing = existsSync(args.file) ? readFileSync(args.file, 'utf8') : null;
  writeFileSync(args.file, upsertAccount(existing, entry), { mode: 0o600 });
  console.error(`${args.id} (${args.role}) written to ${args.file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
