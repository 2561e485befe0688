/**
 * `npm run audit:verify`: checks the audit log's hash chain (tools/audit-verify.command.ts says how).
 * Exit 0: intact; 1: broken; 2: could not check.
 */
import { runAuditVerify } from './audit-verify.command';

void runAuditVerify(process.argv.slice(2), process.env, (line) => console.log(line)).then((code) =>
  process.exit(code),
);
