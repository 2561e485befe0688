import { parseOidcUsers, userClaims } from './oidc-users.mapper';

describe('parseOidcUsers', () => {
  it('reads id:role[:queues]', () => {
    const issues: string[] = [];
    expect(
      parseOidcUsers('olga:agent:general|fraud, sofia:supervisor', (m) => issues.push(m)),
    ).toEqual([
      { id: 'olga', role: 'agent', queues: ['general', 'fraud'] },
      { id: 'sofia', role: 'supervisor', queues: [] },
    ]);
    expect(issues).toEqual([]);
  });

  it('names a malformed entry', () => {
    const issues: string[] = [];
    parseOidcUsers('olga,bad id:agent,x:agent:general:extra', (m) => issues.push(m));
    expect(issues).toEqual([
      '"olga" is not "id:role[:queue|queue]"',
      '"bad id:agent" is not "id:role[:queue|queue]"',
      '"x:agent:general:extra" is not "id:role[:queue|queue]"',
    ]);
  });

  it('puts role and queues in the claims the console reads', () => {
    expect(userClaims({ id: 'olga', role: 'agent', queues: ['fraud'] })).toMatchObject({
      sub: 'sandbox|olga',
      preferred_username: 'olga',
      omnigate_role: 'agent',
      omnigate_queues: ['fraud'],
    });
  });
});
