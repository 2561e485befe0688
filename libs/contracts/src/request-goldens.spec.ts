import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AllRequests, Subjects } from './index';

/**
 * Every request subject has its golden JSON Schemas committed under golden/requests/ (written by
 * bus-declarations.spec.ts with UPDATE_GOLDEN=1), and no golden outlives its subject. The folder is
 * read when this file loads, before any test of this run could write a missing golden.
 */
const DIR = join(__dirname, '..', 'golden', 'requests');
const committed = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.json')) : [];

describe('golden schemas of the request subjects', () => {
  const subjects = Object.values(AllRequests).map((d) => d.subject);

  it('cover every declared request subject', () => {
    const missing = subjects.filter((s) => !committed.includes(`${s}.json`));
    expect({ missing }).toEqual({ missing: [] });
    // And every subject named in Subjects.rpc is declared (so it has one too).
    expect([...subjects].sort()).toEqual(Object.values(Subjects.rpc).sort());
  });

  it('name only declared subjects (a removed subject takes its golden with it)', () => {
    const orphans = committed.filter((f) => !subjects.includes(f.replace(/\.json$/, '')));
    expect({ orphans }).toEqual({ orphans: [] });
  });

  it('hold the request and the response schema of their subject', () => {
    for (const d of Object.values(AllRequests)) {
      const golden = JSON.parse(readFileSync(join(DIR, `${d.subject}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      expect(Object.keys(golden)).toEqual(['subject', 'request', 'response']);
      expect(golden.subject).toBe(d.subject);
    }
  });
});
