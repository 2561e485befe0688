import { parseRedriveArgs } from './dlq-redrive.command';

describe('npm run dlq:redrive arguments', () => {
  it('reads a selection by id, or all of one redrivable stream', () => {
    expect(parseRedriveArgs(['--id', '7'])).toEqual({ selection: { id: 7 }, force: false });
    expect(parseRedriveArgs(['--all', '--stream', 'MSG_IN', '--force'])).toEqual({
      selection: { all: true, stream: 'MSG_IN' },
      force: true,
    });
    expect(parseRedriveArgs([])).toEqual({ selection: null, force: false });
  });

  it('refuses CARDS (only gateways publish sealed cards), the DLQ itself and unknown names', () => {
    for (const stream of ['CARDS', 'DLQ', 'msg_in', 'X']) {
      expect(() => parseRedriveArgs(['--all', '--stream', stream])).toThrow(
        '--stream needs one of MSG_IN, MSG_OUT, MSG_STATUS, CONV_EVENTS, CORE_EVENTS, CONSENT_EVENTS',
      );
    }
    expect(() => parseRedriveArgs(['--id', '0'])).toThrow('--id needs an entry id');
    expect(() => parseRedriveArgs(['--id', '3', '--all'])).toThrow('not both');
  });
});
