import { stripQuoted } from './quote-strip.mapper';

describe('stripQuoted', () => {
  it('removes Gmail-style history after "On ... wrote:"', () => {
    const text =
      'Yes, it was me.\n\nOn Mon, 23 Nov 2026 at 10:00, Support <support@bank.example> wrote:\n> Did you pay X?\n> Thanks';
    expect(stripQuoted(text)).toEqual({ text: 'Yes, it was me.', stripped: true });
  });

  it('removes the Italian opener, also when the client wrapped it onto two lines', () => {
    const text =
      'Sì, ero io.\n\nIl giorno lun 23 nov 2026 alle ore 10:00 Assistenza <support@bank.example>\nha scritto:\n> Ha pagato X?';
    expect(stripQuoted(text)).toEqual({ text: 'Sì, ero io.', stripped: true });
  });

  it('removes Outlook history and the signature', () => {
    expect(stripQuoted('Grazie\n-----Original Message-----\nFrom: x').text).toBe('Grazie');
    expect(stripQuoted('Grazie\n\n-- \nGiulia Rossi\nMilano')).toEqual({
      text: 'Grazie',
      stripped: true,
    });
    expect(stripQuoted('Ok\n\nDa: Assistenza\nInviato: lunedì').text).toBe('Ok');
  });

  it('drops interleaved "> " lines but keeps the answers between them', () => {
    expect(stripQuoted('> Was it you?\nNo\n> Where are you?\nMilan').text).toBe('No\nMilan');
  });

  it('leaves a mail without history alone, and keeps a mail that is only a quote', () => {
    expect(stripQuoted('Hello\r\nmy card is blocked')).toEqual({
      text: 'Hello\nmy card is blocked',
      stripped: false,
    });
    expect(stripQuoted('> only quoted').text).toBe('> only quoted');
  });
});
