import { notificationText } from './notification-text.mapper';

describe('notificationText', () => {
  it('tells an unblock in Italian and in English, with the last four digits only', () => {
    const it = notificationText({ kind: 'card_unblocked', last4: '4821' }, 'it');
    const en = notificationText({ kind: 'card_unblocked', last4: '4821' }, 'en');
    expect(it).toBe(
      'La sua carta che termina con 4821 è stata sbloccata e può usarla di nuovo. ' +
        'Se non è stato lei a chiederlo, ci contatti subito.',
    );
    expect(en).toBe(
      'Your card ending in 4821 has been unblocked and can be used again. ' +
        'If you did not ask for this, contact us straight away.',
    );
  });

  it('tells a resolution with what the agent wrote, in both languages', () => {
    const content = { kind: 'ticket_resolved' as const, resolution: 'Rimborso emesso.' };
    expect(notificationText(content, 'it')).toBe(
      'La sua richiesta è stata risolta: Rimborso emesso.\n' +
        'Risponda a questo messaggio se qualcosa non è ancora chiaro.',
    );
    expect(notificationText({ ...content, resolution: 'Refund issued.' }, 'en')).toBe(
      'Your request has been resolved: Refund issued.\n' +
        'Reply to this message if anything is still unclear.',
    );
  });
});
